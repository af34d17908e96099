"""Table tests for the reminder slot arithmetic (T1, T2, T3, T6)."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest

from tracker.reminders.schedule import (
    next_send_at,
    previous_send_at,
    week_key_for_slot,
    week_start_date,
)

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


# (tz, weekday, local time, after (UTC), expected send (UTC), expected local wall clock)
NEXT_SEND_CASES = [
    # New York: EST (-5) before 8 March 2026, EDT (-4) after; back to EST on 1 November.
    ("America/New_York", MON, "09:00", utc(2026, 2, 27, 12), utc(2026, 3, 2, 14), "09:00"),
    ("America/New_York", MON, "09:00", utc(2026, 3, 6, 12), utc(2026, 3, 9, 13), "09:00"),
    ("America/New_York", MON, "09:00", utc(2026, 10, 30, 12), utc(2026, 11, 2, 14), "09:00"),
    ("America/New_York", MON, "09:00", utc(2026, 10, 23, 12), utc(2026, 10, 26, 13), "09:00"),
    # Berlin: CET (+1) / CEST (+2), switching 29 March and 25 October 2026.
    ("Europe/Berlin", MON, "09:00", utc(2026, 3, 20, 12), utc(2026, 3, 23, 8), "09:00"),
    ("Europe/Berlin", MON, "09:00", utc(2026, 3, 27, 12), utc(2026, 3, 30, 7), "09:00"),
    ("Europe/Berlin", MON, "09:00", utc(2026, 10, 16, 12), utc(2026, 10, 19, 7), "09:00"),
    ("Europe/Berlin", MON, "09:00", utc(2026, 10, 23, 12), utc(2026, 10, 26, 8), "09:00"),
    # Sydney: AEDT (+11) until 5 April 2026, AEST (+10) until 4 October.
    ("Australia/Sydney", MON, "09:00", utc(2026, 3, 27, 12), utc(2026, 3, 29, 22), "09:00"),
    ("Australia/Sydney", MON, "09:00", utc(2026, 4, 3, 12), utc(2026, 4, 5, 23), "09:00"),
    ("Australia/Sydney", MON, "09:00", utc(2026, 9, 25, 12), utc(2026, 9, 27, 23), "09:00"),
    ("Australia/Sydney", MON, "09:00", utc(2026, 10, 2, 12), utc(2026, 10, 4, 22), "09:00"),
    # Lord Howe: +11 in summer, +10:30 in winter (a 30-minute shift).
    ("Australia/Lord_Howe", MON, "09:00", utc(2026, 3, 27, 12), utc(2026, 3, 29, 22), "09:00"),
    (
        "Australia/Lord_Howe",
        MON,
        "09:00",
        utc(2026, 4, 3, 12),
        utc(2026, 4, 5, 22, 30),
        "09:00",
    ),
    (
        "Australia/Lord_Howe",
        MON,
        "09:00",
        utc(2026, 9, 25, 12),
        utc(2026, 9, 27, 22, 30),
        "09:00",
    ),
    ("Australia/Lord_Howe", MON, "09:00", utc(2026, 10, 2, 12), utc(2026, 10, 4, 22), "09:00"),
    # +05:30 and +05:45, including a slot whose UTC date is the day before.
    ("Asia/Kolkata", MON, "09:00", utc(2026, 11, 20, 12), utc(2026, 11, 23, 3, 30), "09:00"),
    ("Asia/Kathmandu", MON, "09:00", utc(2026, 11, 20, 12), utc(2026, 11, 23, 3, 15), "09:00"),
    ("Asia/Kolkata", MON, "02:00", utc(2026, 11, 22, 20), utc(2026, 11, 22, 20, 30), "02:00"),
    (
        "Asia/Kathmandu",
        SUN,
        "23:59",
        utc(2026, 11, 22, 18, 14),
        utc(2026, 11, 29, 18, 14),
        "23:59",
    ),
    # Sunday slot, late in the evening, across a UTC day boundary.
    ("America/New_York", SUN, "21:30", utc(2026, 11, 22, 12), utc(2026, 11, 23, 2, 30), "21:30"),
    # Nonexistent local times shift forward by the length of the gap (T2).
    ("America/New_York", SUN, "02:30", utc(2026, 3, 7), utc(2026, 3, 8, 7, 30), "03:30"),
    ("Europe/Berlin", SUN, "02:30", utc(2026, 3, 28), utc(2026, 3, 29, 1, 30), "03:30"),
    ("Australia/Sydney", SUN, "02:30", utc(2026, 10, 2), utc(2026, 10, 3, 16, 30), "03:30"),
    ("Australia/Lord_Howe", SUN, "02:15", utc(2026, 10, 2), utc(2026, 10, 3, 15, 45), "02:45"),
    # Repeated local times use the first occurrence (T2).
    ("America/New_York", SUN, "01:30", utc(2026, 10, 31, 12), utc(2026, 11, 1, 5, 30), "01:30"),
    ("Europe/Berlin", SUN, "02:30", utc(2026, 10, 24), utc(2026, 10, 25, 0, 30), "02:30"),
    ("Australia/Sydney", SUN, "02:30", utc(2026, 4, 3), utc(2026, 4, 4, 15, 30), "02:30"),
    ("Australia/Lord_Howe", SUN, "01:45", utc(2026, 4, 3), utc(2026, 4, 4, 14, 45), "01:45"),
]


@pytest.mark.parametrize(
    ("tz_name", "weekday", "local_time", "after", "expected", "wall_clock"),
    NEXT_SEND_CASES,
    ids=[f"{c[0]}-{c[1]}-{c[2]}-{c[3]:%Y%m%d%H%M}" for c in NEXT_SEND_CASES],
)
def test_next_send_at_lands_on_the_local_slot(
    tz_name: str,
    weekday: int,
    local_time: str,
    after: dt.datetime,
    expected: dt.datetime,
    wall_clock: str,
) -> None:
    for week_start in (MON, SUN):
        sent = next_send_at(tz_name, week_start, weekday, dt.time.fromisoformat(local_time), after)
        assert sent == expected
        assert sent.tzinfo == dt.UTC
        local = sent.astimezone(ZoneInfo(tz_name))
        assert local.strftime("%H:%M") == wall_clock
        assert local.weekday() == weekday


def test_next_send_is_strictly_after_the_given_instant() -> None:
    slot = utc(2026, 11, 23, 8)  # Monday 09:00 in Berlin
    assert (
        next_send_at("Europe/Berlin", MON, MON, dt.time(9), slot - dt.timedelta(seconds=1)) == slot
    )
    assert next_send_at("Europe/Berlin", MON, MON, dt.time(9), slot) == utc(2026, 11, 30, 8)


@pytest.mark.parametrize(
    ("tz_name", "local_time", "first", "second_would_be"),
    [
        ("America/New_York", "01:30", utc(2026, 11, 1, 5, 30), utc(2026, 11, 1, 6, 30)),
        ("Europe/Berlin", "02:30", utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30)),
        ("Australia/Lord_Howe", "01:45", utc(2026, 4, 4, 14, 45), utc(2026, 4, 4, 15, 15)),
    ],
)
def test_repeated_local_time_sends_once(
    tz_name: str, local_time: str, first: dt.datetime, second_would_be: dt.datetime
) -> None:
    t = dt.time.fromisoformat(local_time)
    # The instant after the first send is a week later, never the second occurrence.
    following = next_send_at(tz_name, MON, SUN, t, first)
    assert following > second_would_be
    assert following - first > dt.timedelta(days=6)
    # Both occurrences belong to the same week, so the unique row would stop a second send.
    assert week_key_for_slot(tz_name, MON, SUN, first) == week_key_for_slot(
        tz_name, MON, SUN, second_would_be
    )


def test_walking_a_year_of_slots_keeps_the_local_time_and_one_per_week() -> None:
    for tz_name in (
        "America/New_York",
        "Europe/Berlin",
        "Australia/Sydney",
        "Australia/Lord_Howe",
        "Asia/Kolkata",
        "Asia/Kathmandu",
    ):
        tz = ZoneInfo(tz_name)
        for week_start in (MON, SUN):
            after = utc(2026, 1, 1)
            keys = []
            for _ in range(60):
                after = next_send_at(tz_name, week_start, WED, dt.time(18, 45), after)
                local = after.astimezone(tz)
                assert (local.weekday(), local.hour, local.minute) == (WED, 18, 45)
                keys.append(week_key_for_slot(tz_name, week_start, WED, after))
            assert len(set(keys)) == len(keys)
            gaps = {(b - a).days for a, b in itertools.pairwise(keys)}
            assert gaps == {7}


@pytest.mark.parametrize(
    ("slot_day", "weekday", "week_start", "expected"),
    [
        (dt.date(2026, 11, 22), SUN, MON, dt.date(2026, 11, 16)),
        (dt.date(2026, 11, 22), SUN, SUN, dt.date(2026, 11, 22)),
        (dt.date(2026, 11, 23), MON, MON, dt.date(2026, 11, 23)),
        (dt.date(2026, 11, 23), MON, SUN, dt.date(2026, 11, 22)),
        (dt.date(2026, 11, 21), SAT, SUN, dt.date(2026, 11, 15)),
        # Across the year end: 1 Jan 2027 (a Friday) is in 2026-W53.
        (dt.date(2027, 1, 1), FRI, MON, dt.date(2026, 12, 28)),
        (dt.date(2027, 1, 1), FRI, SUN, dt.date(2026, 12, 27)),
        (dt.date(2027, 1, 3), SUN, SUN, dt.date(2027, 1, 3)),
        (dt.date(2027, 1, 3), SUN, MON, dt.date(2026, 12, 28)),
    ],
)
def test_week_key_uses_the_users_week_start(
    slot_day: dt.date, weekday: int, week_start: int, expected: dt.date
) -> None:
    for tz_name in ("Europe/Berlin", "Asia/Kathmandu", "America/New_York"):
        instant = dt.datetime.combine(slot_day, dt.time(9), tzinfo=ZoneInfo(tz_name))
        assert week_key_for_slot(tz_name, week_start, weekday, instant) == expected
    assert week_start_date(slot_day, week_start) == expected


def test_week_key_follows_the_local_date_not_the_utc_date() -> None:
    # Monday 02:00 in Kolkata is Sunday 20:30 UTC: the local week is the one that starts Monday.
    instant = utc(2026, 11, 22, 20, 30)
    assert week_key_for_slot("Asia/Kolkata", MON, MON, instant) == dt.date(2026, 11, 23)
    assert week_key_for_slot("UTC", MON, SUN, instant) == dt.date(2026, 11, 16)


def test_slot_pushed_past_midnight_by_a_gap_keeps_its_own_week() -> None:
    # Samoa skipped Friday 30 December 2011 entirely; the slot moved into Saturday.
    sent = next_send_at("Pacific/Apia", SAT, FRI, dt.time(9), utc(2011, 12, 28))
    assert sent == utc(2011, 12, 30, 19)
    assert sent.astimezone(ZoneInfo("Pacific/Apia")).date() == dt.date(2011, 12, 31)
    assert week_key_for_slot("Pacific/Apia", SAT, FRI, sent) == dt.date(2011, 12, 24)


def test_a_missed_scheduler_tick_still_finds_this_weeks_slot() -> None:
    # Slot Monday 09:00 Berlin (08:00 UTC). The scheduler was down until 10:37 local.
    t = dt.time(9)
    now = utc(2026, 11, 23, 9, 37)
    slot = previous_send_at("Europe/Berlin", MON, MON, t, now)
    assert slot == utc(2026, 11, 23, 8)
    assert slot <= now  # due: the local clock passed the slot this week
    assert week_key_for_slot("Europe/Berlin", MON, MON, slot) == dt.date(2026, 11, 23)
    # One tick before the slot nothing this week is due; the previous slot is last week's.
    before = utc(2026, 11, 23, 7, 55)
    assert previous_send_at("Europe/Berlin", MON, MON, t, before) == utc(2026, 11, 16, 8)
    assert next_send_at("Europe/Berlin", MON, MON, t, before) == slot


@pytest.mark.parametrize("tz_name", ["Australia/Lord_Howe", "Asia/Kathmandu", "America/New_York"])
def test_previous_and_next_send_bracket_any_instant(tz_name: str) -> None:
    at = utc(2026, 1, 1)
    for step in range(0, 24 * 400, 7):
        instant = at + dt.timedelta(hours=step)
        prev = previous_send_at(tz_name, MON, THU, dt.time(0, 30), instant)
        nxt = next_send_at(tz_name, MON, THU, dt.time(0, 30), instant)
        assert prev <= instant < nxt
        assert next_send_at(tz_name, MON, THU, dt.time(0, 30), prev) == nxt


def test_naive_after_is_rejected() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_send_at("UTC", MON, MON, dt.time(9), dt.datetime(2026, 1, 1))  # noqa: DTZ001


def test_next_reminder_at_is_none_when_reminders_are_off() -> None:
    from accounts.models import User
    from tracker.reminders.schedule import next_reminder_at

    user = User(reminders_enabled=False, timezone="Europe/Berlin")
    assert next_reminder_at(user, dt.datetime(2026, 11, 20, tzinfo=dt.UTC)) is None


def test_next_reminder_at_keeps_a_due_slot_only_when_asked() -> None:
    from accounts.models import User
    from tracker.reminders.schedule import next_reminder_at

    due = dt.datetime(2026, 11, 23, 8, tzinfo=dt.UTC)  # Monday 09:00 in Berlin
    user = User(
        timezone="Europe/Berlin",
        reminder_weekday=0,
        reminder_time=dt.time(9),
        next_reminder_at=due,
    )
    later = due + dt.timedelta(minutes=30)
    assert next_reminder_at(user, later, keep_current=True) == due
    assert next_reminder_at(user, later) == due + dt.timedelta(weeks=1)
    user.reminder_time = dt.time(10)  # the stored instant is no slot of the new settings
    assert next_reminder_at(user, later, keep_current=True) == due + dt.timedelta(hours=1)
