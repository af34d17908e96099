import pytest
from django.test import Client
from django.urls import reverse

from tests.projects.factories import ProjectFactory, make_paper
from tracker.projects.models import ProjectStatus

pytestmark = pytest.mark.django_db


def url(project):
    return reverse("projects:detail", args=[project.pk])


def form_data(project, **overrides):
    data = {
        "kind": project.kind,
        "title": project.title,
        "description": project.description,
        "status": project.status,
        "repo_url": project.repo_url,
        "datasets": project.datasets,
        "started_on": project.started_on.isoformat() if project.started_on else "",
        "finished_on": "",
        "writeup_url": "",
        "competition_url": "",
        "leaderboard_rank": "",
        "leaderboard_percentile": "",
    }
    data.update(overrides)
    return data


def test_full_page_has_form_checklist_and_sessions(client_logged_in, user):
    project = ProjectFactory(owner=user, title="Tiny <b>ResNet</b>", has_eda=True)
    response = client_logged_in.get(url(project))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="project-form"' in body and 'id="checklist"' in body and 'id="sessions"' in body
    assert "1 of 8" in body
    assert "Tiny &lt;b&gt;ResNet&lt;/b&gt;" in body and "<b>ResNet</b>" not in body
    assert "No sessions yet" in body


def test_htmx_get_returns_the_form_partial(client_logged_in, user, htmx):
    project = ProjectFactory(owner=user)
    body = client_logged_in.get(url(project), **htmx).content.decode()
    assert body.lstrip().startswith('<section class="card" id="project-form"')


def test_valid_post_saves_and_redirects(client_logged_in, user):
    project = ProjectFactory(owner=user)
    response = client_logged_in.post(url(project), form_data(project, title="Renamed"))
    assert response.status_code == 302
    assert response["Location"] == url(project)
    project.refresh_from_db()
    assert project.title == "Renamed"


def test_valid_htmx_post_returns_partial_and_events(client_logged_in, user, htmx):
    project = ProjectFactory(owner=user)
    paper = make_paper(user, title="Deep Residual Learning")
    response = client_logged_in.post(
        url(project), form_data(project, status="done", papers=[paper.pk]), **htmx
    )
    assert response.status_code == 200
    assert 'id="project-form"' in response.content.decode()
    assert "activityLogged" in response["HX-Trigger"]
    project.refresh_from_db()
    assert project.status == ProjectStatus.DONE
    assert project.finished_on == user.local_today()
    assert list(project.papers.all()) == [paper]


def test_editing_without_counted_change_does_not_log_activity(client_logged_in, user, htmx):
    project = ProjectFactory(owner=user)
    response = client_logged_in.post(url(project), form_data(project, title="x"), **htmx)
    assert response.status_code == 200
    # Nothing outside the swapped form shows what changed: no event at all.
    assert "HX-Trigger" not in response


def test_invalid_post_is_422_and_keeps_input(client_logged_in, user, htmx):
    project = ProjectFactory(owner=user, title="Original")
    response = client_logged_in.post(
        url(project), form_data(project, title="", description="keep me 7"), **htmx
    )
    assert response.status_code == 422
    assert "keep me 7" in response.content.decode()
    project.refresh_from_db()
    assert project.title == "Original"


def test_invalid_post_without_htmx_renders_full_page_422(client_logged_in, user):
    project = ProjectFactory(owner=user, title="Original")
    response = client_logged_in.post(url(project), form_data(project, leaderboard_rank="abc"))
    assert response.status_code == 422
    assert "<html" in response.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("as_htmx", [False, True])
def test_other_users_project_is_404(client_logged_in, other_user, method, as_htmx, htmx):
    project = ProjectFactory(owner=other_user, title="Not yours")
    headers = htmx if as_htmx else {}
    response = getattr(client_logged_in, method)(url(project), **headers)
    assert response.status_code == 404
    project.refresh_from_db()
    assert project.title == "Not yours"


def test_csrf_is_enforced(user):
    project = ProjectFactory(owner=user, title="Original")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(url(project), form_data(project, title="Changed"))
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.title == "Original"
