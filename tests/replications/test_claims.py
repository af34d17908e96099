import pytest
from django.test import Client
from django.urls import reverse

from tests.replications.factories import ClaimFactory, ReplicationFactory
from tracker.replications.models import Claim, ClaimResult

pytestmark = pytest.mark.django_db


def add_url(replication):
    return reverse("replications:claim_add", args=[replication.pk])


def edit_url(claim):
    return reverse("replications:claim_edit", args=[claim.pk])


def delete_url(claim):
    return reverse("replications:claim_delete", args=[claim.pk])


def test_htmx_add_returns_the_claims_partial(client_logged_in, user, htmx):
    replication = ReplicationFactory(owner=user)
    response = client_logged_in.post(
        add_url(replication),
        {"text": "Beats LSTM by 2 BLEU", "result": "partly", "note": "1.4 BLEU"},
        **htmx,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="claims"')
    assert "Beats LSTM by 2 BLEU" in body
    assert "HX-Trigger" not in response
    claim = Claim.objects.get()
    assert (claim.replication, claim.result, claim.note) == (
        replication,
        ClaimResult.PARTLY,
        "1.4 BLEU",
    )


def test_plain_add_redirects_to_the_claims(client_logged_in, user):
    replication = ReplicationFactory(owner=user)
    response = client_logged_in.post(add_url(replication), {"text": "x", "result": "pending"})
    assert response.status_code == 302
    assert response["Location"].endswith("#claims")
    assert Claim.objects.count() == 1


def test_invalid_add_is_422_and_keeps_input(client_logged_in, user, htmx):
    replication = ReplicationFactory(owner=user)
    response = client_logged_in.post(
        add_url(replication), {"text": "   ", "result": "reproduced", "note": "kept note"}, **htmx
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "kept note" in body
    assert not Claim.objects.exists()


def test_inline_edit_form_then_save(client_logged_in, user, htmx):
    claim = ClaimFactory(replication=ReplicationFactory(owner=user), text="Old text")
    response = client_logged_in.get(edit_url(claim), **htmx)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section class="card" id="claims"')
    assert f'data-hx-post="{edit_url(claim)}"' in body
    assert "Old text</textarea>" in body

    response = client_logged_in.post(
        edit_url(claim), {"text": "New text", "result": "reproduced", "note": ""}, **htmx
    )
    assert response.status_code == 200
    assert "HX-Trigger" not in response
    claim.refresh_from_db()
    assert (claim.text, claim.result) == ("New text", ClaimResult.REPRODUCED)


def test_edit_works_without_js(client_logged_in, user):
    claim = ClaimFactory(replication=ReplicationFactory(owner=user))
    page = client_logged_in.get(edit_url(claim))
    assert page.status_code == 200 and "<html" in page.content.decode()
    response = client_logged_in.post(edit_url(claim), {"text": "Plain", "result": "partly"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.text == "Plain"


def test_invalid_edit_is_422_and_keeps_input(client_logged_in, user, htmx):
    claim = ClaimFactory(replication=ReplicationFactory(owner=user), text="Old text")
    response = client_logged_in.post(
        edit_url(claim), {"text": "Kept edit", "result": "maybe"}, **htmx
    )
    assert response.status_code == 422
    assert "Kept edit" in response.content.decode()
    claim.refresh_from_db()
    assert claim.text == "Old text"


def test_delete(client_logged_in, user, htmx):
    claim = ClaimFactory(replication=ReplicationFactory(owner=user))
    response = client_logged_in.post(delete_url(claim), **htmx)
    assert response.status_code == 200
    assert not Claim.objects.exists()
    assert "HX-Trigger" not in response


@pytest.mark.parametrize("as_htmx", [False, True])
def test_other_users_claims_are_404(client_logged_in, other_user, as_htmx, htmx):
    replication = ReplicationFactory(owner=other_user)
    claim = ClaimFactory(replication=replication, text="Theirs")
    headers = htmx if as_htmx else {}
    data = {"text": "Hacked", "result": "reproduced"}
    assert client_logged_in.post(add_url(replication), data, **headers).status_code == 404
    assert client_logged_in.get(edit_url(claim), **headers).status_code == 404
    assert client_logged_in.post(edit_url(claim), data, **headers).status_code == 404
    assert client_logged_in.post(delete_url(claim), **headers).status_code == 404
    claim.refresh_from_db()
    assert claim.text == "Theirs"
    assert Claim.objects.count() == 1


def test_get_never_changes_state(client_logged_in, user):
    claim = ClaimFactory(replication=ReplicationFactory(owner=user))
    assert client_logged_in.get(delete_url(claim)).status_code == 405
    assert client_logged_in.get(add_url(claim.replication)).status_code == 405
    assert Claim.objects.count() == 1


def test_csrf_is_enforced(user, htmx):
    claim = ClaimFactory(replication=ReplicationFactory(owner=user), text="Same")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    data = {"text": "Changed", "result": "reproduced"}
    assert client.post(add_url(claim.replication), data, **htmx).status_code == 403
    assert client.post(edit_url(claim), data, **htmx).status_code == 403
    assert client.post(delete_url(claim), **htmx).status_code == 403
    claim.refresh_from_db()
    assert claim.text == "Same" and Claim.objects.count() == 1
