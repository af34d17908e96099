"""What the review page, the dashboard card and the weekly email show: fixed query counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q

from tracker.recall.models import Prompt, Rating, Review
from tracker.recall.scheduling import break_weeks, due_cutoff

if TYPE_CHECKING:
    from accounts.models import User

RETENTION_DAYS = 30
# A recall prompt takes about this long to answer and rate (for "— 5 minutes").
SECONDS_PER_PROMPT = 40


@dataclass(frozen=True, slots=True)
class NextUp:
    days: int
    count: int


@dataclass(frozen=True, slots=True)
class DueSummary:
    due: int
    done_today: int
    next_up: NextUp | None

    @property
    def total_today(self) -> int:
        return self.due + self.done_today

    @property
    def minutes(self) -> int:
        return max(1, round(self.due * SECONDS_PER_PROMPT / 60)) if self.due else 0


def cutoff(user: User, today: dt.date) -> dt.date:
    return due_cutoff(today, break_weeks(user), user.week_start)


def due_prompts(user: User, today: dt.date) -> Any:
    return (
        Prompt.objects.owned_by(user)
        .filter(due_on__lte=cutoff(user, today))
        .order_by("due_on", "paper_id", "position", "pk")
    )


def summary(user: User, today: dt.date, breaks: set[dt.date] | None = None) -> DueSummary:
    """Due now, reviewed today, and the next day something comes due."""
    return _summary(user, today, breaks)[0]


def _summary(
    user: User, today: dt.date, breaks: set[dt.date] | None
) -> tuple[DueSummary, dict[str, Any], dict[str, Any]]:
    """Three queries whatever the numbers: prompts, reviews, the next due day."""
    if breaks is None:
        breaks = break_weeks(user)
    last = due_cutoff(today, breaks, user.week_start)
    prompts = Prompt.objects.owned_by(user)
    counts = prompts.aggregate(
        due=Count("pk", filter=Q(due_on__lte=last)),
        prompts=Count("pk"),
        papers=Count("paper_id", distinct=True),
    )
    since = today - dt.timedelta(days=RETENTION_DAYS)
    reviews = Review.objects.owned_by(user).aggregate(
        today=Count("pk", filter=Q(reviewed_on=today)),
        n=Count("pk", filter=Q(reviewed_on__gt=since)),
        kept=Count("pk", filter=Q(reviewed_on__gt=since) & ~Q(rating=Rating.AGAIN)),
    )
    first = (
        prompts.filter(due_on__gt=last)
        .order_by("due_on")
        .values("due_on")
        .annotate(n=Count("pk"))
        .values_list("due_on", "n")[:1]
    )
    next_up = None
    for day, count in first:
        next_up = NextUp(days=(day - today).days, count=count)
    s = DueSummary(due=counts["due"], done_today=reviews["today"], next_up=next_up)
    return s, counts, reviews


def card(user: User, today: dt.date, breaks: set[dt.date] | None = None) -> dict[str, Any]:
    """The dashboard card: due today, retention over 30 days, prompts per paper."""
    s, counts, reviews = _summary(user, today, breaks)
    retention = round(100 * reviews["kept"] / reviews["n"]) if reviews["n"] else None
    papers = counts["papers"]
    return {
        "recall": s,
        "recall_retention": retention,
        "recall_reviews_30d": reviews["n"],
        "recall_prompts": counts["prompts"],
        "recall_papers": papers,
        "recall_per_paper": round(counts["prompts"] / papers, 1) if papers else 0,
    }
