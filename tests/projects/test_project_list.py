import pytest
from django.urls import reverse

from tests.projects.factories import ProjectFactory
from tracker.projects.models import ProjectKind, ProjectStatus

pytestmark = pytest.mark.django_db
URL = reverse("projects:list")


def test_empty_state_guides_a_new_user(client_logged_in):
    response = client_logged_in.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Build 2–3 great projects" in body
    assert reverse("projects:create") in body
    assert "<html" in body


def test_full_page_lists_only_own_projects_with_checklist_score(client_logged_in, user, other_user):
    ProjectFactory(owner=user, title="Tiny ResNet", has_readme=True, has_eda=True)
    ProjectFactory(owner=other_user, title="Mallory's secret")
    body = client_logged_in.get(URL).content.decode()
    assert "Tiny ResNet" in body
    assert "2 of 8" in body
    assert "secret" not in body


def test_htmx_gets_only_the_list_partial(client_logged_in, user, htmx):
    ProjectFactory(owner=user, title="Tiny ResNet")
    response = client_logged_in.get(URL, **htmx)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="project-list"')
    assert "<html" not in body
    assert "HX-Request" in response["Vary"]


def test_filters_by_status_and_kind_from_the_url(client_logged_in, user, htmx):
    ProjectFactory(owner=user, title="Done thing", status=ProjectStatus.DONE)
    ProjectFactory(owner=user, title="Active thing")
    ProjectFactory(
        owner=user, title="Titanic", kind=ProjectKind.COMPETITION, status=ProjectStatus.DONE
    )
    body = client_logged_in.get(URL, {"status": "done"}, **htmx).content.decode()
    assert "Done thing" in body and "Titanic" in body and "Active thing" not in body
    body = client_logged_in.get(URL, {"status": "done", "kind": "competition"}).content.decode()
    assert "Titanic" in body and "Done thing" not in body
    # Filter links keep the other filter.
    assert "?kind=project&amp;status=done" in body


def test_unknown_filter_values_show_everything(client_logged_in, user):
    ProjectFactory(owner=user, title="Active thing")
    response = client_logged_in.get(URL, {"status": "<script>", "kind": "\x00"})
    assert response.status_code == 200
    assert "Active thing" in response.content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]
