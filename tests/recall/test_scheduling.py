"""The app's schedule is the fsrs library's; break weeks hold reviews."""

from __future__ import annotations

import datetime as dt

import fsrs
import pytest

from tests.goals.factories import WeekBreakFactory
from tests.recall.factories import ReadPaperFactory
from tracker.recall.models import CardState, Prompt, Rating, Review
from tracker.recall.scheduling import SCHEDULER_SETTINGS, after_breaks, due_cutoff, rate
from tracker.recall.services import add_prompt

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 18, 30, tzinfo=dt.UTC)  # a Monday evening


def test_choices_match_the_library() -> None:
    assert {s.value: s.name.lower() for s in fsrs.State} == {
        c.value: c.name.lower() for c in CardState
    }
    assert {r.value: r.name.lower() for r in fsrs.Rating} == {
        c.value: c.name.lower() for c in Rating
    }


@pytest.mark.parametrize(
    "ratings",
    [
        [3, 3, 3, 3, 3],
        [1, 3, 3, 2, 4],
        [4, 1, 1, 3, 3, 3],
        [2, 2, 2, 2],
    ],
)
def test_schedule_after_ratings_equals_the_library(user: object, ratings: list[int]) -> None:
    paper = ReadPaperFactory(owner=user)
    prompt = add_prompt(paper, "What is the key idea?", "Attention only.", now=START)
    reference = fsrs.Scheduler(**SCHEDULER_SETTINGS)
    card = fsrs.Card(card_id=1, due=START)
    now = START + dt.timedelta(days=1)
    for seq, rating in enumerate(ratings):
        outcome = rate(prompt, rating, seq=seq, now=now)
        assert outcome.review is not None
        card, _ = reference.review_card(card, fsrs.Rating(rating), now)
        prompt = outcome.prompt
        stored = Prompt.objects.get(pk=prompt.pk)
        assert stored.due == card.due
        assert stored.state == card.state.value
        assert stored.stability == pytest.approx(card.stability, rel=1e-12)
        assert stored.difficulty == pytest.approx(card.difficulty, rel=1e-12)
        # Berlin is UTC+1 in March before the DST switch; 18:30 UTC stays the same date.
        assert stored.due_on == card.due.astimezone(user.tzinfo).date()  # type: ignore[attr-defined]
        # Review on the due instant, as a user who keeps up would.
        now = card.due
    reviews = list(Review.objects.filter(prompt=prompt).order_by("seq"))
    assert [r.rating for r in reviews] == ratings
    assert reviews[-1].due == card.due


def test_new_prompt_is_due_the_next_local_day(user: object) -> None:
    paper = ReadPaperFactory(owner=user)
    late = dt.datetime(2026, 3, 2, 23, 30, tzinfo=dt.UTC)  # already Tuesday in Berlin
    prompt = add_prompt(paper, "Q", "A", now=late)
    assert prompt.due_on == dt.date(2026, 3, 4)


def test_a_break_week_holds_reviews(user: object) -> None:
    paper = ReadPaperFactory(owner=user)
    prompt = add_prompt(paper, "Q", "A", now=START)
    # Good on the first review: FSRS's default weights give a few days.
    reference, _ = fsrs.Scheduler(**SCHEDULER_SETTINGS).review_card(
        fsrs.Card(card_id=1, due=START), fsrs.Rating.Good, START + dt.timedelta(days=1)
    )
    due_local = reference.due.astimezone(user.tzinfo).date()  # type: ignore[attr-defined]
    week = due_local - dt.timedelta(days=due_local.weekday())
    WeekBreakFactory(owner=user, week_start=week)
    outcome = rate(prompt, Rating.GOOD, seq=0, now=START + dt.timedelta(days=1))
    # Nothing is due inside the break: it comes up the first day after it.
    assert outcome.prompt.due_on == week + dt.timedelta(days=7)
    # The library's instant is kept as it was (the card's state is the library's).
    assert outcome.prompt.due == reference.due


def test_after_breaks_skips_a_run_of_breaks() -> None:
    breaks = {dt.date(2026, 3, 9), dt.date(2026, 3, 16)}
    assert after_breaks(dt.date(2026, 3, 11), breaks, 0) == dt.date(2026, 3, 23)
    assert after_breaks(dt.date(2026, 3, 8), breaks, 0) == dt.date(2026, 3, 8)


def test_inside_a_break_what_was_due_stays_due_and_nothing_new_comes_due() -> None:
    breaks = {dt.date(2026, 3, 9), dt.date(2026, 3, 16)}
    assert due_cutoff(dt.date(2026, 3, 18), breaks, 0) == dt.date(2026, 3, 8)
    assert due_cutoff(dt.date(2026, 3, 23), breaks, 0) == dt.date(2026, 3, 23)


def test_a_replayed_rating_records_one_review(user: object) -> None:
    paper = ReadPaperFactory(owner=user)
    prompt = add_prompt(paper, "Q", "A", now=START)
    now = START + dt.timedelta(days=1)
    first = rate(prompt, Rating.GOOD, seq=0, now=now)
    again = rate(prompt, Rating.EASY, seq=0, now=now + dt.timedelta(seconds=1))
    assert first.review is not None
    assert again.review is None
    assert Review.objects.filter(prompt=prompt).count() == 1
    assert Prompt.objects.get(pk=prompt.pk).reps == 1
