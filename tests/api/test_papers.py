"""Papers, sessions and topics through the API: the library's filters and quick-add rules."""

from __future__ import annotations

import datetime as dt

import time_machine

from accounts.models import User
from tests.api.conftest import ApiClient
from tests.papers.factories import PaperFactory, ReadingSessionFactory, TopicFactory
from tracker.papers.models import Paper, ReadingSession


def test_list_filters_search_and_pages(user: User, api: ApiClient) -> None:
    nlp = TopicFactory(owner=user, name="NLP")
    PaperFactory(owner=user, title="Attention Is All You Need", year=2017, topics=[nlp])
    PaperFactory(owner=user, title="Deep Residual Learning", year=2016, status="read")
    for i in range(5):
        PaperFactory(owner=user, title=f"Filler {i}", year=2020)
    PaperFactory(title="Someone else's attention paper")

    body = api.get("/papers", {"q": "attention"}).json()
    assert [p["title"] for p in body["items"]] == ["Attention Is All You Need"]
    assert body["items"][0]["topics"] == ["NLP"]
    assert body["items"][0]["added_on"] == "2026-01-05"  # ISO dates
    assert [p["title"] for p in api.get("/papers", {"status": "read"}).json()["items"]] == [
        "Deep Residual Learning"
    ]
    assert api.get("/papers", {"topic": nlp.pk}).json()["count"] == 1
    assert api.get("/papers", {"year": 2016}).json()["count"] == 1
    page = api.get("/papers", {"page_size": 3, "page": 2, "sort": "title"}).json()
    assert page["count"] == 7 and page["pages"] == 3 and page["page"] == 2
    assert len(page["items"]) == 3


