import datetime as dt

from tracker.progress.report import heatmap, weekly_counts, weekly_series

D = dt.date


def test_weekly_counts_fold_days_into_local_weeks() -> None:
    days = {D(2026, 12, 27): 1, D(2026, 12, 28): 2, D(2027, 1, 3): 1}
    assert weekly_counts(days, 0) == {D(2026, 12, 21): 1, D(2026, 12, 28): 3}
    assert weekly_counts(days, 6) == {D(2026, 12, 27): 3, D(2027, 1, 3): 1}


def test_weekly_series_has_the_target_in_force_each_week() -> None:
    bars = weekly_series(
        {D(2026, 11, 17): 2},
        D(2026, 11, 20),
        0,
        weeks=3,
        history=[(D(2026, 11, 2), 1), (D(2026, 11, 16), 2)],
    )
    assert [(b.week.start, b.count, b.target, b.is_current) for b in bars] == [
        (D(2026, 11, 2), 0, 1, False),
        (D(2026, 11, 9), 0, 1, False),
        (D(2026, 11, 16), 2, 2, True),
    ]
    assert bars[-1].met


def test_heatmap_is_a_year_of_week_columns_without_future_activity() -> None:
    hm = heatmap(
        {D(2026, 11, 18): 2}, {D(2026, 11, 17): 45}, [{D(2026, 1, 1): 1}], D(2026, 11, 20), 0
    )
    assert len(hm.weeks) == 53
    assert all(len(col) == 7 for col in hm.weeks)
    assert hm.weeks[-1][-1].day == D(2026, 11, 22) and hm.weeks[-1][-1].future
    assert (hm.active_days, hm.papers, hm.minutes) == (3, 2, 45)
    cell = next(c for col in hm.weeks for c in col if c.day == D(2026, 11, 18))
    assert (cell.level, cell.summary) == (2, "2 papers read")
    assert hm.best_day.day == D(2026, 11, 18)
