"""The progress functions never raise OverflowError, even for dates at date.min/date.max.

Forms bound new dates to 1900 … today + 10 years, but rows stored before that bound (or
through the admin) still reach these functions (issue 17, point 3).
"""

import datetime as dt
import itertools
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.progress.pace import compute_pace, this_week
from tracker.progress.report import goal_progress, heatmap, weekly_counts, weekly_series
from tracker.progress.streaks import compute_streak
from tracker.reminders import schedule
from tracker.weeks import (
    FIRST_SAFE_DAY,
    LAST_SAFE_DAY,
    clamp_day,
    iter_weeks,
    local_date,
    week_of,
    week_start_date,
)

EDGE = dt.timedelta(days=60)
edge_dates = st.one_of(
    st.dates(max_value=dt.date.min + EDGE),
    st.dates(min_value=dt.date.max - EDGE),
    st.dates(),
)
week_starts = st.sampled_from([0, 6]) | st.integers(0, 6)
counts = st.dictionaries(edge_dates, st.integers(0, 5), max_size=6)


@given(day=edge_dates, week_start=week_starts)
def test_week_of_any_date_is_a_real_week(day: dt.date, week_start: int) -> None:
    week = week_of(day, week_start)
    assert week.start.weekday() == week_start
    if FIRST_SAFE_DAY <= day <= LAST_SAFE_DAY:
        assert day in week  # clamping changes nothing away from the edges
    assert week.end >= week.start
    assert week.next().start >= week.start
    assert week.previous().start <= week.start
    assert week.shift(10**6).start <= dt.date.max
    assert week.shift(-(10**6)).start >= dt.date.min
    assert week.key
    assert 0 <= week.days_left(day) <= 7
    assert week.number >= 1


@given(day=edge_dates, week_start=week_starts)
def test_iter_weeks_to_the_last_week_of_the_calendar_ends(day: dt.date, week_start: int) -> None:
    last = week_of(dt.date.max, week_start)
    first = week_of(max(day, dt.date.max - dt.timedelta(days=70)), week_start)
    weeks = list(iter_weeks(first, last))
    assert len(weeks) <= 12
    assert all(a.start < b.start for a, b in itertools.pairwise(weeks))


@given(
    instant=st.datetimes(timezones=st.just(dt.UTC)),
    tz=st.sampled_from(["Pacific/Kiritimati", "Pacific/Niue", "UTC", "Asia/Kolkata"]),
)
def test_local_date_of_any_instant(instant: dt.datetime, tz: str) -> None:
    day = local_date(instant, tz)
    assert abs((day - instant.date()).days) <= 1


def test_reminder_schedule_uses_the_one_week_function() -> None:
    # The reminder schedule keys weeks with tracker.weeks, so its clamping guards them too.
    assert schedule.week_start_date is week_start_date


@given(day=edge_dates, week_start=week_starts)
def test_week_start_never_overflows(day: dt.date, week_start: int) -> None:
    start = week_start_date(day, week_start)
    assert start.weekday() == week_start
    assert abs((start - clamp_day(day)).days) <= 6


@given(
    days=counts,
    first=edge_dates,
    current=edge_dates,
    breaks=st.sets(edge_dates, max_size=3),
    week_start=week_starts,
)
def test_streak_over_any_dates(
    days: dict, first: dt.date, current: dt.date, breaks: set, week_start: int
) -> None:
    current_week = week_start_date(current, week_start)
    # At most 300 weeks apart, so each example stays fast.
    first_week = week_start_date(first, week_start)
    if (current_week - first_week).days > 7 * 300:
        first_week = current_week - dt.timedelta(weeks=300)
    weekly = weekly_counts(days, week_start)
    streak = compute_streak(
        weekly, [(first_week, 2)], current_week, first_week=first_week, breaks=breaks
    )
    assert streak.longest >= streak.current >= 0


@given(
    done=st.integers(0, 10**9),
    target=st.integers(1, 2**31 - 1),
    start=edge_dates,
    today=edge_dates,
    recent=st.integers(0, 10**9),
    deadline=st.none() | edge_dates,
    week_start=week_starts,
)
def test_pace_and_this_week_over_any_dates(
    done: int,
    target: int,
    start: dt.date,
    today: dt.date,
    recent: int,
    deadline: dt.date | None,
    week_start: int,
) -> None:
    pace = compute_pace(done, target, start, today, recent, deadline)
    assert pace.projected_date is None or pace.projected_date >= today
    assert 0 <= this_week(done, target, today, week_start).days_left <= 7


# A weekly goal's streak walks every week from its start (at the earliest 1900) to today, so
# "today" near date.max would walk 420,000 weeks per example: today is a real today there.
practical_todays = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 1, 1))


@settings(deadline=None)  # a streak from 1900 to 2200 walks 15,000 weeks
@given(
    start=edge_dates,
    deadline=st.none() | edge_dates,
    today=edge_dates,
    weekly_today=practical_todays,
    weekly=st.booleans(),
    days=counts,
    week_start=week_starts,
)
def test_goal_progress_series_and_heatmap_over_any_dates(
    start: dt.date,
    deadline: dt.date | None,
    today: dt.date,
    weekly_today: dt.date,
    weekly: bool,
    days: dict,
    week_start: int,
) -> None:
    if weekly:
        today = weekly_today
    goal = SimpleNamespace(
        is_weekly=weekly,
        start_date=start,
        deadline=deadline,
        target=3,
        stretch_target=None,
        nouns=("paper", "papers"),
        targets=SimpleNamespace(all=lambda: []),
    )
    progress = goal_progress(goal, days, today, week_start, history=[])
    assert progress.done >= 0
    series = weekly_series(days, today, week_start, history=[(start, 2)])
    assert len(series) <= 26
    heat = heatmap(days, days, [days], today, week_start)
    assert len(heat.weeks) <= 53
