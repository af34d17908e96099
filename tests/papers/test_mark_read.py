import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from tests.papers.factories import PaperFactory
from tests.papers.util import events
from tracker.papers.models import ReadingSession, Status

GENERAL = reverse("papers:mark_read")


def for_paper(paper):
    return reverse("papers:mark_read_paper", args=[paper.pk])


def test_dashboard_partial_renders_without_context(user, paper, others_paper):
    request = RequestFactory().get("/")
    request.user = user
    html = render_to_string("papers/_mark_read_form.html", {}, request=request)
    assert 'id="mark-read"' in html
    assert paper.title in html
    assert others_paper.title not in html
    assert f'value="{user.local_today().isoformat()}"' in html


def test_full_page(client_logged_in, paper):
    response = client_logged_in.get(for_paper(paper))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert 'name="minutes"' in html


def test_htmx_get_is_the_partial(client_logged_in, paper, htmx):
    response = client_logged_in.get(for_paper(paper), **htmx)
    assert response.content.decode().lstrip().startswith('<section id="mark-read"')


def test_htmx_post_marks_read_logs_minutes_and_triggers(client_logged_in, user, paper, htmx):
    response = client_logged_in.post(
        GENERAL,
        {
            "paper": paper.pk,
            "finished_on": "2026-01-10",
            "minutes": "45",
            "depth": "2",
            "summary": "  Self-attention only.  ",
        },
        **htmx,
    )
    assert response.status_code == 200
    assert events(response) == {"paperLogged"}
    paper.refresh_from_db()
    assert paper.status == Status.READ
    assert paper.finished_on == dt.date(2026, 1, 10)
    assert paper.depth == 2
    assert paper.summary == "Self-attention only."
    assert paper.explained
    session = ReadingSession.objects.get(paper=paper)
    assert (session.date, session.minutes) == (dt.date(2026, 1, 10), 45)
    assert "Marked" in response.content.decode()


def test_plain_post_redirects_to_the_paper(client_logged_in, paper):
    response = client_logged_in.post(
        for_paper(paper), {"paper": paper.pk, "finished_on": "2026-01-10"}
    )
    assert response.status_code == 302
    assert response["Location"] == paper.get_absolute_url()
    paper.refresh_from_db()
    assert paper.status == Status.READ


@pytest.mark.parametrize("htmx_headers", [{}, {"HTTP_HX_REQUEST": "true"}])
def test_future_date_is_422_and_input_kept(client_logged_in, user, paper, htmx_headers):
    tomorrow = (user.local_today() + dt.timedelta(days=1)).isoformat()
    response = client_logged_in.post(
        GENERAL,
        {"paper": paper.pk, "finished_on": tomorrow, "summary": "keep me"},
        **htmx_headers,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "keep me" in html
    assert "in the future" in html
    paper.refresh_from_db()
    assert paper.status == Status.TO_READ


def test_other_users_paper_cannot_be_chosen(client_logged_in, others_paper):
    response = client_logged_in.post(
        GENERAL, {"paper": others_paper.pk, "finished_on": "2026-01-10"}
    )
    assert response.status_code == 422
    others_paper.refresh_from_db()
    assert others_paper.status == Status.TO_READ


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("htmx_headers", [{}, {"HTTP_HX_REQUEST": "true"}])
def test_other_users_paper_url_is_404(client_logged_in, others_paper, method, htmx_headers):
    response = getattr(client_logged_in, method)(
        for_paper(others_paper),
        {"paper": others_paper.pk, "finished_on": "2026-01-10"},
        **htmx_headers,
    )
    assert response.status_code == 404


def test_read_papers_are_not_offered(client_logged_in, user):
    done = PaperFactory(owner=user, status=Status.READ, finished_on=dt.date(2026, 1, 1))
    html = client_logged_in.get(GENERAL).content.decode()
    assert done.title not in html
