"""Dates at the edges of the calendar never answer 500 (issue 17, point 3)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.goals.factories import GoalFactory
from tracker.dashboard.queries import CARDS
from tracker.goals.models import Goal
from tracker.reminders.emails import weekly_reminder_email


def _pages(goal_pk: int) -> list[str]:
    return [
        reverse("dashboard:home"),
        *[reverse("dashboard:card", args=[name]) for name in CARDS],
        reverse("reminders:preview"),
        reverse("goals:edit", args=[goal_pk]),
        reverse("goals:list"),
    ]


@pytest.mark.parametrize("start", [dt.date.min, dt.date(1, 1, 2), dt.date.max])
def test_stored_weekly_goal_at_calendar_edge_survives_switch_to_sunday_weeks(
    client_logged_in: Client, user: User, start: dt.date
) -> None:
    goal = GoalFactory(owner=user, start_date=start)
    user.week_start = 6
    user.save(update_fields=["week_start"])
    for url in _pages(goal.pk):
        assert client_logged_in.get(url).status_code == 200, url
    message = weekly_reminder_email(user)
    assert message.subject and "Ada" in message.body


@pytest.mark.parametrize("start", ["0001-01-01", "1899-12-31", "9999-12-31"])
@pytest.mark.parametrize("as_htmx", [False, True], ids=["plain", "htmx"])
def test_goal_form_refuses_a_start_outside_1900_to_ten_years_ahead_keeping_input(
    client_logged_in: Client, htmx: dict[str, str], start: str, as_htmx: bool
) -> None:
    data = {"metric": "papers_read", "period": "weekly", "target": "2", "start_date": start}
    headers = htmx if as_htmx else {}
    response = client_logged_in.post(reverse("goals:create"), data, **headers)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter a date between 1900-01-01 and" in html
    assert f'value="{start}"' in html
    assert not Goal.objects.exists()
