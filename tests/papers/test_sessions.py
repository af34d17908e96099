import datetime as dt

import pytest
from django.urls import reverse

from tests.papers.factories import ReadingSessionFactory
from tests.papers.util import events
from tracker.papers.models import ReadingSession, Status


def add_url(paper):
    return reverse("papers:add_session", args=[paper.pk])


def test_htmx_add_returns_sessions_partial_and_triggers(client_logged_in, paper, htmx):
    response = client_logged_in.post(
        add_url(paper), {"date": "2026-01-07", "minutes": "25"}, **htmx
    )
    assert response.status_code == 200
    assert events(response) == {"paperLogged"}
    assert response.content.decode().lstrip().startswith('<section id="sessions"')
    session = ReadingSession.objects.get(paper=paper)
    assert (session.date, session.minutes) == (dt.date(2026, 1, 7), 25)
    paper.refresh_from_db()
    assert paper.status == Status.READING


def test_plain_add_redirects(client_logged_in, paper):
    response = client_logged_in.post(add_url(paper), {"date": "2026-01-07", "minutes": "25"})
    assert response.status_code == 302
    assert response["Location"] == paper.get_absolute_url()


@pytest.mark.parametrize("htmx_headers", [{}, {"HTTP_HX_REQUEST": "true"}])
@pytest.mark.parametrize("minutes", ["0", "1441", "abc", ""])
def test_invalid_minutes_are_422(client_logged_in, paper, htmx_headers, minutes):
    response = client_logged_in.post(
        add_url(paper), {"date": "2026-01-07", "minutes": minutes}, **htmx_headers
    )
    assert response.status_code == 422
    assert 'value="2026-01-07"' in response.content.decode()
    assert not ReadingSession.objects.exists()


def test_future_session_date_is_refused(client_logged_in, user, paper):
    tomorrow = (user.local_today() + dt.timedelta(days=1)).isoformat()
    response = client_logged_in.post(add_url(paper), {"date": tomorrow, "minutes": "10"})
    assert response.status_code == 422


def test_edit_session_changes_date_and_minutes(client_logged_in, paper, htmx):
    session = ReadingSessionFactory(paper=paper)
    url = reverse("papers:edit_session", args=[session.pk])
    assert client_logged_in.get(url).status_code == 200
    assert (
        client_logged_in.get(url, **htmx)
        .content.decode()
        .lstrip()
        .startswith('<section id="session-form"')
    )
    response = client_logged_in.post(url, {"date": "2026-01-02", "minutes": "50"}, **htmx)
    assert events(response) == {"paperLogged"}
    session.refresh_from_db()
    assert (session.date, session.minutes) == (dt.date(2026, 1, 2), 50)
    bad = client_logged_in.post(url, {"date": "2026-01-02", "minutes": "-5"})
    assert bad.status_code == 422
    assert 'value="-5"' in bad.content.decode()


def test_delete_session(client_logged_in, paper, htmx):
    session = ReadingSessionFactory(paper=paper)
    response = client_logged_in.post(reverse("papers:delete_session", args=[session.pk]), **htmx)
    assert response.status_code == 200
    assert events(response) == {"paperLogged"}
    assert not ReadingSession.objects.exists()


@pytest.mark.parametrize("htmx_headers", [{}, {"HTTP_HX_REQUEST": "true"}])
def test_other_users_sessions_and_papers_are_404(client_logged_in, others_paper, htmx_headers):
    session = ReadingSessionFactory(paper=others_paper)
    payload = {"date": "2026-01-07", "minutes": "25"}
    for url in (
        add_url(others_paper),
        reverse("papers:edit_session", args=[session.pk]),
        reverse("papers:delete_session", args=[session.pk]),
    ):
        assert client_logged_in.post(url, payload, **htmx_headers).status_code == 404
    assert ReadingSession.objects.get() == session
