import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest

from tracker.weeks import (
    MONDAY,
    SUNDAY,
    Week,
    iter_weeks,
    local_date,
    week_of,
)

D = dt.date
UTC = dt.UTC


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "key"),
    [
        (D(2027, 1, 1), "2026-W53"),  # T3: 1 Jan 2027 belongs to ISO week 53 of 2026
        (D(2026, 12, 28), "2026-W53"),
        (D(2027, 1, 3), "2026-W53"),
        (D(2027, 1, 4), "2027-W01"),
        (D(2024, 12, 30), "2025-W01"),  # a December day in next year's week 1
        (D(2021, 1, 3), "2020-W53"),
        (D(2026, 1, 1), "2026-W01"),
        (D(2025, 12, 28), "2025-W52"),
        (D(2026, 6, 15), "2026-W25"),
    ],
)
def test_monday_week_keys_are_iso_across_year_ends(day: dt.date, key: str) -> None:
    assert week_of(day, MONDAY).key == key
    iso = day.isocalendar()
    assert key == f"{iso.year}-W{iso.week:02d}"


@pytest.mark.parametrize(
    ("day", "start", "key", "label"),
    [
        (D(2027, 1, 1), D(2026, 12, 27), "2026-12-27", "Week 52, 2026"),
        (D(2027, 1, 2), D(2026, 12, 27), "2026-12-27", "Week 52, 2026"),
        (D(2027, 1, 3), D(2027, 1, 3), "2027-01-03", "Week 1, 2027"),
        (D(2020, 12, 31), D(2020, 12, 27), "2020-12-27", "Week 53, 2020"),
        (D(2022, 1, 1), D(2021, 12, 26), "2021-12-26", "Week 52, 2021"),
        (D(2026, 1, 1), D(2025, 12, 28), "2025-12-28", "Week 53, 2025"),
        (D(2026, 1, 4), D(2026, 1, 4), "2026-01-04", "Week 1, 2026"),
    ],
)
def test_sunday_week_keys_are_the_start_date_with_a_display_number(
    day: dt.date, start: dt.date, key: str, label: str
) -> None:
    week = week_of(day, SUNDAY)
    assert week.start == start
    assert week.end == start + dt.timedelta(days=6)
    assert week.key == key
    assert week.label == label


def test_monday_display_number_matches_iso_everywhere() -> None:
    day = D(2015, 1, 1)
    while day < D(2035, 1, 1):
        week = week_of(day)
        assert (week.year, week.number) == tuple(day.isocalendar())[:2]
        day += dt.timedelta(days=1)


def test_every_week_start_gives_seven_day_weeks_containing_the_day() -> None:
    for week_start in range(7):
        for offset in range(14):
            day = D(2026, 12, 24) + dt.timedelta(days=offset)
            week = week_of(day, week_start)
            assert week.start.weekday() == week_start
            assert day in week
            assert week.days()[0] == week.start
            assert len(week.days()) == 7


