"""T4: moving to another timezone never rewrites past weeks."""

import datetime as dt
from collections import Counter

from tracker.progress.streaks import compute_streak
from tracker.weeks import week_of

# Local dates as stored when the papers were finished (the user lived in Sydney then).
FINISHED_ON = [
    dt.date(2026, 10, 5),
    dt.date(2026, 10, 11),  # Sunday: the last day of a Monday week
    dt.date(2026, 10, 12),
    dt.date(2026, 10, 18),
    dt.date(2026, 10, 25),
]


def history(zone: str, now: dt.datetime) -> list[tuple[dt.date, str]]:
    current = week_of(now, 0, zone).start
    counts = Counter(week_of(day).start for day in FINISHED_ON)
    streak = compute_streak(counts, [(dt.date(2026, 10, 5), 2)], current)
    return [(w.start, w.state.value) for w in streak.weeks if w.start < current]


def test_changing_timezone_keeps_every_past_week() -> None:
    # Wednesday 12:00 UTC is Wednesday in both Sydney and New York.
    now = dt.datetime(2026, 11, 4, 12, 0, tzinfo=dt.UTC)
    sydney = history("Australia/Sydney", now)
    new_york = history("America/New_York", now)
    assert sydney == new_york
    assert sydney[:2] == [(dt.date(2026, 10, 5), "met"), (dt.date(2026, 10, 12), "met")]


def test_stored_local_dates_are_not_shifted_by_the_new_zone() -> None:
    # A date is already local: no zone can move Sunday 11 Oct into the next week.
    for zone in ("Australia/Sydney", "America/New_York", "Pacific/Kiritimati", "Etc/GMT+12"):
        assert week_of(dt.date(2026, 10, 11), 0, zone).start == dt.date(2026, 10, 5)
