import datetime as dt

import pytest

from tracker.progress.pace import PaceStatus, compute_pace, this_week
from tracker.weeks import SUNDAY

D = dt.date


def test_on_the_straight_line_is_on_track() -> None:
    # 20 replications over 200 days; 100 days in, 10 done.
    p = compute_pace(10, 20, D(2026, 1, 1), D(2026, 4, 11), recent_done=4, deadline=D(2026, 7, 20))
    assert p.expected_by_now == pytest.approx(10)
    assert p.ahead_by == 0
    assert p.status == PaceStatus.ON_TRACK
    assert p.rate_per_week == pytest.approx(0.5)
    assert p.needed_per_week == pytest.approx(10 / (100 / 7))
    assert p.projected_date == D(2026, 4, 11) + dt.timedelta(days=140)
    assert p.percent == 50


def test_ahead_and_behind_count_items_against_the_line() -> None:
    kw = {"start": D(2026, 1, 1), "today": D(2026, 4, 11), "recent_done": 4}
    ahead = compute_pace(13, 20, deadline=D(2026, 7, 20), **kw)
    assert (ahead.status, ahead.ahead_by, ahead.ahead_label) == (PaceStatus.AHEAD, 3, "3 ahead")
    behind = compute_pace(7, 20, deadline=D(2026, 7, 20), **kw)
    assert (behind.status, behind.ahead_by, behind.ahead_label) == (
        PaceStatus.BEHIND,
        -3,
        "3 behind",
    )
    slightly = compute_pace(9, 20, deadline=D(2026, 7, 21), **kw)  # 0.9 behind
    assert slightly.status == PaceStatus.ON_TRACK


def test_nothing_recent_means_no_projection() -> None:
    p = compute_pace(3, 20, D(2026, 1, 1), D(2026, 6, 1), recent_done=0)
    assert p.projected_date is None
    assert p.status == PaceStatus.NO_DEADLINE
    assert p.ahead_by is None


def test_young_goal_rate_uses_its_age() -> None:
    # Started 13 days ago (2 weeks), 2 done: 1 a week, not 2/8.
    p = compute_pace(2, 20, D(2026, 6, 1), D(2026, 6, 14), recent_done=2)
    assert p.rate_per_week == pytest.approx(1.0)
    assert p.projected_date == D(2026, 6, 14) + dt.timedelta(days=126)


def test_done_and_overdue() -> None:
    done = compute_pace(21, 20, D(2026, 1, 1), D(2026, 3, 1), 5, deadline=D(2026, 12, 31))
    assert done.status == PaceStatus.DONE
    assert (done.remaining, done.fraction, done.projected_date) == (0, 1.0, None)
    late = compute_pace(5, 20, D(2026, 1, 1), D(2027, 1, 5), 0, deadline=D(2026, 12, 31))
    assert late.status == PaceStatus.BEHIND
    assert late.overdue
    assert late.needed_per_week == 15


def test_this_week_text() -> None:
    # Friday 20 Nov 2026, Monday weeks: Friday, Saturday, Sunday left.
    tw = this_week(1, 2, D(2026, 11, 20))
    assert tw.text == "1 of 2 papers, 3 days left"
    assert tw.needs_text == "1 paper to go in 3 days"
    assert not tw.met
    last = this_week(2, 2, D(2026, 11, 21), SUNDAY)
    assert last.text == "2 of 2 papers, 1 day left"
    assert last.needs_text == "Target met this week"
    minutes = this_week(30, 120, D(2026, 11, 22), singular="minute", plural="minutes")
    assert minutes.text == "30 of 120 minutes, 1 day left"
    assert minutes.needs_text == "90 minutes to go today"
    one = this_week(0, 1, D(2026, 11, 16))
    assert one.text == "0 of 1 paper, 7 days left"
