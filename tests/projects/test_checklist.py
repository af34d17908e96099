import pytest
from django.test import Client
from django.urls import reverse

from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def url(project):
    return reverse("projects:checklist", args=[project.pk])


def test_htmx_toggle_ticks_an_item_and_returns_the_checklist(client_logged_in, user, htmx):
    project = ProjectFactory(owner=user)
    response = client_logged_in.post(url(project), {"item": "has_eda", "done": "1"}, **htmx)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="checklist"')
    assert "1 of 8" in body
    # Only the write-up counts towards goals; other items refresh the checklist alone.
    assert "HX-Trigger" not in response
    project.refresh_from_db()
    assert project.has_eda and project.checklist_score == 1


def test_untick_and_score(client_logged_in, user, htmx):
    project = ProjectFactory(owner=user, has_eda=True, has_baseline=True, has_readme=True)
    response = client_logged_in.post(url(project), {"item": "has_eda", "done": "0"}, **htmx)
    assert "2 of 8" in response.content.decode()
    project.refresh_from_db()
    assert not project.has_eda and project.checklist_score == 2


def test_setting_the_same_state_twice_changes_nothing(client_logged_in, user, htmx):
    project = ProjectFactory(owner=user, has_eda=True)
    response = client_logged_in.post(url(project), {"item": "has_eda", "done": "1"}, **htmx)
    assert response.status_code == 200
    assert "HX-Trigger" not in response
    project.refresh_from_db()
    assert project.has_eda


def test_writeup_counts_as_activity(client_logged_in, user, htmx):
    project = ProjectFactory(owner=user)
    response = client_logged_in.post(url(project), {"item": "has_writeup", "done": "1"}, **htmx)
    assert "activityLogged" in response["HX-Trigger"]
    project.refresh_from_db()
    assert project.writeup_published_on == user.local_today()


def test_plain_form_post_works_without_js(client_logged_in, user):
    project = ProjectFactory(owner=user)
    response = client_logged_in.post(url(project), {"item": "has_human_level", "done": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:detail", args=[project.pk]) + "#checklist"
    project.refresh_from_db()
    assert project.has_human_level


def test_every_item_is_a_form_with_csrf(client_logged_in, user):
    project = ProjectFactory(owner=user)
    body = client_logged_in.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert body.count(f'action="{url(project)}"') == 8
    assert body.count('name="item"') == 8


@pytest.mark.parametrize(
    "data", [{"item": "title", "done": "1"}, {"item": "has_eda", "done": "maybe"}, {}]
)
def test_unknown_item_is_422(client_logged_in, user, htmx, data):
    project = ProjectFactory(owner=user, title="Same")
    response = client_logged_in.post(url(project), data, **htmx)
    assert response.status_code == 422
    project.refresh_from_db()
    assert project.title == "Same" and project.checklist_score == 0


@pytest.mark.parametrize("as_htmx", [False, True])
def test_other_users_project_is_404(client_logged_in, other_user, as_htmx, htmx):
    project = ProjectFactory(owner=other_user)
    response = client_logged_in.post(
        url(project), {"item": "has_eda", "done": "1"}, **(htmx if as_htmx else {})
    )
    assert response.status_code == 404
    project.refresh_from_db()
    assert not project.has_eda


def test_get_is_not_allowed(client_logged_in, user):
    project = ProjectFactory(owner=user)
    assert client_logged_in.get(url(project), {"item": "has_eda", "done": "1"}).status_code == 405


def test_csrf_is_enforced(user, htmx):
    project = ProjectFactory(owner=user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(url(project), {"item": "has_eda", "done": "1"}, **htmx)
    assert response.status_code == 403
    project.refresh_from_db()
    assert not project.has_eda
