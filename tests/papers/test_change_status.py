import pytest
from django.urls import reverse

from tests.papers.util import events
from tracker.papers.models import Status


def url(paper):
    return reverse("papers:status", args=[paper.pk])


def test_htmx_post_returns_the_row_and_triggers(client_logged_in, user, paper, htmx):
    response = client_logged_in.post(url(paper), {"status": "read"}, **htmx)
    assert response.status_code == 200
    assert events(response) == {"paperLogged"}
    assert response.content.decode().lstrip().startswith(f'<tr id="paper-row-{paper.pk}"')
    paper.refresh_from_db()
    assert paper.status == Status.READ
    assert paper.finished_on == user.local_today()


def test_plain_post_redirects_to_next(client_logged_in, paper):
    response = client_logged_in.post(url(paper), {"status": "reading", "next": "/papers/?q=x"})
    assert response.status_code == 302
    assert response["Location"] == "/papers/?q=x"
    paper.refresh_from_db()
    assert paper.status == Status.READING
    assert paper.started_on is not None


def test_next_cannot_point_off_site(client_logged_in, paper):
    response = client_logged_in.post(
        url(paper), {"status": "reading", "next": "https://evil.test/"}
    )
    assert response["Location"] == reverse("papers:library")


def test_back_to_to_read_clears_finish_and_queues_last(client_logged_in, user, paper):
    client_logged_in.post(url(paper), {"status": "read"})
    client_logged_in.post(url(paper), {"status": "to_read"})
    paper.refresh_from_db()
    assert paper.finished_on is None
    assert paper.status == Status.TO_READ


@pytest.mark.parametrize("htmx_headers", [{}, {"HTTP_HX_REQUEST": "true"}])
def test_invalid_status_is_422(client_logged_in, paper, htmx_headers):
    response = client_logged_in.post(url(paper), {"status": "done"}, **htmx_headers)
    assert response.status_code == 422
    paper.refresh_from_db()
    assert paper.status == Status.TO_READ


def test_get_is_not_allowed(client_logged_in, paper):
    assert client_logged_in.get(url(paper)).status_code == 405


@pytest.mark.parametrize("htmx_headers", [{}, {"HTTP_HX_REQUEST": "true"}])
def test_other_users_paper_is_404(client_logged_in, others_paper, htmx_headers):
    response = client_logged_in.post(url(others_paper), {"status": "read"}, **htmx_headers)
    assert response.status_code == 404
    others_paper.refresh_from_db()
    assert others_paper.status == Status.TO_READ
