"""Multi-step writes on goals: presets, target history, counters, breaks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from tracker.goals.models import (
    METRIC_NOUNS,
    CounterEvent,
    Goal,
    GoalTarget,
    Metric,
    Period,
    WeekBreak,
)
from tracker.weeks import week_start_date


@dataclass(frozen=True, slots=True)
class Preset:
    metric: str
    period: str
    target: int
    stretch_target: int | None = None
    deadline_days: int | None = None
    why: str = ""


# DESIGN.md §1: the articles' advice as goals. Totals get a one-year deadline so pace
# can say ahead or behind; every number is editable afterwards.
ARTICLE_PRESETS: tuple[Preset, ...] = (
    Preset(Metric.PAPERS_READ, Period.WEEKLY, 2, why="At the low end, 2 papers a week."),
    Preset(Metric.READING_MINUTES, Period.WEEKLY, 120, 240, why="2-4 hours of reading."),
    Preset(
        Metric.PAPERS_EXPLAINED, Period.WEEKLY, 1, 2, why="Understand it well enough to explain."
    ),
    Preset(Metric.REPLICATIONS_DONE, Period.TOTAL, 20, 50, 365, why="Replicate 20 to 50 papers."),
    Preset(Metric.PROJECTS_COMPLETED, Period.TOTAL, 3, None, 365, why="2 or 3 great projects."),
    Preset(Metric.COMPETITIONS_ENTERED, Period.TOTAL, 2, 4, 365, why="Enter Kaggle competitions."),
    Preset(Metric.WRITEUPS_PUBLISHED, Period.TOTAL, 6, 12, 365, why="Write up what you learn."),
)


def preset_label(preset: Preset) -> str:
    """What adopting ``preset`` creates: "2 papers a week", "20 replications in a year"."""
    if preset.metric == Metric.READING_MINUTES:
        amount = f"{preset.target // 60} hours of reading"
    else:
        singular, plural = METRIC_NOUNS[preset.metric]
        amount = f"{preset.target} {singular if preset.target == 1 else plural}"
    if preset.period == Period.WEEKLY:
        return f"{amount} a week"
    return f"{amount} in a year" if preset.deadline_days == 365 else f"{amount} in total"


def missing_presets(goals: Any) -> list[tuple[Preset, str]]:
    """The article presets ``adopt_article_targets`` would create next to ``goals`` (the
    user's goals), each with its label; empty once all are adopted."""
    existing = {(g.metric, g.period) for g in goals if g.active and g.metric != Metric.CUSTOM}
    return [(p, preset_label(p)) for p in ARTICLE_PRESETS if (p.metric, p.period) not in existing]


def display_order(goals: Any) -> list[Goal]:
    """Active first, weekly before total, "papers read" first: the goal the streak is about
    heads the list."""
    return sorted(
        goals,
        key=lambda g: (not g.active, g.period != Period.WEEKLY, g.metric != Metric.PAPERS_READ),
    )


def _week_start(user: Any, day: dt.date) -> dt.date:
    return week_start_date(day, user.week_start)


@transaction.atomic
def create_goal(user: Any, today: dt.date, **fields: Any) -> Goal:
    goal = Goal.objects.create(owner=user, **fields)
    if goal.is_weekly:
        # The first target applies from the week the goal starts in.
        GoalTarget.objects.create(
            goal=goal, effective_from=_week_start(user, goal.start_date), target=goal.target
        )
    return goal


@transaction.atomic
def update_goal(goal: Goal, today: dt.date, old_target: int) -> Goal:
    """Save an edited goal; a changed weekly target applies from this week on.

    Past weeks keep the target they were judged against: the history gets (or replaces)
    a row for the current week instead of rewriting earlier ones.
    """
    goal.save()
    if goal.is_weekly:
        history = GoalTarget.objects.filter(goal=goal)
        if not history.exists():
            GoalTarget.objects.create(
                goal=goal,
                effective_from=_week_start(goal.owner, goal.start_date),
                target=old_target,
            )
        if goal.target != old_target or not history.exists():
            this_week = max(
                _week_start(goal.owner, today), _week_start(goal.owner, goal.start_date)
            )
            GoalTarget.objects.update_or_create(
                goal=goal, effective_from=this_week, defaults={"target": goal.target}
            )
    return goal


@transaction.atomic
def adopt_article_targets(user: Any, today: dt.date) -> list[Goal]:
    """Create the DESIGN.md §1 goals the user does not have yet (safe to click twice)."""
    existing = set(
        Goal.objects.owned_by(user)
        .active()
        .exclude(metric=Metric.CUSTOM)
        .values_list("metric", "period")
    )
    created = []
    for preset in ARTICLE_PRESETS:
        if (preset.metric, preset.period) in existing:
            continue
        deadline = today + dt.timedelta(days=preset.deadline_days) if preset.deadline_days else None
        created.append(
            create_goal(
                user,
                today,
                metric=preset.metric,
                period=preset.period,
                target=preset.target,
                stretch_target=preset.stretch_target,
                start_date=today,
                deadline=deadline,
            )
        )
    return created


def add_count(goal: Goal, day: dt.date) -> CounterEvent:
    return CounterEvent.objects.create(goal=goal, date=day)


def mark_break(user: Any, day: dt.date) -> WeekBreak:
    """Mark the week containing ``day`` as a break (idempotent)."""
    start = _week_start(user, day)
    try:
        with transaction.atomic():
            return WeekBreak.objects.get_or_create(owner=user, week_start=start)[0]
    except IntegrityError:  # a concurrent click created it first
        return WeekBreak.objects.get(owner=user, week_start=start)
