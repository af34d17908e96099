"""Aggregate queries that feed the progress functions.

Every function here does a fixed number of queries, grouped by day, so the work in a
request grows with the days shown, never with the number of papers.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import CharField, Count, F, IntegerField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from tracker.goals.models import CounterEvent, Goal, GoalTarget, Metric, WeekBreak
from tracker.niche.models import Interaction
from tracker.papers.models import Paper, ReadingSession
from tracker.projects.models import Project
from tracker.replications.models import Replication

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class Activity:
    """Per-day amounts: ``by_metric[metric][day]`` and ``by_goal[goal_id][day]``."""

    since: dt.date
    by_metric: dict[str, dict[dt.date, int]] = field(default_factory=dict)
    by_goal: dict[int, dict[dt.date, int]] = field(default_factory=dict)

    def days(self, metric: str, goal_id: int | None = None) -> dict[dt.date, int]:
        if metric == Metric.CUSTOM:
            return self.by_goal.get(goal_id or 0, {})
        return self.by_metric.get(metric, {})

    def total(self, metric: str, start: dt.date, end: dt.date, goal_id: int | None = None) -> int:
        return sum(n for day, n in self.days(metric, goal_id).items() if start <= day <= end)


def _part(
    qs: QuerySet[Any], day: str | Any, metric: str, amount: Any, goal: Any = None
) -> QuerySet:
    """One ``(day, metric, goal, n)`` GROUP BY day slice of the activity union."""
    return (
        qs.order_by()
        .annotate(
            a_day=F(day) if isinstance(day, str) else day,
            a_metric=Value(metric, output_field=CharField()),
            a_goal=goal if goal is not None else Value(0, output_field=IntegerField()),
        )
        .values("a_day", "a_metric", "a_goal")
        .annotate(a_n=amount)
        .values_list("a_day", "a_metric", "a_goal", "a_n")
    )


def activity_parts(user: User, since: dt.date) -> list[QuerySet]:
    """The slices of the activity union, one per metric source.

    "Read", "done" and "entered" are the models' own QuerySet methods (their TextChoices),
    so a renamed status changes these counts with it (tests/progress/test_queries.py).
    """
    read = Paper.objects.owned_by(user).read().filter(finished_on__gte=since)
    sessions = ReadingSession.objects.filter(paper__owner=user, date__gte=since)
    done = Replication.objects.owned_by(user).done().filter(finished_on__gte=since)
    events = CounterEvent.objects.filter(goal__owner=user, date__gte=since)
    # An expert conversation: a specific question logged in the contacts log, on its date.
    asked = Interaction.objects.owned_by(user).filter(date__gte=since)
    return [
        _part(read, "finished_on", Metric.PAPERS_READ, Count("pk")),
        _part(read.explained(), "finished_on", Metric.PAPERS_EXPLAINED, Count("pk")),
        _part(sessions, "date", Metric.READING_MINUTES, Sum("minutes")),
        _part(done, "finished_on", Metric.REPLICATIONS_DONE, Count("pk")),
        *_project_parts(user, since),
        _part(asked, "date", Metric.EXPERT_CONVERSATIONS, Count("pk")),
        _part(events, "date", Metric.CUSTOM, Count("pk"), goal=F("goal_id")),
    ]


def _project_parts(user: User, since: dt.date) -> list[QuerySet]:
    projects = Project.objects.owned_by(user)
    completed = projects.projects().completed().filter(finished_on__gte=since)
    # A competition counts as entered on the day it started (or finished, if that is all
    # that was recorded); an unstarted idea has not been entered.
    entered_on = Coalesce("started_on", "finished_on")
    entered = (
        projects.competitions()
        .annotate(entered_on=entered_on)
        .filter(entered_on__isnull=False, entered_on__gte=since)
    )
    published_on = Coalesce("writeup_published_on", "finished_on")
    published = (
        projects.writeups_published()
        .annotate(published_on=published_on)
        .filter(published_on__isnull=False, published_on__gte=since)
    )
    return [
        _part(completed, "finished_on", Metric.PROJECTS_COMPLETED, Count("pk")),
        _part(entered, "entered_on", Metric.COMPETITIONS_ENTERED, Count("pk")),
        _part(published, "published_on", Metric.WRITEUPS_PUBLISHED, Count("pk")),
    ]


def activity(user: Any, since: dt.date) -> Activity:
    """Every metric's per-day amounts since ``since``, in one UNION ALL query."""
    parts = activity_parts(user, since)
    result = Activity(since=since)
    if not parts:
        return result
    # The combined query would otherwise inherit the first model's Meta.ordering.
    union = parts[0].union(*parts[1:], all=True).order_by() if len(parts) > 1 else parts[0]
    by_metric: dict[str, dict[dt.date, int]] = defaultdict(dict)
    by_goal: dict[int, dict[dt.date, int]] = defaultdict(dict)
    for day, metric, goal_id, amount in union:
        if isinstance(day, dt.datetime):  # defensive: some backends return datetimes
            day = day.date()
        if metric == Metric.CUSTOM:
            by_goal[goal_id][day] = by_goal[goal_id].get(day, 0) + (amount or 0)
        else:
            by_metric[metric][day] = by_metric[metric].get(day, 0) + (amount or 0)
    result.by_metric = dict(by_metric)
    result.by_goal = dict(by_goal)
    return result


def active_goals(user: Any) -> list[Goal]:
    return list(Goal.objects.owned_by(user).active())


def target_histories(user: Any) -> dict[int, list[tuple[dt.date, int]]]:
    """Weekly target history per active goal, ``{goal_id: [(effective_from, target)]}``.

    One query, run even when there are no goals so the page's query count is constant.
    """
    histories: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    rows = GoalTarget.objects.filter(goal__owner=user, goal__active=True).order_by(
        "goal_id", "effective_from"
    )
    for goal_id, start, target in rows.values_list("goal_id", "effective_from", "target"):
        histories[goal_id].append((start, target))
    return dict(histories)


def break_weeks(user: Any) -> set[dt.date]:
    return set(WeekBreak.objects.owned_by(user).values_list("week_start", flat=True))
