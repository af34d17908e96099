"""The per-user card cache: never stale after the user's own changes, never shares tokens."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.activity import data_version
from accounts.models import User
from tests.dashboard.test_queries import MAX_QUERIES
from tests.goals.factories import GoalFactory
from tests.papers.factories import PaperFactory
from tracker.dashboard.cache import CSRF_HOLE, card_key
from tracker.dashboard.queries import CARDS, Dashboard

NOW = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _card_cache_on(settings):
    """On by default only with Redis; these tests prove it correct on any shared cache."""
    settings.DASHBOARD_CACHE = True  # Friday 20 Nov 2026 in Berlin


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def queries_for(client: Client, path: str = "/", **extra: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, **extra)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def papers_read_this_year(html: str) -> int:
    match = re.search(r"(\d+) papers? read, \d+ minutes of reading", html)
    assert match, "heatmap summary missing"
    return int(match.group(1))


@time_machine.travel(NOW, tick=False)
def test_marking_a_paper_read_shows_on_the_next_page_and_card(client_logged_in, user, htmx):
    paper = PaperFactory(owner=user, title="Attention is all you need")
    assert papers_read_this_year(client_logged_in.get("/").content.decode()) == 0
    card = reverse("dashboard:card", args=["heatmap-card"])
    assert papers_read_this_year(client_logged_in.get(card, **htmx).content.decode()) == 0

    response = client_logged_in.post(
        reverse("papers:mark_read"),
        {"paper": paper.pk, "finished_on": "2026-11-20", "minutes": "45"},
        **htmx,
    )

    assert response.status_code == 200
    assert papers_read_this_year(client_logged_in.get("/").content.decode()) == 1
    assert papers_read_this_year(client_logged_in.get(card, **htmx).content.decode()) == 1
    # The mark-read slot no longer offers the paper it just logged.
    slot = client_logged_in.get(reverse("dashboard:card", args=["mark-read-slot"]), **htmx)
    assert "Attention is all you need" not in slot.content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_goal_change_refreshes_the_goals_card(client_logged_in, user, htmx):
    card = reverse("dashboard:card", args=["goals-card"])
    assert "No goals yet" in client_logged_in.get(card, **htmx).content.decode()

    client_logged_in.post(reverse("goals:adopt"), {"next": "/"})

    assert "No goals yet" not in client_logged_in.get(card, **htmx).content.decode()


def test_a_warm_page_costs_fewer_queries_than_a_cold_one(client_logged_in):
    cold = queries_for(client_logged_in)
    warm = queries_for(client_logged_in)
    assert cold <= MAX_QUERIES
    assert warm < cold
    assert warm <= 3  # session, user: the cards cost nothing


def test_only_requests_that_may_write_bump_the_version(client_logged_in, client, user):
    before = data_version(user.pk)
    client_logged_in.get("/")
    client.post(reverse("goals:adopt"))  # anonymous: redirected to log in
    assert data_version(user.pk) == before
    client_logged_in.post(reverse("goals:adopt"), {"next": "/"})
    assert data_version(user.pk) != before


@time_machine.travel(NOW, tick=False)
def test_the_key_follows_the_local_date_timezone_and_week_start(user):
    version = data_version(user.pk)
    today = Dashboard(user)
    assert today.today == dt.date(2026, 11, 20)
    keys = {
        card_key(today, version, "streak-card"),
        card_key(Dashboard(user, today=dt.date(2026, 11, 21)), version, "streak-card"),
        card_key(today, "other-version", "streak-card"),
        card_key(today, version, "goals-card"),
    }
    user.timezone = "America/New_York"
    keys.add(card_key(Dashboard(user), version, "streak-card"))
    user.week_start = 6
    keys.add(card_key(Dashboard(user), version, "streak-card"))
    assert len(keys) == 6


def test_the_page_moves_on_at_local_midnight_without_any_request(client_logged_in, user):
    GoalFactory(owner=user, metric="custom", name="Notebooks", target=2)
    # 23:30 on Friday in Berlin, then 00:30 on Saturday.
    with time_machine.travel(dt.datetime(2026, 11, 20, 22, 30, tzinfo=dt.UTC), tick=False):
        assert "3 days left" in client_logged_in.get("/").content.decode()
    with time_machine.travel(dt.datetime(2026, 11, 20, 23, 30, tzinfo=dt.UTC), tick=False):
        assert "2 days left" in client_logged_in.get("/").content.decode()


@time_machine.travel(NOW, tick=False)
def test_cached_cards_hold_no_csrf_token_and_each_browser_gets_its_own(user):
    GoalFactory(owner=user, metric="custom", name="Notebooks", target=2)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(user)
    second.force_login(user)
    first.get("/")
    html = second.get("/").content.decode()  # served from the cache the first one filled

    entries = [cache.get(card_key(Dashboard(user), data_version(user.pk), n)) for n in CARDS]
    assert all(entries)
    assert any(CSRF_HOLE in e for e in entries)
    assert not any(TOKEN.search(e.replace(CSRF_HOLE, "")) for e in entries)
    assert CSRF_HOLE not in html
    # The "+1" form on the cached goals card works for the browser that was served it.
    goal_form = re.search(r'action="(/goals/\d+/increment/)".*?value="([^"]+)"', html, re.S)
    assert goal_form
    response = second.post(goal_form.group(1), {"csrfmiddlewaretoken": goal_form.group(2)})
    assert response.status_code != 403


def test_seed_demo_refill_drops_the_cached_dashboard(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", email="demo@example.com", years=1, verbosity=0)
    demo = User.objects.get(email="demo@example.com")
    before = data_version(demo.pk)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", email="demo@example.com", years=1, verbosity=0)
    assert data_version(demo.pk) != before


def test_without_a_shared_cache_nothing_is_cached(client_logged_in, user, settings):
    # Local memory is per process: with several web workers a bump in one would not reach
    # the others, so without Redis the cards are computed on every request.
    settings.DASHBOARD_CACHE = False
    first = queries_for(client_logged_in)
    second = queries_for(client_logged_in)
    assert first == second
    dash = Dashboard(user)
    assert all(cache.get(card_key(dash, "", name)) is None for name in CARDS)
