"""Replications (posting a training run's results) and projects with checklists."""

from __future__ import annotations

import time_machine

from accounts.models import User
from tests.api.conftest import ApiClient
from tests.papers.factories import PaperFactory
from tests.projects.factories import ProjectFactory
from tests.replications.factories import ReplicationFactory
from tracker.replications.models import Replication


@time_machine.travel("2026-03-04 12:00:00Z", tick=False)
def test_create_a_replication_and_post_its_results(user: User, api: ApiClient) -> None:
    paper = PaperFactory(owner=user)
    response = api.post("/replications", {"paper_id": paper.pk, "status": "in_progress"})
    assert response.status_code == 201, response.content
    rep = response.json()
    assert rep["started_on"] == "2026-03-04"
    response = api.patch(
        f"/replications/{rep['id']}",
        {
            "metric_name": "top-1 accuracy",
            "paper_value": 76.1,
            "my_mean": 75.4,
            "my_std": 0.3,
            "seeds": 5,
            "gpu_hours": "12.50",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["my_mean"] == 75.4 and body["seeds"] == 5
    assert body["metric_delta"] == round(75.4 - 76.1, 10) or abs(body["metric_delta"] + 0.7) < 1e-9
    assert body["status"] == "in_progress"  # PATCH keeps what it does not name
    replication = Replication.objects.get()
    assert str(replication.gpu_hours) == "12.50"
    done = api.patch(f"/replications/{rep['id']}", {"status": "done"}).json()
    assert done["finished_on"] == "2026-03-04"
    assert api.get("/replications", {"status": "done"}).json()["count"] == 1


def test_replication_validation(user: User, api: ApiClient, other_user: User) -> None:
    rep = ReplicationFactory(owner=user)
    for payload, field in (
        ({"my_std": -1}, "my_std"),
        ({"seeds": 0}, "seeds"),
        ({"gpu_hours": "-2"}, "gpu_hours"),
        ({"status": "winning"}, "status"),
        ({"repo_url": "javascript:alert(1)"}, "repo_url"),
        ({"my_mean": "lots"}, "my_mean"),
        ({"easy": "a\x00"}, "easy"),
    ):
        response = api.patch(f"/replications/{rep.pk}", payload)
        assert response.status_code == 422, (payload, response.content)
        assert field in response.json()["errors"], (payload, response.json())
    # A paper that is not yours, or that already has one: 422 on paper_id.
    theirs = PaperFactory(owner=other_user)
    for paper_id in (theirs.pk, rep.paper_id, 2**63 + 5):
        response = api.post("/replications", {"paper_id": paper_id})
        assert response.status_code == 422
        assert "paper_id" in response.json()["errors"]
    assert Replication.objects.count() == 1


def test_projects_and_checklist(user: User, api: ApiClient) -> None:
    project = ProjectFactory(owner=user, title="Bird sounds")
    body = api.get("/projects").json()
    assert [p["title"] for p in body["items"]] == ["Bird sounds"]
    items = {i["name"]: i["done"] for i in body["items"][0]["checklist"]}
    assert items["has_eda"] is False
    response = api.put(f"/projects/{project.pk}/checklist/has_eda", {"done": True})
    assert response.status_code == 200
    assert response.json()["checklist_score"] == 1
    # Idempotent: the same state again changes nothing.
    assert (
        api.put(f"/projects/{project.pk}/checklist/has_eda", {"done": True}).json()[
            "checklist_score"
        ]
        == 1
    )
    response = api.put(f"/projects/{project.pk}/checklist/has_magic", {"done": True})
    assert response.status_code == 422
    assert "item" in response.json()["errors"]
    assert api.put(f"/projects/{project.pk}/checklist/has_eda", {}).status_code == 422
    assert api.get(f"/projects/{project.pk}").json()["checklist_score"] == 1
    assert api.get("/projects", {"status": "nope"}).status_code == 422
