import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.goals.factories import CounterEventFactory, GoalFactory
from tracker.dashboard.queries import CARDS

NOW = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)  # Friday 20 Nov 2026 in Berlin


def test_anonymous_visitors_see_the_landing_page(client, db) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.templates[0].name == "landing.html"


def test_new_user_is_guided_to_adopt_the_articles_targets(client_logged_in) -> None:
    response = client_logged_in.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in CARDS:
        assert f'id="{name}"' in html
    # What adopting creates is said first, with one button (in the goals card).
    assert "The articles' advice as 7 goals:" in html
    assert "2 papers a week" in html
    assert html.count("Adopt these 7 goals") == 1
    assert "Your reading queue is empty" in html
    assert "HX-Request" in response["Vary"]


@time_machine.travel(NOW, tick=False)
def test_streak_card_counts_the_weekly_goal(client_logged_in, user) -> None:
    goal = GoalFactory(
        owner=user,
        metric="custom",
        name="Kaggle notebooks",
        target=2,
        start_date=dt.date(2026, 10, 26),
    )
    # Weeks of 26 Oct, 2 Nov and 9 Nov met; 16 Nov (this week) has one so far.
    for day in [(10, 27), (10, 28), (11, 2), (11, 3), (11, 9), (11, 13), (11, 17)]:
        CounterEventFactory(goal=goal, date=dt.date(2026, *day))
    html = client_logged_in.get("/").content.decode()
    assert 'data-streak="3"' in html
    assert "1 of 2 times, 3 days left" in html
    assert "1 time to go in 3 days" in html


@time_machine.travel(NOW, tick=False)
def test_total_goal_shows_pace(client_logged_in, user) -> None:
    goal = GoalFactory(
        owner=user,
        metric="custom",
        name="Blog posts",
        period="total",
        target=10,
        start_date=dt.date(2026, 1, 1),
        deadline=dt.date(2026, 12, 31),
    )
    for month in range(1, 4):
        CounterEventFactory(goal=goal, date=dt.date(2026, month, 1))
    html = client_logged_in.get("/").content.decode()
    assert "3 of 10" in html
    assert "5 behind plan;" in html and "finishes by 31 Dec 2026." in html
    assert "behind" in html


@pytest.mark.parametrize("name", list(CARDS))
def test_each_card_has_its_own_partial(client_logged_in, htmx, name) -> None:
    response = client_logged_in.get(reverse("dashboard:card", args=[name]), **htmx)
    assert response.status_code == 200
    html = response.content.decode().lstrip()
    assert html.startswith((f'<section id="{name}"', f'<div id="{name}"'))
    assert "<html" not in html


def test_unknown_card_is_404(client_logged_in, htmx) -> None:
    assert client_logged_in.get(reverse("dashboard:card", args=["nope"]), **htmx).status_code == 404


def test_cards_need_login(client, db) -> None:
    response = client.get(reverse("dashboard:card", args=["streak-card"]))
    assert response.status_code == 302


def test_cards_show_only_my_data(client_logged_in, other_user) -> None:
    GoalFactory(owner=other_user, metric="custom", name="Mallory's secret counter")
    html = client_logged_in.get("/").content.decode()
    assert "Mallory" not in html


@time_machine.travel(NOW, tick=False)
def test_heatmap_cells_carry_titles_and_levels(client_logged_in, user) -> None:
    goal = GoalFactory(
        owner=user, metric="custom", name="Notebooks", start_date=dt.date(2026, 11, 2)
    )
    CounterEventFactory(goal=goal, date=dt.date(2026, 11, 20))
    CounterEventFactory(goal=goal, date=dt.date(2026, 11, 20))
    html = client_logged_in.get(reverse("dashboard:card", args=["heatmap-card"])).content.decode()
    assert 'role="img"' in html
    assert 'data-date="2026-11-20" data-level="2"' in html
    assert "<title>Fri 20 Nov 2026: 2 other items</title>" in html
    assert 'data-date="2026-11-21"' not in html  # no future days
    assert "1 active day since" in html
    assert "<table" in html  # the table fallback
