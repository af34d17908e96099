import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.projects.factories import ProjectFactory, WorkSessionFactory
from tracker.projects.models import WorkSession

pytestmark = pytest.mark.django_db

# Future, but inside the bound every date field has (1900 … today + 10 years).
NEXT_YEAR = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=400)).isoformat()


def add_url(project):
    return reverse("projects:session_add", args=[project.pk])


def delete_url(work):
    return reverse("projects:session_delete", args=[work.pk])


def test_htmx_add_logs_session_and_emits_activity(client_logged_in, user, htmx):
    project = ProjectFactory(owner=user)
    today = user.local_today()
    response = client_logged_in.post(
        add_url(project), {"date": today.isoformat(), "minutes": "50", "note": "EDA"}, **htmx
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="sessions"')
    assert "50 min" in body
    assert "activityLogged" in response["HX-Trigger"]
    work = WorkSession.objects.get()
    assert (work.project, work.date, work.minutes, work.note) == (project, today, 50, "EDA")


def test_plain_post_redirects_back(client_logged_in, user):
    project = ProjectFactory(owner=user)
    response = client_logged_in.post(add_url(project), {"date": "2025-01-07", "minutes": "20"})
    assert response.status_code == 302
    assert response["Location"].endswith("#sessions")
    assert WorkSession.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": NEXT_YEAR, "minutes": "30", "note": "kept note"}, "in the future"),
        ({"date": "2025-01-07", "minutes": "0", "note": "kept note"}, "greater than or equal to 1"),
        ({"date": "2025-01-07", "minutes": "5000", "note": "kept note"}, "less than or equal"),
        ({"date": "yesterday", "minutes": "30", "note": "kept note"}, "valid date"),
    ],
)
def test_invalid_session_is_422_and_keeps_input(client_logged_in, user, htmx, data, message):
    project = ProjectFactory(owner=user)
    response = client_logged_in.post(add_url(project), data, **htmx)
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body
    assert "kept note" in body
    assert "HX-Trigger" not in response
    assert not WorkSession.objects.exists()


def test_delete_removes_the_session(client_logged_in, user, htmx):
    work = WorkSessionFactory(project=ProjectFactory(owner=user))
    response = client_logged_in.post(delete_url(work), **htmx)
    assert response.status_code == 200
    assert "activityLogged" in response["HX-Trigger"]
    assert not WorkSession.objects.exists()
    response = client_logged_in.post(
        delete_url(WorkSessionFactory(project=ProjectFactory(owner=user)))
    )
    assert response.status_code == 302


@pytest.mark.parametrize("as_htmx", [False, True])
def test_other_users_project_and_session_are_404(client_logged_in, other_user, as_htmx, htmx):
    project = ProjectFactory(owner=other_user)
    work = WorkSessionFactory(project=project)
    headers = htmx if as_htmx else {}
    data = {"date": "2025-01-07", "minutes": "30"}
    assert client_logged_in.post(add_url(project), data, **headers).status_code == 404
    assert client_logged_in.post(delete_url(work), **headers).status_code == 404
    assert client_logged_in.get(add_url(project), **headers).status_code == 405
    assert WorkSession.objects.filter(project=project).count() == 1


def test_csrf_is_enforced(user):
    project = ProjectFactory(owner=user)
    work = WorkSessionFactory(project=project)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(add_url(project), {"date": "2025-01-07", "minutes": "1"}).status_code == 403
    assert client.post(delete_url(work)).status_code == 403
    assert WorkSession.objects.count() == 1


def test_session_date_defaults_to_the_users_local_today(client_logged_in, user):
    project = ProjectFactory(owner=user)
    body = client_logged_in.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert f'value="{user.local_today().isoformat()}"' in body
    assert isinstance(user.local_today(), dt.date)
