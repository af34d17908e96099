"""Scheduling recall prompts with FSRS: the ``fsrs`` package decides, this module only
translates between its ``Card`` and the prompt's columns, and between instants and the
user's local dates.

The scheduler has no learning or relearning steps (minutes-long steps make no sense for a
prompt about a paper reviewed once a day at most) and no fuzzing, so every interval is a
whole number of days and a replay of the same ratings gives the same dates (the test calls
the library with the same settings and compares).

Due dates are local dates: the library's due instant converted to the user's timezone.
A planned break week (``goals.WeekBreak``) holds reviews: a due date landing inside one
moves to the first day after it, and while today is inside one nothing new comes due —
prompts wait, none are dropped (:func:`due_cutoff`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import fsrs
from django.db import transaction
from django.utils import timezone

from tracker.goals.models import WeekBreak
from tracker.recall.models import Prompt, Review
from tracker.weeks import local_date, week_start_date

if TYPE_CHECKING:
    from accounts.models import User

SCHEDULER_SETTINGS: dict[str, Any] = {
    "learning_steps": (),
    "relearning_steps": (),
    "enable_fuzzing": False,
}
SCHEDULER = fsrs.Scheduler(**SCHEDULER_SETTINGS)
WEEK = dt.timedelta(days=7)


def break_weeks(user: User) -> set[dt.date]:
    return set(WeekBreak.objects.owned_by(user).values_list("week_start", flat=True))


def after_breaks(day: dt.date, breaks: Iterable[dt.date], week_start: int) -> dt.date:
    """``day``, or the first day after the (run of) break weeks it falls in."""
    starts = set(breaks)
    if not starts:
        return day
    week = week_start_date(day, week_start)
    if week not in starts:
        return day
    while week in starts:
        week += WEEK
    return week


def due_cutoff(today: dt.date, breaks: Iterable[dt.date], week_start: int) -> dt.date:
    """The last due date that counts as due today.

    Outside a break it is today. Inside one it is the day before the break (run) began:
    what was already due stays due (nothing is lost), nothing new comes due in the break.
    """
    starts = set(breaks)
    week = week_start_date(today, week_start)
    if week not in starts:
        return today
    while week - WEEK in starts:
        week -= WEEK
    return week - dt.timedelta(days=1)


def card_of(prompt: Prompt) -> fsrs.Card:
    return fsrs.Card(
        card_id=prompt.pk or 0,
        state=fsrs.State(prompt.state),
        step=prompt.step,
        stability=prompt.stability,
        difficulty=prompt.difficulty,
        due=prompt.due,
        last_review=prompt.last_review,
    )


def first_due(
    user: User, now: dt.datetime, breaks: Iterable[dt.date]
) -> tuple[dt.datetime, dt.date]:
    """A new prompt comes up the day after it was written (recall, not re-reading)."""
    tomorrow = local_date(now, user.tzinfo) + dt.timedelta(days=1)
    return now, after_breaks(tomorrow, breaks, user.week_start)


@dataclass(frozen=True, slots=True)
class Outcome:
    review: Review | None  # None: the claim was already taken (a replay, a double click)
    prompt: Prompt


def rate(prompt: Prompt, rating: int, *, seq: int, now: dt.datetime | None = None) -> Outcome:
    """Record one review of ``prompt`` and reschedule it, if ``seq`` is still its version.

    ``seq`` is the card version the rating was given for (``prompt.reps`` when the page was
    shown). The prompt's row is claimed with a conditional UPDATE on that version, so a
    replayed POST or a double click records one review, never two (P6); the unique
    (prompt, seq) on Review is the backstop.
    """
    now = (now or timezone.now()).astimezone(dt.UTC)
    user = prompt.owner
    with transaction.atomic():
        current = Prompt.objects.filter(pk=prompt.pk).first()
        if current is None or current.reps != seq:
            return Outcome(None, current or prompt)
        card, _log = SCHEDULER.review_card(card_of(current), fsrs.Rating(rating), now)
        due_on = after_breaks(local_date(card.due, user.tzinfo), break_weeks(user), user.week_start)
        fields = {
            "state": int(card.state),
            "step": card.step,
            "stability": card.stability,
            "difficulty": card.difficulty,
            "due": card.due,
            "last_review": card.last_review,
            "due_on": due_on,
        }
        claimed = Prompt.objects.filter(pk=current.pk, reps=seq).update(
            reps=seq + 1, updated_at=now, **fields
        )
        if not claimed:
            return Outcome(None, current)
        review = Review.objects.create(
            owner_id=current.owner_id,
            prompt=current,
            seq=seq + 1,
            rating=rating,
            reviewed_at=now,
            reviewed_on=local_date(now, user.tzinfo),
            **{k: v for k, v in fields.items() if k != "last_review"},
        )
        for name, value in fields.items():
            setattr(current, name, value)
        current.reps = seq + 1
    return Outcome(review, current)
