import pytest
from django.test import Client
from django.urls import reverse

from tests.replications.factories import ReplicationFactory
from tracker.replications.models import Replication, ReplicationStatus

pytestmark = pytest.mark.django_db


def url(replication):
    return reverse("replications:delete", args=[replication.pk])


def test_post_deletes_and_redirects(client_logged_in, user):
    replication = ReplicationFactory(owner=user)
    response = client_logged_in.post(url(replication))
    assert response.status_code == 302
    assert response["Location"] == reverse("replications:list")
    assert not Replication.objects.exists()


def test_deleting_a_done_replication_logs_activity(client_logged_in, user, htmx):
    replication = ReplicationFactory(owner=user, status=ReplicationStatus.DONE)
    response = client_logged_in.post(url(replication), **htmx)
    assert response["HX-Redirect"] == reverse("replications:list")
    assert "activityLogged" in response["HX-Trigger"]


@pytest.mark.parametrize("as_htmx", [False, True])
def test_other_users_replication_is_404(client_logged_in, other_user, as_htmx, htmx):
    replication = ReplicationFactory(owner=other_user)
    response = client_logged_in.post(url(replication), **(htmx if as_htmx else {}))
    assert response.status_code == 404
    assert client_logged_in.get(url(replication)).status_code in {404, 405}
    assert Replication.objects.filter(pk=replication.pk).exists()


def test_csrf_is_enforced(user):
    replication = ReplicationFactory(owner=user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(url(replication)).status_code == 403
    assert Replication.objects.exists()
