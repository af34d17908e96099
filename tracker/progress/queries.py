"""Aggregate queries that feed the progress functions.

Every function here does a fixed number of queries, grouped by day, so the work in a
request grows with the days shown, never with the number of papers.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Count, F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from tracker.goals.models import CounterEvent, Goal, GoalTarget, Metric, WeekBreak
from tracker.niche.models import Interaction
from tracker.papers.models import Paper, ReadingSession
from tracker.progress.models import COLUMNS, DayRollup, WeekRollup
from tracker.projects.models import Project
from tracker.replications.models import Replication
from tracker.weeks import week_start_date

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
    qs: QuerySet[Any],
    day: str | Any,
    metric: str,
    amount: Any,
    goal: Any = None,
    days: Collection[dt.date] | None = None,
) -> QuerySet:
    """One ``(day, metric, goal, n)`` GROUP BY day slice of the activity union."""
    qs = qs.order_by().annotate(
        a_day=F(day) if isinstance(day, str) else day,
        a_metric=Value(metric, output_field=CharField()),
        a_goal=goal if goal is not None else Value(0, output_field=IntegerField()),
    )
    if days is not None:
        qs = qs.filter(a_day__in=list(days))
    return (
        qs.values("a_day", "a_metric", "a_goal")
        .annotate(a_n=amount)
        .values_list("a_day", "a_metric", "a_goal", "a_n")
    )


def activity_parts(
    user: Any, since: dt.date, days: Collection[dt.date] | None = None
) -> list[QuerySet]:
    """The slices of the activity union, one per metric source (only ``days`` if given).

    These read the rows themselves; :mod:`tracker.progress.rollups` keeps the per-day and
    per-week rollups the pages read in step with them.

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
        _part(read, "finished_on", Metric.PAPERS_READ, Count("pk"), days=days),
        _part(read.explained(), "finished_on", Metric.PAPERS_EXPLAINED, Count("pk"), days=days),
        _part(sessions, "date", Metric.READING_MINUTES, Sum("minutes"), days=days),
        _part(done, "finished_on", Metric.REPLICATIONS_DONE, Count("pk"), days=days),
        *_project_parts(user, since, days),
        _part(asked, "date", Metric.EXPERT_CONVERSATIONS, Count("pk"), days=days),
        _part(events, "date", Metric.CUSTOM, Count("pk"), goal=F("goal_id"), days=days),
    ]


def _project_parts(
    user: Any, since: dt.date, days: Collection[dt.date] | None = None
) -> list[QuerySet]:
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
        _part(completed, "finished_on", Metric.PROJECTS_COMPLETED, Count("pk"), days=days),
        _part(entered, "entered_on", Metric.COMPETITIONS_ENTERED, Count("pk"), days=days),
        _part(published, "published_on", Metric.WRITEUPS_PUBLISHED, Count("pk"), days=days),
    ]


def activity(
    user: Any,
    since: dt.date,
    *,
    exact_from: dt.date | None = None,
    starts: Collection[dt.date] = (),
) -> Activity:
    """Every metric's amounts since ``since``, from the rollups, in one UNION ALL query.

    Per day by default. With ``exact_from`` (a first day of one of the user's weeks), the
    weeks before it come from the week rollups as one entry each, keyed by the week's
    first day — except the weeks holding ``since`` and each date in ``starts`` (the goals'
    start dates), which keep their days, so everything that cuts a week (a goal counting
    from a Wednesday) still sees days. Weekly folds, streaks and totals from those dates on
    are then exact while reading one row a week instead of one a day.
    """
    week_start = user.week_start
    day_rows = DayRollup.objects.filter(owner=user, day__gte=since)
    week_rows = WeekRollup.objects.none()
    if exact_from is not None and exact_from > since:
        exact_weeks = {week_start_date(d, week_start) for d in [since, *starts] if d < exact_from}
        near = Q(day__gte=exact_from)
        for week in exact_weeks:
            near |= Q(day__gte=max(week, since), day__lt=week + dt.timedelta(days=7))
        day_rows = day_rows.filter(near)
        week_rows = WeekRollup.objects.filter(
            owner=user, week_start=week_start, week__gt=since, week__lt=exact_from
        ).exclude(week__in=exact_weeks)
    fields = ("goal_id", *COLUMNS)
    union = (
        day_rows.order_by()
        .values_list("day", *fields)
        .union(week_rows.order_by().values_list("week", *fields), all=True)
    )
    by_metric: dict[str, dict[dt.date, int]] = defaultdict(dict)
    by_goal: dict[int, dict[dt.date, int]] = defaultdict(dict)
    metrics = [m for m in COLUMNS if m != "counter"]
    for day, goal_id, *amounts in union:
        if isinstance(day, dt.datetime):  # defensive: some backends return datetimes
            day = day.date()
        if goal_id is not None:
            series = by_goal[goal_id]
            series[day] = series.get(day, 0) + amounts[-1]
            continue
        for metric, n in zip(metrics, amounts, strict=False):
            if n:
                series = by_metric[metric]
                series[day] = series.get(day, 0) + n
    result = Activity(since=since)
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
