"""The user's local week: start/end dates, keys, iteration.

Everything here works on dates. An aware instant is first converted to the user's local
date; after that no datetime arithmetic happens, so DST shifts and half-hour offsets
cannot move a day into the wrong week (T6).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

MONDAY = 0
SUNDAY = 6
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# The earliest date the app tracks. Forms refuse anything before it (tracker/forms.py); a
# row stored before it (older data, the admin) is counted from here, so a goal "started"
# in year 1 costs six thousand weeks of streak, not a hundred thousand.
EARLIEST_DATE = dt.date(1900, 1, 1)

# Week arithmetic looks up to a week either side of a day (the week's start, its end, the
# next week). Days are clamped into this range first, so nothing here can step off the
# calendar (OverflowError) — not even for a date.min/date.max already in the database.
FIRST_SAFE_DAY = dt.date.min + dt.timedelta(days=7)
LAST_SAFE_DAY = dt.date.max - dt.timedelta(days=14)


def clamp_day(day: dt.date) -> dt.date:
    """``day`` moved into the range where week arithmetic is safe (unchanged in practice)."""
    return min(max(day, FIRST_SAFE_DAY), LAST_SAFE_DAY)


def _check_week_start(week_start: int) -> None:
    if not 0 <= week_start <= 6:
        raise ValueError(f"week_start must be 0 (Monday) .. 6 (Sunday), not {week_start!r}")


def to_tzinfo(tz: str | dt.tzinfo) -> dt.tzinfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def local_date(value: dt.date | dt.datetime, tz: str | dt.tzinfo = "UTC") -> dt.date:
    """The local calendar date of ``value``.

    A ``date`` is already local (activity is stored as local dates) and is returned as is;
    an aware ``datetime`` is converted to ``tz`` first. Naive datetimes are refused: their
    meaning depends on the server's clock.
    """
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime: pass an aware instant or a local date")
        try:
            return value.astimezone(to_tzinfo(tz)).date()
        except OverflowError:
            # An instant within hours of datetime.min/max: its own date is as close as
            # the calendar allows.
            return value.date()
    return value


def week_start_date(day: dt.date, week_start: int = MONDAY) -> dt.date:
    """First day of the week containing ``day`` (clamped by :func:`clamp_day`)."""
    _check_week_start(week_start)
    day = clamp_day(day)
    return day - dt.timedelta(days=(day.weekday() - week_start) % 7)


@dataclass(frozen=True, slots=True)
class Week:
    """One local week, identified by its first day."""

    start: dt.date
    week_start: int = MONDAY

    def __post_init__(self) -> None:
        _check_week_start(self.week_start)
        if self.start.weekday() != self.week_start:
            raise ValueError(
                f"{self.start} is a {WEEKDAY_NAMES[self.start.weekday()]}, "
                f"not a {WEEKDAY_NAMES[self.week_start]}"
            )
        if not FIRST_SAFE_DAY - dt.timedelta(days=6) <= self.start <= LAST_SAFE_DAY:
            raise ValueError(f"{self.start} is too close to the end of the calendar")

    @property
    def end(self) -> dt.date:
        """Last day of the week (inclusive)."""
        return self.start + dt.timedelta(days=6)

    @property
    def anchor(self) -> dt.date:
        """The week's fourth day; the week belongs to this day's year (ISO's Thursday rule)."""
        return self.start + dt.timedelta(days=3)

    @property
    def year(self) -> int:
        return self.anchor.year

    @property
    def number(self) -> int:
        """Display number 1..53 within :attr:`year`; equals the ISO week for Monday starts."""
        return (self.anchor.timetuple().tm_yday - 1) // 7 + 1

    @property
    def key(self) -> str:
        """Stable key: ISO ``2026-W53`` for Monday weeks, the start date otherwise.

        Non-Monday weeks have no standard numbering, so the key is the unambiguous first
        day (``2026-12-27``) and :attr:`label` carries the friendly number.
        """
        if self.week_start == MONDAY:
            return f"{self.year}-W{self.number:02d}"
        return self.start.isoformat()

    @property
    def label(self) -> str:
        return f"Week {self.number}, {self.year}"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range(7)]

    def shift(self, weeks: int) -> Week:
        """The week ``weeks`` later (earlier if negative), stopping at the calendar's edge."""
        ordinal = self.start.toordinal() + 7 * weeks
        ordinal = min(max(ordinal, FIRST_SAFE_DAY.toordinal()), LAST_SAFE_DAY.toordinal())
        day = dt.date.fromordinal(ordinal)
        return Week(week_start_date(day, self.week_start), self.week_start)

    def next(self) -> Week:
        return self.shift(1)

    def previous(self) -> Week:
        return self.shift(-1)

    def days_left(self, today: dt.date) -> int:
        """Days left in the week counting ``today`` (7 on the first day, 1 on the last)."""
        if today < self.start:
            return 7
        if today > self.end:
            return 0
        return (self.end - today).days + 1


def week_of(
    value: dt.date | dt.datetime, week_start: int = MONDAY, tz: str | dt.tzinfo = "UTC"
) -> Week:
    """The local week containing a local date or an aware instant."""
    return Week(week_start_date(local_date(value, tz), week_start), week_start)


def iter_weeks(first: Week, last: Week) -> Iterator[Week]:
    """Weeks from ``first`` to ``last`` inclusive (nothing if ``last`` is earlier)."""
    if first.week_start != last.week_start:
        raise ValueError("weeks with different week starts")
    week = first
    while week.start <= last.start:
        yield week
        if week.start == last.start:
            return  # never step past ``last``: at the calendar's edge next() stands still
        week = week.next()
