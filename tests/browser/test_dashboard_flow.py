"""A new user adopts the articles' targets and logs papers from the dashboard, in Chromium."""

import datetime as dt
from collections.abc import Iterator
from unittest import mock

import pytest
import time_machine
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread
from pytest_django.live_server_helper import LiveServer

from tests.factories import PASSWORD, UserFactory
from tracker.papers.models import Paper

pytestmark = pytest.mark.browser


class SerialWSGIServer(WSGIServer):
    """One request at a time (and Connection: close), unlike the threaded default."""

    def __init__(self, *args: object, connections_override: object = None, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


class SerialLiveServerThread(LiveServerThread):
    server_class = SerialWSGIServer


@pytest.fixture
def live_server(transactional_db: None) -> Iterator[LiveServer]:
    """A live server that answers requests one by one.

    A logged paper refreshes seven cards at once; on SQLite the test database is one
    in-memory connection shared with the server thread, which concurrent requests would
    use from several threads at a time ("bad parameter or other API misuse").
    """
    with mock.patch("django.test.testcases.LiveServerThread", SerialLiveServerThread):
        server = LiveServer("localhost")
    yield server
    server.stop()


# Wednesday 18 Nov 2026, 11:00 in Berlin; the live server runs in this process, so
# time-machine moves its clock too.
WEDNESDAY = dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC)
NEXT_MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def htmx_idle(page: object) -> None:
    page.wait_for_function("() => !document.querySelector('.htmx-request')")  # type: ignore[attr-defined]


def mark_read(page: object, title: str) -> None:
    # The mark-read slot refreshes itself after every paperLogged event; let htmx settle
    # before and after so the form is not swapped out mid-action.
    htmx_idle(page)
    page.select_option("#mark-read select[name=paper]", label=title)  # type: ignore[attr-defined]
    page.click("#mark-read button[type=submit]")  # type: ignore[attr-defined]
    htmx_idle(page)


def test_adopt_log_two_papers_and_see_the_week_met_without_reload(page: object) -> None:
    with time_machine.travel(WEDNESDAY, tick=True) as traveller:
        user = UserFactory(email="grace@example.com", timezone="Europe/Berlin")
        for i, title in enumerate(["Attention Is All You Need", "Deep Residual Learning"]):
            Paper.objects.create(
                owner=user,
                title=title,
                status="to_read",
                added_on=dt.date(2026, 11, 1),
                queue_position=i,
            )

        page.goto("/accounts/login/")  # type: ignore[attr-defined]
        page.fill("input[name=login]", user.email)  # type: ignore[attr-defined]
        page.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
        page.click("form button[type=submit]")  # type: ignore[attr-defined]
        page.wait_for_url(page.base_url + "/")  # type: ignore[attr-defined]
        page.evaluate("window.__noReload = true")  # type: ignore[attr-defined]

        page.click("#goals-card >> text=Adopt these 7 goals")  # type: ignore[attr-defined]
        page.wait_for_selector("#streak-card >> text=0 of 2 papers, 5 days left")  # type: ignore[attr-defined]
        page.wait_for_selector("#goals-card >> text=Replications done")  # type: ignore[attr-defined]

        mark_read(page, "Attention Is All You Need")
        page.wait_for_selector("#streak-card >> text=1 of 2 papers, 5 days left")  # type: ignore[attr-defined]
        mark_read(page, "Deep Residual Learning")
        page.wait_for_selector("#streak-card >> text=2 of 2 papers, 5 days left")  # type: ignore[attr-defined]

        assert page.get_attribute("#streak-card .streak-number", "data-streak") == "1"  # type: ignore[attr-defined]
        cell = "#heatmap-card rect[data-date='2026-11-18']"
        page.wait_for_selector(f"{cell}[data-level='2']")  # type: ignore[attr-defined]
        assert "2 papers read" in page.text_content(f"{cell} title")  # type: ignore[attr-defined]
        # Every card above changed in place: the page was never reloaded.
        assert page.evaluate("window.__noReload") is True  # type: ignore[attr-defined]

        # A week on, the streak card says what this week takes and keeps last week's streak.
        traveller.move_to(NEXT_MONDAY)
        page.reload()  # type: ignore[attr-defined]
        card = page.text_content("#streak-card")  # type: ignore[attr-defined]
        assert "0 of 2 papers, 7 days left" in card
        assert "2 papers to go in 7 days" in card
        assert page.get_attribute("#streak-card .streak-number", "data-streak") == "1"  # type: ignore[attr-defined]
