"""What a public page shows, in a fixed number of queries whatever the amount of data.

Only published rows (a Public* row) are selected, and only the fields a public page may
show are used by its template: never notes, reading minutes, private summaries, what was
easy or hard, or author contact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q

from tracker.goals.models import Metric
from tracker.papers.models import Paper, Topic
from tracker.portfolio.models import PortfolioSettings
from tracker.progress import queries
from tracker.progress.report import goal_progress, target_history, weekly_series
from tracker.progress.streaks import Streak
from tracker.projects.models import Project
from tracker.replications.models import Claim, ClaimResult, Replication
from tracker.weeks import week_of

CHART_WEEKS = 26


@dataclass(frozen=True, slots=True)
class Activity:
    streak: Streak | None
    target: int | None
    bars: list[Any]
    papers_read: int


def public_replications(user: Any) -> list[Replication]:
    return list(
        Replication.objects.owned_by(user)
        .filter(public_entry__isnull=False)
        .select_related("paper")
        .prefetch_related(
            Prefetch(
                "claims", queryset=Claim.objects.only("id", "replication_id", "text", "result")
            )
        )
        .annotate(
            n_reproduced=Count("claims", filter=Q(claims__result=ClaimResult.REPRODUCED)),
            n_partly=Count("claims", filter=Q(claims__result=ClaimResult.PARTLY)),
            n_not=Count("claims", filter=Q(claims__result=ClaimResult.NOT_REPRODUCED)),
        )
        .order_by("-finished_on", "-pk")
    )


def public_projects(user: Any) -> list[Project]:
    return list(
        Project.objects.owned_by(user)
        .filter(public_entry__isnull=False)
        .order_by("kind", "-finished_on", "-pk")
    )


def public_papers(user: Any) -> list[Paper]:
    return list(
        Paper.objects.owned_by(user)
        .filter(public_entry__isnull=False)
        .select_related("public_entry")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.only("id", "name")))
        .only(
            "id", "title", "authors", "year", "venue", "url", "arxiv_id", "doi", "summary",
            "public_entry__summary_public", "public_entry__id", "public_entry__paper_id",
        )
        .order_by("-finished_on", "-pk")
    )  # fmt: skip


def topic_counts(user: Any) -> tuple[list[tuple[str, int]], str | None]:
    """Topics of the user's published papers (with how many), and the focus topic's name."""
    rows = (
        Paper.objects.owned_by(user)
        .filter(public_entry__isnull=False, topics__isnull=False)
        .values("topics__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "topics__name")
    )
    focus = Topic.objects.owned_by(user).filter(is_focus=True).values_list("name", flat=True)
    return [(r["topics__name"], r["n"]) for r in rows], next(iter(focus), None)


def activity(user: Any, today: dt.date | None = None) -> Activity:
    """The weekly papers goal's streak and the papers-per-week bars (counts only)."""
    today = today or user.local_today()
    goals = [
        g for g in queries.active_goals(user) if g.is_weekly and g.metric == Metric.PAPERS_READ
    ]
    goal = goals[0] if goals else None
    targets = queries.target_histories(user)
    breaks = queries.break_weeks(user)
    since = week_of(today, user.week_start).shift(-(CHART_WEEKS - 1)).start
    if goal is not None:
        since = min(since, goal.start_date)
    act = queries.activity(user, since)
    days = act.days(Metric.PAPERS_READ)
    history = target_history(goal, user.week_start, targets.get(goal.pk, [])) if goal else None
    streak = None
    if goal is not None:
        progress = goal_progress(goal, days, today, user.week_start, breaks, history)
        streak = progress.streak
    bars = weekly_series(days, today, user.week_start, CHART_WEEKS, history)
    papers_read = Paper.objects.owned_by(user).read().count()
    return Activity(streak, goal.target if goal else None, bars, papers_read)


def page_context(ps: PortfolioSettings) -> dict[str, Any]:
    user = ps.user
    ctx: dict[str, Any] = {"ps": ps, "owner": user}
    if ps.show_replications:
        ctx["replications"] = public_replications(user)
    if ps.show_projects or ps.show_writeups:
        projects = public_projects(user)
        ctx["projects"] = [p for p in projects if not p.is_competition]
        ctx["competitions"] = [p for p in projects if p.is_competition]
        ctx["writeups"] = [p for p in projects if p.has_writeup and p.writeup_url]
    if ps.show_papers:
        ctx["papers"] = public_papers(user)
    if ps.show_topics:
        ctx["topics"], ctx["focus"] = topic_counts(user)
    if ps.show_activity:
        ctx["activity"] = activity(user)
    return ctx


def weekly_chart(bars: list[Any]) -> list[dict[str, int | str]]:
    """Bar geometry for the small public chart (the template only prints numbers)."""
    top = max([1, *(b.count for b in bars)])
    out = []
    for i, b in enumerate(bars):
        h = round(b.count * 60 / top)
        out.append({"x": i * 12, "y": 64 - h, "h": h, "label": f"{b.week.label}: {b.count}"})
    return out
