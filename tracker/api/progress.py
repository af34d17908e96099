"""Goal progress, streak and pace for the API, from tracker.progress (as the dashboard)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tracker.goals.models import Metric
from tracker.progress import queries
from tracker.progress.report import GoalProgress, goal_progress
from tracker.weeks import week_of

# Counted from 8 weeks before the earliest goal start: enough for pace's rate window.
RATE_DAYS = 8 * 7


def all_progress(user: Any, today: dt.date | None = None) -> list[GoalProgress]:
    today = today or user.local_today()
    goals = queries.active_goals(user)
    targets = queries.target_histories(user)
    breaks = queries.break_weeks(user)
    since = week_of(today, user.week_start).start - dt.timedelta(days=RATE_DAYS)
    activity = queries.activity(user, min([since, *[g.start_date for g in goals]]))
    return [
        goal_progress(
            g, activity.days(g.metric, g.pk), today, user.week_start, breaks, targets.get(g.pk, [])
        )
        for g in goals
    ]


def primary(progress: list[GoalProgress]) -> GoalProgress | None:
    """The weekly goal the streak is about: papers read if there is one (as the dashboard)."""
    weekly = [p for p in progress if p.goal.is_weekly]
    papers = [p for p in weekly if p.goal.metric == Metric.PAPERS_READ]
    chosen = papers or weekly
    return chosen[0] if chosen else None


def streak_out(p: GoalProgress) -> dict[str, Any] | None:
    if p.streak is None:
        return None
    return {
        "current": p.streak.current,
        "longest": p.streak.longest,
        "freezes_banked": p.streak.freezes_banked,
        "this_week_done": p.done,
        "this_week_target": p.target,
        "this_week_met": p.done >= p.target,
    }


def pace_out(p: GoalProgress) -> dict[str, Any] | None:
    pace = p.pace
    if pace is None:
        return None
    return {
        "done": pace.done,
        "target": pace.target,
        "deadline": pace.deadline,
        "rate_per_week": round(pace.rate_per_week, 3),
        "needed_per_week": None if pace.needed_per_week is None else round(pace.needed_per_week, 3),
        "projected_date": pace.projected_date,
        "ahead_by": pace.ahead_by,
        "status": str(pace.status),
    }


def goal_out(p: GoalProgress) -> dict[str, Any]:
    g = p.goal
    return {
        "id": g.pk,
        "title": g.title,
        "metric": g.metric,
        "period": g.period,
        "target": p.target,
        "stretch_target": g.stretch_target,
        "start_date": g.start_date,
        "deadline": g.deadline,
        "done": p.done,
        "percent": p.percent,
        "met": p.met,
        "streak": streak_out(p),
        "pace": pace_out(p),
    }
