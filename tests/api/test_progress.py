"""Goals with progress, the streak and pace: the dashboard's numbers (tracker.progress)."""

from __future__ import annotations

import datetime as dt

import time_machine

from accounts.models import User
from tests.api.conftest import ApiClient
from tests.goals.factories import GoalFactory
from tests.papers.factories import PaperFactory
from tracker.dashboard.queries import Dashboard


@time_machine.travel("2026-03-04 12:00:00Z", tick=False)
def test_goals_streak_and_pace_match_the_dashboard(user: User, api: ApiClient) -> None:
    weekly = GoalFactory(owner=user, start_date=dt.date(2026, 1, 5), target=1)
    total = GoalFactory(
        owner=user,
        metric="papers_read",
        period="total",
        target=20,
        start_date=dt.date(2026, 1, 5),
        deadline=dt.date(2026, 12, 31),
    )
    for day in (dt.date(2026, 2, 17), dt.date(2026, 2, 24), dt.date(2026, 3, 3)):
        PaperFactory(owner=user, status="read", finished_on=day)

    board = {p.goal.pk: p for p in Dashboard(user).progress}
    goals = {g["id"]: g for g in api.get("/goals").json()}
    assert goals[weekly.pk]["streak"]["current"] == board[weekly.pk].streak.current == 3
    assert goals[weekly.pk]["done"] == 1 and goals[weekly.pk]["met"] is True
    assert goals[total.pk]["done"] == board[total.pk].done == 3
    assert goals[total.pk]["pace"]["status"] == str(board[total.pk].pace.status)
    assert goals[total.pk]["deadline"] == "2026-12-31"

    streak = api.get("/streak").json()
    assert streak["goal_id"] == weekly.pk
    assert streak["streak"]["current"] == 3
    assert [g["id"] for g in api.get("/pace").json()] == [total.pk]
    assert api.get(f"/goals/{total.pk}").json()["pace"]["target"] == 20


def test_no_goals(user: User, api: ApiClient) -> None:
    assert api.get("/goals").json() == []
    assert api.get("/streak").json() == {"goal_id": None, "goal": None, "streak": None}
    assert api.get("/pace").json() == []
