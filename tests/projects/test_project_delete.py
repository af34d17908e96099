import pytest
from django.test import Client
from django.urls import reverse

from tests.projects.factories import ProjectFactory
from tracker.projects.models import Project

pytestmark = pytest.mark.django_db


def url(project):
    return reverse("projects:delete", args=[project.pk])


def test_post_deletes_and_redirects_to_the_list(client_logged_in, user):
    project = ProjectFactory(owner=user)
    response = client_logged_in.post(url(project))
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:list")
    assert not Project.objects.exists()


def test_htmx_post_redirects_client_and_logs_activity(client_logged_in, user, htmx):
    project = ProjectFactory(owner=user)
    response = client_logged_in.post(url(project), **htmx)
    assert response["HX-Redirect"] == reverse("projects:list")
    assert "activityLogged" in response["HX-Trigger"]
    assert not Project.objects.exists()


def test_get_does_not_delete(client_logged_in, user):
    project = ProjectFactory(owner=user)
    assert client_logged_in.get(url(project)).status_code == 405
    assert Project.objects.filter(pk=project.pk).exists()


@pytest.mark.parametrize("as_htmx", [False, True])
def test_other_users_project_is_404(client_logged_in, other_user, as_htmx, htmx):
    project = ProjectFactory(owner=other_user)
    response = client_logged_in.post(url(project), **(htmx if as_htmx else {}))
    assert response.status_code == 404
    assert Project.objects.filter(pk=project.pk).exists()


def test_csrf_is_enforced(user):
    project = ProjectFactory(owner=user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(url(project)).status_code == 403
    assert Project.objects.filter(pk=project.pk).exists()
