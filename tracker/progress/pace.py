"""Pace of a total goal and the "this week" line (DESIGN.md §3)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import StrEnum

from tracker.weeks import MONDAY, week_of

RATE_WINDOW_WEEKS = 8


class PaceStatus(StrEnum):
    DONE = "done"
    AHEAD = "ahead"
    ON_TRACK = "on track"
    BEHIND = "behind"
    NO_DEADLINE = "no deadline"


@dataclass(frozen=True, slots=True)
class Pace:
    done: int
    target: int
    start: dt.date
    today: dt.date
    deadline: dt.date | None
    rate_per_week: float  # over the last RATE_WINDOW_WEEKS (or since start if shorter)
    needed_per_week: float | None  # to finish by the deadline; None without one or if done
    projected_date: dt.date | None  # None when done or when nothing is being done
    expected_by_now: float | None  # on the straight line start -> deadline
    ahead_by: int | None  # items ahead (+) or behind (-) the straight line
    status: PaceStatus

    @property
    def remaining(self) -> int:
        return max(0, self.target - self.done)

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.target) if self.target > 0 else 1.0

    @property
    def percent(self) -> int:
        return math.floor(self.fraction * 100)

    @property
    def overdue(self) -> bool:
        return self.deadline is not None and self.today > self.deadline and self.remaining > 0

    @property
    def line(self) -> str:
        return pace_line(self)

    @property
    def ahead_label(self) -> str:
        if self.ahead_by is None:
            return ""
        if self.ahead_by == 0:
            return "on the line"
        n = abs(self.ahead_by)
        return f"{n} {'ahead' if self.ahead_by > 0 else 'behind'}"


def _date(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _rate(per_week: float) -> str:
    """0.38 -> "1 every 3 weeks", 1.5 -> "1.5 a week"."""
    if per_week >= 0.95:
        return f"{round(per_week, 1):g} a week"
    return f"1 every {max(2, round(1 / per_week))} weeks"


def pace_line(pace: Pace) -> str:
    """One plain sentence for a total goal: where it stands and what it takes."""
    if pace.status == PaceStatus.DONE:
        return "Done."
    left = pace.remaining
    if pace.deadline is None:
        if pace.rate_per_week > 0 and pace.projected_date:
            return f"{left} to go; done by {_date(pace.projected_date)} at your recent pace."
        return f"{left} to go, no deadline."
    by = _date(pace.deadline)
    if pace.overdue:
        return f"The deadline ({by}) has passed with {left} to go."
    needed = _rate(pace.needed_per_week) if pace.needed_per_week else ""
    if pace.status == PaceStatus.AHEAD:
        return f"{pace.ahead_by} ahead of plan; {needed} finishes by {by}."
    if pace.status == PaceStatus.BEHIND and pace.ahead_by is not None:
        return f"{-pace.ahead_by} behind plan; {needed} from now on finishes by {by}."
    return f"On plan: {needed} finishes by {by}."


def compute_pace(
    done: int,
    target: int,
    start: dt.date,
    today: dt.date,
    recent_done: int,
    deadline: dt.date | None = None,
) -> Pace:
    """Pace of a total goal.

    ``recent_done`` is what was done in the last ``RATE_WINDOW_WEEKS`` weeks (the 56 days
    ending today); when the goal is younger than that the rate is taken over its age (at
    least one week) so a fresh goal is not projected as slow. The straight line runs from
    ``target=0`` on ``start`` to ``target`` on ``deadline``; within one item of it is
    "on track".
    """
    age_days = max(0, (today - start).days)
    window_weeks = min(RATE_WINDOW_WEEKS, max(1.0, (age_days + 1) / 7))
    rate = recent_done / window_weeks
    remaining = max(0, target - done)

    projected: dt.date | None = None
    if remaining == 0:
        pass
    elif rate > 0:
        # A huge target at a slow rate can project past year 9999: then there is no date.
        days_to_go = math.ceil(remaining / rate * 7)
        if days_to_go <= dt.date.max.toordinal() - today.toordinal():
            projected = today + dt.timedelta(days=days_to_go)

    needed: float | None = None
    expected: float | None = None
    ahead: int | None = None
    if deadline is not None:
        span = max(1, (deadline - start).days)
        elapsed = min(max(0, (today - start).days), span)
        expected = target * elapsed / span
        # Whole items off the line, toward zero: less than one item either way is on track.
        ahead = math.trunc(round(done - expected, 6))
        if remaining:
            days_left = (deadline - today).days
            needed = remaining / (days_left / 7) if days_left > 0 else float(remaining)

    if remaining == 0:
        status = PaceStatus.DONE
    elif deadline is None:
        status = PaceStatus.NO_DEADLINE
    elif today > deadline:
        status = PaceStatus.BEHIND
    elif ahead is not None and ahead >= 1:
        status = PaceStatus.AHEAD
    elif ahead is not None and ahead <= -1:
        status = PaceStatus.BEHIND
    else:
        status = PaceStatus.ON_TRACK
    return Pace(
        done=done,
        target=target,
        start=start,
        today=today,
        deadline=deadline,
        rate_per_week=rate,
        needed_per_week=needed,
        projected_date=projected,
        expected_by_now=expected,
        ahead_by=ahead,
        status=status,
    )


@dataclass(frozen=True, slots=True)
class ThisWeek:
    count: int
    target: int
    days_left: int
    singular: str
    plural: str

    @property
    def met(self) -> bool:
        return self.count >= self.target

    @property
    def needed(self) -> int:
        return max(0, self.target - self.count)

    @property
    def text(self) -> str:
        """``1 of 2 papers, 3 days left``."""
        days = f"{self.days_left} day{'' if self.days_left == 1 else 's'} left"
        if self.count > self.target:
            # "2 of 1 paper explained" is not English: past the target, say both.
            noun = self.singular if self.count == 1 else self.plural
            return f"{self.count} {noun} (target {self.target}), {days}"
        noun = self.singular if self.target == 1 else self.plural
        return f"{self.count} of {self.target} {noun}, {days}"

    @property
    def needs_text(self) -> str:
        """What the rest of the week takes: ``2 papers to go in 7 days`` or ``Done``."""
        if self.met:
            return "Target met this week"
        noun = self.singular if self.needed == 1 else self.plural
        when = "today" if self.days_left == 1 else f"in {self.days_left} days"
        return f"{self.needed} {noun} to go {when}"

    def __str__(self) -> str:
        return self.text


def this_week(
    count: int,
    target: int,
    today: dt.date,
    week_start: int = MONDAY,
    singular: str = "paper",
    plural: str = "papers",
) -> ThisWeek:
    return ThisWeek(count, target, week_of(today, week_start).days_left(today), singular, plural)
