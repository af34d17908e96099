import pytest
from django.urls import reverse

from tests.replications.factories import ClaimFactory, ReplicationFactory, make_paper
from tracker.replications.models import ClaimResult, ReplicationStatus

pytestmark = pytest.mark.django_db
URL = reverse("replications:list")


def test_empty_state_without_papers_guides_to_the_library(client_logged_in):
    response = client_logged_in.get(URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Replicate 20 papers" in body
    assert "logging a paper" in body
    assert "Replications start from a paper" in body


def test_with_a_paper_the_start_form_offers_it(client_logged_in, user, other_user):
    make_paper(user, title="ResNet paper")
    make_paper(other_user, title="Hidden paper")
    body = client_logged_in.get(URL).content.decode()
    assert "ResNet paper" in body
    assert "Hidden paper" not in body


def test_full_page_lists_own_replications_with_claims(client_logged_in, user, other_user):
    replication = ReplicationFactory(
        owner=user,
        paper=make_paper(user, title="Dropout"),
        metric_name="accuracy",
        paper_value=0.9,
        my_mean=0.88,
        my_std=0.01,
        seeds=3,
    )
    ClaimFactory(replication=replication, result=ClaimResult.REPRODUCED)
    ClaimFactory(replication=replication, result=ClaimResult.PARTLY)
    ReplicationFactory(owner=other_user, paper=make_paper(other_user, title="Secret"))
    body = client_logged_in.get(URL).content.decode()
    assert "Dropout" in body and "Secret" not in body
    assert "1 of 2" in body
    assert "0.88 ± 0.01" in body
    assert "3 seeds" in body


def test_htmx_status_filter_returns_the_list_partial(client_logged_in, user, htmx):
    ReplicationFactory(
        owner=user, paper=make_paper(user, title="Done one"), status=ReplicationStatus.DONE
    )
    ReplicationFactory(owner=user, paper=make_paper(user, title="Busy one"))
    response = client_logged_in.get(URL, {"status": "done"}, **htmx)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="replication-list"')
    assert "Done one" in body and "Busy one" not in body
    assert 'data-hx-push-url="true"' in body


def test_unknown_status_shows_all(client_logged_in, user):
    ReplicationFactory(owner=user, paper=make_paper(user, title="Busy one"))
    body = client_logged_in.get(URL, {"status": "nope"}).content.decode()
    assert "Busy one" in body
