import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from tracker.progress.streaks import MAX_FREEZES, WeekState, compute_streak, target_for

START = dt.date(2026, 1, 5)  # a Monday


def wk(i: int) -> dt.date:
    return START + dt.timedelta(weeks=i)


def run(counts: list[int], target: int = 2, breaks: set[int] = frozenset(), current=None):
    current = len(counts) - 1 if current is None else current
    return compute_streak(
        {wk(i): c for i, c in enumerate(counts)},
        [(START, target)],
        wk(current),
        breaks={wk(i) for i in breaks},
    )


def states(streak) -> str:
    return "".join(w.state.value[0] for w in streak.weeks)


def test_consecutive_met_weeks_make_the_streak() -> None:
    s = run([2, 3, 2, 0])
    assert states(s) == "mmmo"
    assert (s.current, s.longest) == (3, 3)


def test_open_current_week_never_breaks_and_counts_once_met() -> None:
    assert run([2, 2, 1]).current == 2
    assert run([2, 2, 2]).current == 3


def test_a_missed_week_without_freeze_resets() -> None:
    s = run([2, 2, 0, 2, 0])
    assert [w.state for w in s.weeks][:3] == [WeekState.MET, WeekState.MET, WeekState.MISSED]
    assert (s.current, s.longest) == (1, 2)


def test_four_met_weeks_earn_a_freeze_that_a_miss_spends() -> None:
    s = run([2, 2, 2, 2, 0, 2, 1])
    assert [w.state for w in s.weeks] == [WeekState.MET] * 4 + [
        WeekState.FROZEN,
        WeekState.MET,
        WeekState.OPEN,
    ]
    assert s.current == 5  # frozen week keeps the streak without extending it
    assert (s.freezes_earned, s.freezes_spent, s.freezes_banked) == (1, 1, 0)


def test_at_most_two_freezes_are_banked() -> None:
    s = run([2] * 13)
    assert s.freezes_earned == 3
    assert s.freezes_banked == 2
    s = run([2] * 12 + [0, 0, 0, 1])
    assert [w.state for w in s.weeks][-4:] == [
        WeekState.FROZEN,
        WeekState.FROZEN,
        WeekState.MISSED,
        WeekState.OPEN,
    ]
    assert s.current == 0
    assert s.longest == 12


def test_a_break_neither_breaks_nor_extends() -> None:
    s = run([2, 2, 0, 2, 0], breaks={2})
    assert [w.state for w in s.weeks] == [
        WeekState.MET,
        WeekState.MET,
        WeekState.BREAK,
        WeekState.MET,
        WeekState.OPEN,
    ]
    assert s.current == 3
    # Even a met week marked as a break does not extend the streak.
    assert run([2, 2, 5, 2, 0], breaks={2}).current == 3


def test_target_changes_apply_from_their_week_on() -> None:
    history = [(wk(0), 1), (wk(2), 3)]
    assert target_for(wk(0), history) == 1
    assert target_for(wk(1), history) == 1
    assert target_for(wk(2), history) == 3
    assert target_for(wk(0) - dt.timedelta(weeks=1), history) is None
    s = compute_streak({wk(0): 1, wk(1): 1, wk(2): 2}, history, wk(3))
    assert [w.state for w in s.weeks] == [
        WeekState.MET,
        WeekState.MET,
        WeekState.MISSED,
        WeekState.OPEN,
    ]
    assert [w.target for w in s.weeks] == [1, 1, 3, 3]


def test_no_target_means_no_weeks() -> None:
    s = compute_streak({}, [], wk(3))
    assert (s.weeks, s.current, s.longest) == ((), 0, 0)


# --- properties ---------------------------------------------------------------

weeks_st = st.lists(st.integers(min_value=0, max_value=4), min_size=1, max_size=60)
target_st = st.integers(min_value=1, max_value=3)


@given(weeks_st, target_st, st.sets(st.integers(min_value=0, max_value=59)))
def test_streak_never_exceeds_weeks_elapsed(counts, target, breaks) -> None:
    s = run(counts, target, breaks)
    assert 0 <= s.current <= s.longest <= len(counts)
    assert s.current <= sum(1 for w in s.weeks if w.state == WeekState.MET)


@given(weeks_st, target_st, st.sets(st.integers(min_value=0, max_value=59)), st.data())
def test_adding_activity_never_shortens_a_streak(counts, target, breaks, data) -> None:
    before = run(counts, target, breaks)
    i = data.draw(st.integers(min_value=0, max_value=len(counts) - 1))
    more = list(counts)
    more[i] += data.draw(st.integers(min_value=1, max_value=3))
    after = run(more, target, breaks)
    assert after.current >= before.current
    assert after.longest >= before.longest


@given(weeks_st, target_st, st.sets(st.integers(min_value=0, max_value=59)))
def test_freezes_never_exceed_two(counts, target, breaks) -> None:
    s = run(counts, target, breaks)
    assert all(0 <= w.freezes_banked <= MAX_FREEZES for w in s.weeks)
    assert s.freezes_spent <= s.freezes_earned


@given(weeks_st, target_st, st.sets(st.integers(min_value=0, max_value=59)), st.data())
def test_a_break_never_breaks_a_streak(counts, target, breaks, data) -> None:
    s = run(counts, target, breaks)
    previous = 0
    for w in s.weeks:
        if w.state == WeekState.BREAK:
            assert w.streak == previous
        previous = w.streak
    # Turning any week into a break never lowers the current streak below what the
    # weeks after it earned on their own.
    i = data.draw(st.integers(min_value=0, max_value=len(counts) - 1))
    with_break = run(counts, target, breaks | {i})
    without_week = run([*counts[:i], 0, *counts[i + 1 :]], target, breaks)
    assert with_break.current >= without_week.current
