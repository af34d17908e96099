import datetime as dt

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.replications.factories import ClaimFactory, ReplicationFactory, make_paper
from tracker.replications.models import ClaimResult, Replication, ReplicationStatus

pytestmark = pytest.mark.django_db


def url(paper):
    return reverse("replications:for_paper", args=[paper.pk])


def test_get_without_replication_offers_to_start(client_logged_in, user):
    paper = make_paper(user)
    response = client_logged_in.get(url(paper))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith("<section")
    assert 'id="paper-replication"' in body
    assert "Start replicating" in body and "Plan to replicate" in body


def test_get_with_replication_shows_summary(client_logged_in, user, htmx):
    paper = make_paper(user)
    replication = ReplicationFactory(
        owner=user,
        paper=paper,
        metric_name="BLEU",
        paper_value=28.4,
        my_mean=27.9,
        my_std=0.3,
        seeds=5,
    )
    ClaimFactory(replication=replication, result=ClaimResult.REPRODUCED)
    body = client_logged_in.get(url(paper), **htmx).content.decode()
    assert "In progress" in body
    assert "BLEU" in body and "27.9 ± 0.3" in body
    assert "1 of 1 claim reproduced" in body
    assert replication.get_absolute_url() in body


def test_htmx_post_starts_a_replication(client_logged_in, user, htmx):
    paper = make_paper(user)
    response = client_logged_in.post(url(paper), {"status": "in_progress"}, **htmx)
    assert response.status_code == 200
    replication = Replication.objects.get()
    assert (replication.owner, replication.paper) == (user, paper)
    assert replication.status == ReplicationStatus.IN_PROGRESS
    assert replication.started_on == user.local_today()
    assert "In progress" in response.content.decode()
    assert "HX-Trigger" not in response


def test_plain_post_redirects_to_the_paper(client_logged_in, user):
    paper = make_paper(user)
    response = client_logged_in.post(url(paper), {"status": "planned"})
    assert response.status_code == 302
    assert response["Location"] == paper.get_absolute_url()
    replication = Replication.objects.get()
    assert replication.status == ReplicationStatus.PLANNED
    assert replication.started_on is None


def test_marking_done_finishes_today_and_logs_activity(client_logged_in, user, htmx):
    paper = make_paper(user)
    ReplicationFactory(owner=user, paper=paper, started_on=dt.date(2025, 1, 6))
    response = client_logged_in.post(
        url(paper), {"status": "done", "started_on": "2025-01-06"}, **htmx
    )
    assert response.status_code == 200
    assert "activityLogged" in response["HX-Trigger"]
    replication = Replication.objects.get()
    assert replication.status == ReplicationStatus.DONE
    assert replication.finished_on == user.local_today()
    assert replication.started_on == dt.date(2025, 1, 6)


def test_invalid_post_is_422_with_message(client_logged_in, user, htmx):
    paper = make_paper(user)
    response = client_logged_in.post(url(paper), {"status": "finished!"}, **htmx)
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not Replication.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("as_htmx", [False, True])
def test_other_users_paper_is_404(client_logged_in, other_user, method, as_htmx, htmx):
    paper = make_paper(other_user)
    response = getattr(client_logged_in, method)(
        url(paper), {"status": "done"}, **(htmx if as_htmx else {})
    )
    assert response.status_code == 404
    assert not Replication.objects.exists()


def test_csrf_is_enforced(user, htmx):
    paper = make_paper(user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(url(paper), {"status": "planned"}, **htmx).status_code == 403
    assert not Replication.objects.exists()


@pytest.mark.parametrize("with_replication", [False, True])
def test_include_line_for_the_paper_page_renders(user, with_replication):
    """The include line we give the paper page works with and without a replication."""
    paper = make_paper(user, title="Include me")
    if with_replication:
        ReplicationFactory(owner=user, paper=paper)
    request = RequestFactory().get("/")
    request.user = user
    template = Template(
        '{% include "replications/_for_paper.html" with paper=paper '
        "replication=paper.replication %}"
    )
    html = template.render(Context({"paper": paper, "request": request}))
    assert 'id="paper-replication"' in html
    assert ("Mark done" in html) is with_replication
    assert ("Start replicating" in html) is not with_replication


def test_paper_page_shows_the_replication_card(client_logged_in, user):
    planned = make_paper(user, title="Planned paper")
    replicated = make_paper(user, title="Replicated paper")
    ReplicationFactory(owner=user, paper=replicated, metric_name="BLEU", paper_value=28.4)
    empty = client_logged_in.get(reverse("papers:detail", args=[planned.pk])).content.decode()
    assert 'id="paper-replication"' in empty
    assert "Start replicating" in empty
    full = client_logged_in.get(reverse("papers:detail", args=[replicated.pk])).content.decode()
    assert 'id="paper-replication"' in full
    assert "BLEU" in full


def test_done_with_a_start_date_after_today_is_422_on_the_start_date(client_logged_in, user, htmx):
    """The start form has no finish field: "done" finishes today, so a later start date is
    the field in error (this raised ValueError, a 500, before)."""
    paper = make_paper(user)
    tomorrow = user.local_today() + dt.timedelta(days=1)
    response = client_logged_in.post(
        url(paper), {"status": "done", "started_on": tomorrow.isoformat()}, **htmx
    )
    assert response.status_code == 422
    assert "The finish date must be on or after the start date." in response.content.decode()
    assert not Replication.objects.exists()
