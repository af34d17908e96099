import pytest
from django.test import Client
from django.urls import reverse

from tests.replications.factories import ReplicationFactory, make_paper
from tracker.replications.models import Replication

pytestmark = pytest.mark.django_db
URL = reverse("replications:create")


def test_get_shows_the_list_page_with_the_form(client_logged_in, user):
    make_paper(user, title="Batch norm")
    response = client_logged_in.get(URL)
    assert response.status_code == 200
    assert 'id="new-replication"' in response.content.decode()


def test_valid_post_creates_and_redirects(client_logged_in, user):
    paper = make_paper(user)
    response = client_logged_in.post(
        URL, {"paper": paper.pk, "status": "in_progress", "started_on": ""}
    )
    replication = Replication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == replication.get_absolute_url()
    assert (replication.owner, replication.paper) == (user, paper)
    assert replication.started_on == user.local_today()


def test_htmx_post_redirects_client(client_logged_in, user, htmx):
    paper = make_paper(user)
    response = client_logged_in.post(
        URL, {"paper": paper.pk, "status": "done", "started_on": "2025-01-01"}, **htmx
    )
    replication = Replication.objects.get()
    assert response["HX-Redirect"] == replication.get_absolute_url()
    assert "activityLogged" in response["HX-Trigger"]
    assert replication.finished_on == user.local_today()


def test_other_users_paper_is_rejected(client_logged_in, other_user, htmx):
    paper = make_paper(other_user)
    response = client_logged_in.post(
        URL, {"paper": paper.pk, "status": "planned", "started_on": "2025-01-01"}, **htmx
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not Replication.objects.exists()


def test_a_paper_with_a_replication_cannot_get_a_second(client_logged_in, user):
    paper = make_paper(user)
    ReplicationFactory(owner=user, paper=paper)
    response = client_logged_in.post(
        URL, {"paper": paper.pk, "status": "planned", "started_on": "2025-01-01"}
    )
    assert response.status_code == 422
    assert Replication.objects.count() == 1


def test_invalid_post_keeps_input(client_logged_in, user, htmx):
    paper = make_paper(user)
    response = client_logged_in.post(
        URL, {"paper": paper.pk, "status": "bogus", "started_on": "2025-01-09"}, **htmx
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="new-replication"')
    assert 'value="2025-01-09"' in body
    assert f'<option value="{paper.pk}" selected>' in body


def test_csrf_is_enforced(user):
    paper = make_paper(user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(URL, {"paper": paper.pk, "status": "planned"})
    assert response.status_code == 403
    assert not Replication.objects.exists()


@pytest.mark.parametrize("pk", ["9223372036854775808", "-99999999999999999999999", "-5"])
def test_absurd_paper_ids_are_a_form_error_not_a_crash(client_logged_in, user, pk):
    make_paper(user)
    response = client_logged_in.post(URL, {"paper": pk, "status": "planned"})
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