# (zone, instant in UTC, local date, Monday-week start) around each DST change
@pytest.mark.parametrize(
    ("zone", "instant", "local", "monday_week"),
    [
        # New York: DST starts 8 Mar 2026, ends 1 Nov 2026
        ("America/New_York", utc(2026, 3, 9, 3, 59), D(2026, 3, 8), D(2026, 3, 2)),
        ("America/New_York", utc(2026, 3, 9, 4, 0), D(2026, 3, 9), D(2026, 3, 9)),
        ("America/New_York", utc(2026, 11, 2, 4, 59), D(2026, 11, 1), D(2026, 10, 26)),
        ("America/New_York", utc(2026, 11, 2, 5, 0), D(2026, 11, 2), D(2026, 11, 2)),
        # Berlin: DST starts 29 Mar 2026, ends 25 Oct 2026
        ("Europe/Berlin", utc(2026, 3, 29, 21, 59), D(2026, 3, 29), D(2026, 3, 23)),
        ("Europe/Berlin", utc(2026, 3, 29, 22, 0), D(2026, 3, 30), D(2026, 3, 30)),
        ("Europe/Berlin", utc(2026, 10, 25, 22, 59), D(2026, 10, 25), D(2026, 10, 19)),
        ("Europe/Berlin", utc(2026, 10, 25, 23, 0), D(2026, 10, 26), D(2026, 10, 26)),
        # Sydney: DST ends 5 Apr 2026, starts 4 Oct 2026
        ("Australia/Sydney", utc(2026, 4, 5, 13, 59), D(2026, 4, 5), D(2026, 3, 30)),
        ("Australia/Sydney", utc(2026, 4, 5, 14, 0), D(2026, 4, 6), D(2026, 4, 6)),
        ("Australia/Sydney", utc(2026, 10, 4, 12, 59), D(2026, 10, 4), D(2026, 9, 28)),
        ("Australia/Sydney", utc(2026, 10, 4, 13, 0), D(2026, 10, 5), D(2026, 10, 5)),
        # Lord Howe: +10:30 standard, +11 summer (a 30-minute shift)
        ("Australia/Lord_Howe", utc(2026, 4, 5, 13, 29), D(2026, 4, 5), D(2026, 3, 30)),
        ("Australia/Lord_Howe", utc(2026, 4, 5, 13, 30), D(2026, 4, 6), D(2026, 4, 6)),
        ("Australia/Lord_Howe", utc(2026, 10, 4, 12, 59), D(2026, 10, 4), D(2026, 9, 28)),
        ("Australia/Lord_Howe", utc(2026, 10, 4, 13, 0), D(2026, 10, 5), D(2026, 10, 5)),
        # +05:30 and +05:45, on the way into ISO week 53
        ("Asia/Kolkata", utc(2026, 12, 27, 18, 29), D(2026, 12, 27), D(2026, 12, 21)),
        ("Asia/Kolkata", utc(2026, 12, 27, 18, 30), D(2026, 12, 28), D(2026, 12, 28)),
        ("Asia/Kathmandu", utc(2026, 12, 27, 18, 14), D(2026, 12, 27), D(2026, 12, 21)),
        ("Asia/Kathmandu", utc(2026, 12, 27, 18, 15), D(2026, 12, 28), D(2026, 12, 28)),
    ],
)
def test_instants_fall_in_the_local_week_across_dst_and_odd_offsets(
    zone: str, instant: dt.datetime, local: dt.date, monday_week: dt.date
) -> None:
    assert local_date(instant, zone) == local
    assert week_of(instant, MONDAY, zone).start == monday_week
    # The same instant given in another zone's clothing is the same instant.
    assert week_of(instant.astimezone(ZoneInfo("Pacific/Kiritimati")), MONDAY, zone).start == (
        monday_week
    )


@pytest.mark.parametrize(
    ("instant", "sunday_week"),
    [
        (utc(2026, 3, 8, 4, 59), D(2026, 3, 1)),  # Sat 23:59 EST
        (utc(2026, 3, 8, 5, 0), D(2026, 3, 8)),  # Sun 00:00 EST, the DST day
        (utc(2026, 11, 1, 3, 59), D(2026, 10, 25)),  # Sat 23:59 EDT
        (utc(2026, 11, 1, 4, 0), D(2026, 11, 1)),  # Sun 00:00 EDT, the fall-back day
    ],
)
def test_sunday_weeks_in_new_york_across_dst(instant: dt.datetime, sunday_week: dt.date) -> None:
    assert week_of(instant, SUNDAY, "America/New_York").start == sunday_week


@pytest.mark.parametrize(
    "zone", ["America/New_York", "Europe/Berlin", "Australia/Sydney", "Australia/Lord_Howe"]
)
def test_dst_weeks_are_seven_days_and_one_week_apart(zone: str) -> None:
    # T6: the gap is taken on dates; 23- and 25-hour days change nothing.
    weeks = list(iter_weeks(week_of(D(2026, 3, 1)), week_of(D(2026, 11, 30))))
    assert all((b.start - a.start).days == 7 for a, b in itertools.pairwise(weeks))
    assert all((w.end - w.start).days == 6 for w in weeks)
    assert len({w.key for w in weeks}) == len(weeks)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        local_date(dt.datetime(2026, 1, 1, 12, 0), "UTC")  # noqa: DTZ001


def test_a_week_must_start_on_its_week_start_day() -> None:
    with pytest.raises(ValueError, match="Tuesday"):
        Week(D(2026, 12, 29), MONDAY)
    with pytest.raises(ValueError):
        week_of(D(2026, 12, 29), 7)


@pytest.mark.parametrize(
    ("today", "week_start", "left"),
    [
        (D(2026, 11, 20), MONDAY, 3),  # Friday: Fri, Sat, Sun
        (D(2026, 11, 16), MONDAY, 7),
        (D(2026, 11, 22), MONDAY, 1),
        (D(2026, 11, 22), SUNDAY, 7),
        (D(2026, 11, 21), SUNDAY, 1),
    ],
)
def test_days_left_counts_today(today: dt.date, week_start: int, left: int) -> None:
    assert week_of(today, week_start).days_left(today) == left


def test_iter_weeks_runs_across_the_year_end() -> None:
    keys = [w.key for w in iter_weeks(week_of(D(2026, 12, 14)), week_of(D(2027, 1, 11)))]
    assert keys == ["2026-W51", "2026-W52", "2026-W53", "2027-W01", "2027-W02"]
    assert list(iter_weeks(week_of(D(2027, 1, 11)), week_of(D(2026, 12, 14)))) == []
