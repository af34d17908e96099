"""Weekly streaks with freezes and planned breaks (DESIGN.md §3).

Pure functions over per-week counts keyed by each week's first day; the query code
supplies the counts, the target history and the break weeks.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

FREEZE_EVERY = 4
MAX_FREEZES = 2


class WeekState(StrEnum):
    MET = "met"
    MISSED = "missed"
    FROZEN = "frozen"
    BREAK = "break"
    OPEN = "open"


class WeekResult(NamedTuple):
    """One week of a streak. A NamedTuple, not a dataclass: years of weekly goals build
    hundreds of these per dashboard view, and a tuple is several times cheaper to make."""

    start: dt.date
    count: int  # type: ignore[assignment]  # shadows tuple.count, as the field always did
    target: int
    state: WeekState
    streak: int  # the running streak after this week
    freezes_banked: int  # the bank after this week


@dataclass(frozen=True, slots=True)
class Streak:
    weeks: tuple[WeekResult, ...]
    current: int
    longest: int
    freezes_banked: int
    freezes_earned: int
    freezes_spent: int

    @property
    def current_week(self) -> WeekResult | None:
        return self.weeks[-1] if self.weeks else None

    @property
    def last_finished_week(self) -> WeekResult | None:
        return self.weeks[-2] if len(self.weeks) >= 2 else None


def target_for(week: dt.date, history: Sequence[tuple[dt.date, int]]) -> int | None:
    """Target in force for the week starting ``week``.

    ``history`` is ``(effective_from_week_start, target)`` sorted by date; a change applies
    from its week on and never to earlier weeks. ``None`` before the first entry.
    """
    i = bisect_right([start for start, _ in history], week)
    return history[i - 1][1] if i else None


def compute_streak(
    counts: Mapping[dt.date, int],
    targets: Sequence[tuple[dt.date, int]],
    current_week: dt.date,
    *,
    first_week: dt.date | None = None,
    breaks: Collection[dt.date] = (),
) -> Streak:
    """Per-week states and the streak of a weekly goal.

    ``counts`` and ``breaks`` are keyed by week-start dates; ``targets`` is the target
    history (see :func:`target_for`); weeks run from ``first_week`` (default: the first
    target's week) to ``current_week`` inclusive, one every 7 days.

    Rules: a finished week is met when its count reaches its target, else missed — unless
    a freeze is banked, which it spends and shows as frozen (the streak survives but does
    not grow). Every ``FREEZE_EVERY`` consecutive met weeks earn a freeze, at most
    ``MAX_FREEZES`` banked. A break week neither breaks nor extends anything. The current
    week counts once met and is otherwise open, which never breaks the streak.
    """
    history = sorted(targets)
    if not history:
        return Streak((), 0, 0, 0, 0, 0)
    week = first_week if first_week is not None else history[0][0]
    break_set = set(breaks)
    streak = longest = run = banked = earned = spent = 0
    results: list[WeekResult] = []
    # Weeks advance in order, so walk the target history alongside instead of searching
    # it for each of (after years of use) hundreds of weeks.
    i = bisect_right([start for start, _ in history], week)
    # Count the weeks instead of stepping ``week`` past ``current_week``: one step beyond
    # a current week near date.max would leave the calendar (OverflowError).
    first = week
    total_weeks = (current_week - first).days // 7 + 1 if first <= current_week else 0
    step = dt.timedelta(weeks=1)
    append = results.append
    for n in range(total_weeks):
        if n:  # never one step past current_week (see above)
            week += step
        while i < len(history) and history[i][0] <= week:
            i += 1
        target: int | None = history[i - 1][1] if i else None
        count = counts.get(week, 0)
        is_current = week == current_week
        if target is None:
            # Week before the goal had a target: nothing to judge.
            state = WeekState.OPEN if is_current else WeekState.BREAK
            target = 0
        elif week in break_set:
            state = WeekState.BREAK
        elif count >= target:
            state = WeekState.MET
            streak += 1
            run += 1
            if run % FREEZE_EVERY == 0:
                earned += 1
                banked = min(MAX_FREEZES, banked + 1)
        elif is_current:
            state = WeekState.OPEN
        elif banked:
            state = WeekState.FROZEN
            banked -= 1
            spent += 1
            run = 0
        else:
            state = WeekState.MISSED
            streak = run = 0
        if streak > longest:
            longest = streak
        append(WeekResult(week, count, target, state, streak, banked))
    return Streak(tuple(results), streak, longest, banked, earned, spent)