def test_invalid_filters_are_422_with_field_names(user: User, api: ApiClient) -> None:
    response = api.get("/papers", {"status": "lost", "page_size": 0})
    assert response.status_code == 422
    assert "page_size" in response.json()["errors"]
    response = api.get("/papers", {"status": "lost"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"status"}
    assert api.get("/papers", {"topic": "abc"}).status_code == 422


def test_get_a_paper(user: User, api: ApiClient) -> None:
    paper = PaperFactory(owner=user, authors="Ada Lovelace\nAlan Turing")
    body = api.get(f"/papers/{paper.pk}").json()
    assert body["id"] == paper.pk
    assert body["authors"] == ["Ada Lovelace", "Alan Turing"]
    assert api.get(f"/papers/{2**63}").status_code == 404
    assert api.get("/papers/0").status_code == 404


def test_add_by_arxiv_id_looks_it_up_and_a_repeat_is_not_a_copy(
    user: User, api: ApiClient, fake_apis
) -> None:
    response = api.post("/papers", {"q": "https://arxiv.org/abs/1706.03762v5", "topics": ["nlp"]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["created"] is True
    assert body["paper"]["title"] == "Attention Is All You Need"
    assert body["paper"]["arxiv_id"] == "1706.03762"
    assert body["paper"]["topics"] == ["nlp"]
    again = api.post("/papers", {"q": "arXiv:1706.03762"})
    assert again.status_code == 200
    assert again.json()["created"] is False
    assert again.json()["paper"]["id"] == body["paper"]["id"]
    assert Paper.objects.filter(owner=user).count() == 1


def test_add_by_doi_and_by_title(user: User, api: ApiClient, fake_apis) -> None:
    response = api.post("/papers", {"q": "10.1145/3442188.3445922"})
    assert response.status_code == 201, response.content
    assert response.json()["paper"]["doi"] == "10.1145/3442188.3445922"


def test_failed_look_up_needs_a_title(user: User, api: ApiClient, fake_apis) -> None:
    fake_apis.mode = "error"
    response = api.post("/papers", {"q": "1706.03762"})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["q"]
    assert not Paper.objects.exists()
    response = api.post("/papers", {"q": "1706.03762", "title": "Attention", "status": "read"})
    assert response.status_code == 201
    paper = response.json()["paper"]
    assert (paper["title"], paper["arxiv_id"], paper["status"]) == (
        "Attention",
        "1706.03762",
        "read",
    )


def test_invalid_paper_input_is_422(user: User, api: ApiClient) -> None:
    for payload, field in (
        ({"q": ""}, "q"),
        ({"q": "1706.0376"}, "q"),
        ({"q": "a\x00b"}, "q"),
        ({"q": "x", "status": "done"}, "status"),
        ({}, "q"),
        ({"q": 5}, "q"),
    ):
        response = api.post("/papers", payload)
        assert response.status_code == 422, (payload, response.content)
        assert field in response.json()["errors"], (payload, response.json())
    assert not Paper.objects.exists()


def test_update_status(user: User, api: ApiClient) -> None:
    paper = PaperFactory(owner=user)
    response = api.patch(f"/papers/{paper.pk}", {"status": "reading"})
    assert response.status_code == 200
    assert response.json()["status"] == "reading"
    assert response.json()["started_on"] is not None
    response = api.patch(f"/papers/{paper.pk}", {"status": "gone"})
    assert response.status_code == 422
    assert "status" in response.json()["errors"]


@time_machine.travel("2026-03-04 12:00:00Z", tick=False)
def test_mark_read_with_depth_minutes_and_summary(user: User, api: ApiClient) -> None:
    paper = PaperFactory(owner=user)
    response = api.post(
        f"/papers/{paper.pk}/read",
        {
            "depth": 2,
            "minutes": 45,
            "summary": "Attention replaces recurrence.",
            "understanding": 4,
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "read"
    assert body["finished_on"] == "2026-03-04"
    assert body["depth"] == 2 and body["explained"] is True
    assert ReadingSession.objects.get(paper=paper).minutes == 45


@time_machine.travel("2026-03-04 12:00:00Z", tick=False)
def test_mark_read_validation(user: User, api: ApiClient) -> None:
    paper = PaperFactory(owner=user)
    response = api.post(
        f"/papers/{paper.pk}/read", {"finished_on": "2026-03-09", "depth": 7, "minutes": 0}
    )
    assert response.status_code == 422
    assert {"finished_on", "depth", "minutes"} <= set(response.json()["errors"])
    response = api.post(f"/papers/{paper.pk}/read", {"finished_on": "yesterday"})
    assert response.status_code == 422
    assert "finished_on" in response.json()["errors"]
    paper.refresh_from_db()
    assert paper.status == "to_read"


@time_machine.travel("2026-03-04 12:00:00Z", tick=False)
def test_sessions(user: User, api: ApiClient) -> None:
    paper = PaperFactory(owner=user)
    response = api.post(f"/papers/{paper.pk}/sessions", {"minutes": 25})
    assert response.status_code == 201
    assert response.json()["date"] == "2026-03-04"
    ReadingSessionFactory(paper=paper, date=dt.date(2026, 1, 6))
    assert len(api.get(f"/papers/{paper.pk}/sessions").json()) == 2
    assert api.get("/sessions", {"since": "2026-02-01"}).json()["count"] == 1
    assert api.get("/sessions", {"since": "soon"}).status_code == 422
    response = api.post(f"/papers/{paper.pk}/sessions", {"minutes": 5000})
    assert response.status_code == 422
    assert "minutes" in response.json()["errors"]


def test_topics(user: User, api: ApiClient) -> None:
    assert api.post("/topics", {"name": " Reinforcement  learning "}).status_code == 201
    again = api.post("/topics", {"name": "reinforcement learning"})
    assert again.status_code == 200
    assert [t["name"] for t in api.get("/topics").json()] == ["Reinforcement learning"]
    assert api.post("/topics", {"name": "  "}).status_code == 422
    assert api.post("/topics", {"name": "x" * 61}).status_code == 422


def test_nul_in_title_or_topics_is_422(user: User, api: ApiClient, fake_apis) -> None:
    fake_apis.mode = "error"
    response = api.post("/papers", {"q": "1706.03762", "title": "A\x00B"})
    assert response.status_code == 422
    assert "title" in response.json()["errors"]
    response = api.post("/papers", {"q": "Some title", "topics": ["r\x00l"]})
    assert response.status_code == 422
    assert "topics" in response.json()["errors"]
    assert not Paper.objects.exists()
