import datetime as dt

import pytest
from django.urls import reverse

from tests.papers.util import events
from tracker.papers.models import Status


def url(paper):
    return reverse("papers:edit", args=[paper.pk])


def data(paper, **changes):
    base = {
        "title": paper.title,
        "authors": paper.authors,
        "year": paper.year or "",
        "status": paper.status,
        "arxiv_id": paper.arxiv_id,
        "topic_names": "",
    }
    return {**base, **changes}


def test_full_page_has_current_values(client_logged_in, paper):
    response = client_logged_in.get(url(paper))
    assert response.status_code == 200
    assert 'value="Attention Is All You Need"' in response.content.decode()
    assert "<html" in response.content.decode()


def test_htmx_gets_the_form_partial(client_logged_in, paper, htmx):
    response = client_logged_in.get(url(paper), **htmx)
    assert response.content.decode().lstrip().startswith('<section id="paper-form"')


def test_valid_htmx_post_saves_and_triggers(client_logged_in, paper, htmx):
    response = client_logged_in.post(
        url(paper),
        data(paper, status="read", finished_on="2026-01-10", started_on="2026-01-08"),
        **htmx,
    )
    assert response.status_code == 200
    assert events(response) == {"paperLogged"}
    paper.refresh_from_db()
    assert paper.status == Status.READ
    assert paper.finished_on == dt.date(2026, 1, 10)
    assert paper.started_on == dt.date(2026, 1, 8)


def test_valid_plain_post_redirects(client_logged_in, paper):
    response = client_logged_in.post(url(paper), data(paper, title="New title"))
    assert response.status_code == 302
    paper.refresh_from_db()
    assert paper.title == "New title"


def test_dates_can_be_changed_after_the_fact(client_logged_in, paper):
    client_logged_in.post(url(paper), data(paper, status="read", finished_on="2025-12-01"))
    client_logged_in.post(url(paper), data(paper, status="read", finished_on="2025-11-01"))
    paper.refresh_from_db()
    assert paper.finished_on == dt.date(2025, 11, 1)


@pytest.mark.parametrize("htmx_headers", [{}, {"HTTP_HX_REQUEST": "true"}])
def test_invalid_post_is_422_and_keeps_input(client_logged_in, paper, htmx_headers):
    response = client_logged_in.post(
        url(paper),
        data(paper, title="Changed", started_on="2026-01-10", finished_on="2026-01-01"),
        **htmx_headers,
    )
    assert response.status_code == 422
    assert 'value="Changed"' in response.content.decode()
    assert "before the start date" in response.content.decode()
    paper.refresh_from_db()
    assert paper.title == "Attention Is All You Need"


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("htmx_headers", [{}, {"HTTP_HX_REQUEST": "true"}])
def test_other_users_paper_is_404(client_logged_in, others_paper, method, htmx_headers):
    response = getattr(client_logged_in, method)(
        url(others_paper), data(others_paper, title="pwned"), **htmx_headers
    )
    assert response.status_code == 404
    others_paper.refresh_from_db()
    assert others_paper.title != "pwned"
