"""Goal progress, weekly series and the year heatmap from an :class:`Activity`.

Pure functions: the queries in :mod:`tracker.progress.queries` feed them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tracker.progress.pace import RATE_WINDOW_WEEKS, Pace, ThisWeek, compute_pace, this_week
from tracker.progress.streaks import Streak, compute_streak, target_for
from tracker.weeks import (
    EARLIEST_DATE,
    FIRST_SAFE_DAY,
    Week,
    iter_weeks,
    week_of,
    week_start_date,
)

HEATMAP_WEEKS = 53


def weekly_counts(days: Mapping[dt.date, int], week_start: int) -> dict[dt.date, int]:
    """Fold per-day amounts into per-week amounts keyed by the week's first day."""
    # Years of days fold here on every dashboard view: one lookup per day, not a call.
    monday = dt.date(2024, 1, 1)
    back = [
        monday + dt.timedelta(days=i) - week_start_date(monday + dt.timedelta(days=i), week_start)
        for i in range(7)
    ]
    weeks: dict[dt.date, int] = defaultdict(int)
    for day, n in days.items():
        if day < FIRST_SAFE_DAY:  # stepping back from the calendar's first days overflows
            weeks[week_start_date(day, week_start)] += n
        else:
            weeks[day - back[day.weekday()]] += n
    return dict(weeks)


@dataclass(frozen=True, slots=True)
class GoalProgress:
    goal: Any  # tracker.goals.models.Goal
    done: int  # this week's amount (weekly) or the total so far
    target: int  # in force this week (weekly) or the total target
    stretch: int | None
    streak: Streak | None = None
    week: ThisWeek | None = None
    pace: Pace | None = None

    @property
    def percent(self) -> int:
        return min(100, self.done * 100 // self.target) if self.target else 100

    @property
    def met(self) -> bool:
        return self.done >= self.target


def counted_from(goal: Any) -> dt.date:
    """The goal's start date, or :data:`EARLIEST_DATE` for a row stored before it."""
    start: dt.date = goal.start_date
    return max(start, EARLIEST_DATE)


def target_history(
    goal: Any, week_start: int, rows: list[tuple[dt.date, int]] | None = None
) -> list[tuple[dt.date, int]]:
    """A weekly goal's target history; a goal saved without one uses its current target.

    ``rows`` are the goal's ``(effective_from, target)`` pairs when already fetched.
    """
    if rows is None:
        rows = [(t.effective_from, t.target) for t in goal.targets.all()]
    rows = sorted(rows)
    first_week = week_start_date(counted_from(goal), week_start)
    if not rows:
        return [(first_week, goal.target)]
    if rows[0][0] > first_week:
        # The start date was moved earlier: the first target also covers those weeks.
        rows.insert(0, (first_week, rows[0][1]))
    return rows


def goal_progress(
    goal: Any,
    days: Mapping[dt.date, int],
    today: dt.date,
    week_start: int,
    breaks: Collection[dt.date] = (),
    history: list[tuple[dt.date, int]] | None = None,
) -> GoalProgress:
    """Progress of one goal from its per-day amounts (``history``: its target rows)."""
    singular, plural = goal.nouns
    if goal.is_weekly:
        history = target_history(goal, week_start, history)
        current = week_start_date(today, week_start)
        start = counted_from(goal)
        first = week_start_date(start, week_start)
        counts = weekly_counts({d: n for d, n in days.items() if d >= start}, week_start)
        streak = compute_streak(
            counts, history, current, first_week=min(first, current), breaks=breaks
        )
        target = target_for(current, history) or goal.target
        done = counts.get(current, 0)
        week = this_week(done, target, today, week_start, singular, plural)
        return GoalProgress(goal, done, target, goal.stretch_target, streak=streak, week=week)
    in_range = {d: n for d, n in days.items() if goal.start_date <= d <= today}
    done = sum(in_range.values())
    # By ordinal, so a ``today`` in the calendar's first weeks cannot step off it.
    window_start = dt.date.fromordinal(max(1, today.toordinal() - (RATE_WINDOW_WEEKS * 7 - 1)))
    recent = sum(n for d, n in in_range.items() if d >= window_start)
    pace = compute_pace(done, goal.target, goal.start_date, today, recent, goal.deadline)
    return GoalProgress(goal, done, goal.target, goal.stretch_target, pace=pace)


@dataclass(frozen=True, slots=True)
class WeekBar:
    week: Week
    count: int
    target: int | None
    is_current: bool

    @property
    def met(self) -> bool:
        return self.target is not None and self.count >= self.target


def weekly_series(
    days: Mapping[dt.date, int],
    today: dt.date,
    week_start: int,
    weeks: int = 26,
    history: list[tuple[dt.date, int]] | None = None,
) -> list[WeekBar]:
    """The last ``weeks`` weeks (current one last) with their counts and targets."""
    counts = weekly_counts(days, week_start)
    current = week_of(today, week_start)
    return [
        WeekBar(w, counts.get(w.start, 0), target_for(w.start, history or []), w == current)
        for w in iter_weeks(current.shift(-(weeks - 1)), current)
    ]


@dataclass(frozen=True, slots=True)
class HeatDay:
    day: dt.date
    papers: int
    minutes: int
    other: int  # replications, projects, competitions, write-ups, counters
    future: bool

    @property
    def score(self) -> int:
        return self.papers + self.other + self.minutes // 30

    @property
    def level(self) -> int:
        s = self.score
        if s <= 0:
            return 0
        return 1 if s == 1 else 2 if s == 2 else 3 if s <= 4 else 4

    @property
    def summary(self) -> str:
        bits = []
        if self.papers:
            bits.append(f"{self.papers} paper{'s' if self.papers != 1 else ''} read")
        if self.minutes:
            bits.append(f"{self.minutes} min reading")
        if self.other:
            bits.append(f"{self.other} other item{'s' if self.other != 1 else ''}")
        return ", ".join(bits) or "no activity"


@dataclass(frozen=True, slots=True)
class Heatmap:
    weeks: tuple[tuple[HeatDay, ...], ...]  # columns: one week of 7 days each
    active_days: int
    papers: int
    minutes: int
    best_day: HeatDay | None

    @property
    def first_day(self) -> dt.date:
        return self.weeks[0][0].day


def heatmap(
    papers: Mapping[dt.date, int],
    minutes: Mapping[dt.date, int],
    others: Iterable[Mapping[dt.date, int]],
    today: dt.date,
    week_start: int,
    weeks: int = HEATMAP_WEEKS,
) -> Heatmap:
    """A year of days, in week columns ending with the current week."""
    other: dict[dt.date, int] = defaultdict(int)
    for series in others:
        for day, n in series.items():
            other[day] += n
    current = week_of(today, week_start)
    columns = []
    for w in iter_weeks(current.shift(-(weeks - 1)), current):
        columns.append(
            tuple(
                HeatDay(d, papers.get(d, 0), minutes.get(d, 0), other.get(d, 0), d > today)
                for d in w.days()
            )
        )
    cells = [c for col in columns for c in col if not c.future]
    active = [c for c in cells if c.score > 0]
    best = max(active, key=lambda c: c.score, default=None)
    return Heatmap(
        weeks=tuple(columns),
        active_days=len(active),
        papers=sum(c.papers for c in cells),
        minutes=sum(c.minutes for c in cells),
        best_day=best,
    )
