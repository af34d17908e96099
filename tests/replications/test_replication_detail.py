import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.replications.factories import ClaimFactory, ReplicationFactory, make_paper
from tracker.replications.models import ReplicationStatus

pytestmark = pytest.mark.django_db

# Future, but inside the bound every date field has (1900 … today + 10 years).
NEXT_YEAR = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=400)).isoformat()


def url(replication):
    return reverse("replications:detail", args=[replication.pk])


def form_data(**overrides):
    data = {
        "status": "in_progress",
        "repo_url": "https://github.com/ada/dropout",
        "started_on": "2025-01-06",
        "finished_on": "",
        "metric_name": "top-1 accuracy",
        "paper_value": "0.912",
        "my_mean": "0.905",
        "my_std": "0.004",
        "seeds": "5",
        "gpu_hours": "12.5",
        "easy": "Data loading",
        "hard": "Learning-rate schedule",
        "author_contact": "Emailed the first author.",
    }
    data.update(overrides)
    return data


def test_full_page_shows_record_and_claims(client_logged_in, user):
    replication = ReplicationFactory(owner=user, paper=make_paper(user, title="Dropout <i>x</i>"))
    ClaimFactory(replication=replication, text="Dropout reduces overfitting")
    response = client_logged_in.get(url(replication))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="replication-form"' in body and 'id="claims"' in body
    assert "Dropout reduces overfitting" in body
    assert "Dropout &lt;i&gt;x&lt;/i&gt;" in body


def test_empty_claims_state_explains_what_to_do(client_logged_in, user):
    replication = ReplicationFactory(owner=user)
    body = client_logged_in.get(url(replication)).content.decode()
    assert "List the paper&#x27;s main claims" in body or "List the paper's main claims" in body


def test_htmx_get_returns_the_form_partial(client_logged_in, user, htmx):
    replication = ReplicationFactory(owner=user)
    body = client_logged_in.get(url(replication), **htmx).content.decode()
    assert body.lstrip().startswith('<section class="card" id="replication-form"')
    body = client_logged_in.get(url(replication), {"part": "claims"}, **htmx).content.decode()
    assert body.lstrip().startswith('<section class="card" id="claims"')


def test_valid_post_saves_every_field_and_redirects(client_logged_in, user):
    replication = ReplicationFactory(owner=user)
    response = client_logged_in.post(url(replication), form_data())
    assert response.status_code == 302
    assert response["Location"] == url(replication)
    replication.refresh_from_db()
    assert replication.metric_name == "top-1 accuracy"
    assert replication.paper_value == pytest.approx(0.912)
    assert replication.my_mean == pytest.approx(0.905)
    assert replication.my_std == pytest.approx(0.004)
    assert replication.seeds == 5
    assert float(replication.gpu_hours) == 12.5
    assert replication.hard == "Learning-rate schedule"
    assert replication.author_contact == "Emailed the first author."


def test_htmx_post_to_done_logs_activity(client_logged_in, user, htmx):
    replication = ReplicationFactory(owner=user)
    response = client_logged_in.post(url(replication), form_data(status="done"), **htmx)
    assert response.status_code == 200
    assert 'id="replication-form"' in response.content.decode()
    assert "activityLogged" in response["HX-Trigger"]
    replication.refresh_from_db()
    assert replication.status == ReplicationStatus.DONE
    assert replication.finished_on == user.local_today()


def test_htmx_post_without_done_change_is_not_activity(client_logged_in, user, htmx):
    replication = ReplicationFactory(owner=user)
    response = client_logged_in.post(url(replication), form_data(), **htmx)
    assert response.status_code == 200
    assert "HX-Trigger" not in response


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"my_std": "-1"}, "greater than or equal to 0"),
        ({"seeds": "0"}, "greater than or equal to 1"),
        ({"gpu_hours": "-3"}, "greater than or equal to 0"),
        ({"paper_value": "lots"}, "Enter a number"),
        ({"repo_url": "github"}, "Enter a valid URL"),
        ({"finished_on": NEXT_YEAR, "status": "done"}, "can&#x27;t be in the future"),
        ({"started_on": "2025-02-01", "finished_on": "2025-01-01"}, "on or after the start"),
    ],
)
def test_invalid_post_is_422_and_keeps_input(client_logged_in, user, htmx, overrides, message):
    replication = ReplicationFactory(owner=user)
    response = client_logged_in.post(
        url(replication), form_data(hard="kept hard words", **overrides), **htmx
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body
    assert "kept hard words" in body
    replication.refresh_from_db()
    assert replication.hard == ""


def test_finish_date_today_is_fine(client_logged_in, user):
    replication = ReplicationFactory(owner=user)
    today = user.local_today()
    response = client_logged_in.post(
        url(replication), form_data(status="done", finished_on=today.isoformat())
    )
    assert response.status_code == 302
    replication.refresh_from_db()
    assert replication.finished_on == today
    assert replication.started_on == dt.date(2025, 1, 6)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("as_htmx", [False, True])
def test_other_users_replication_is_404(client_logged_in, other_user, method, as_htmx, htmx):
    replication = ReplicationFactory(owner=other_user)
    response = getattr(client_logged_in, method)(
        url(replication), form_data(hard="x"), **(htmx if as_htmx else {})
    )
    assert response.status_code == 404
    replication.refresh_from_db()
    assert replication.hard == ""


def test_csrf_is_enforced(user):
    replication = ReplicationFactory(owner=user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(url(replication), form_data(hard="x")).status_code == 403
    replication.refresh_from_db()
    assert replication.hard == ""
