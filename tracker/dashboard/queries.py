"""One query function per dashboard card, sharing what several cards need.

A :class:`Dashboard` keeps the goals, breaks and the one-query activity union, so the
full page asks for each of them once and a single card's refresh asks only for what
that card shows. Query counts do not depend on how much the user has logged.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django import forms
from django.db.models import Count

from tracker.dashboard import svg
from tracker.goals.actions import missing_presets
from tracker.goals.models import Metric
from tracker.papers.forms import MarkReadForm
from tracker.papers.models import Paper
from tracker.progress import queries
from tracker.progress.report import (
    HEATMAP_WEEKS,
    GoalProgress,
    goal_progress,
    heatmap,
    target_history,
    weekly_series,
)
from tracker.projects.models import Project
from tracker.recall.queries import card as recall_card_data
from tracker.replications.models import Replication
from tracker.weeks import week_of

CHART_WEEKS = 26
UP_NEXT = 3
WORK_ITEMS = 5
OTHER_METRICS = (
    Metric.REPLICATIONS_DONE,
    Metric.PROJECTS_COMPLETED,
    Metric.COMPETITIONS_ENTERED,
    Metric.WRITEUPS_PUBLISHED,
    Metric.EXPERT_CONVERSATIONS,
)


class Dashboard:
    def __init__(self, user: Any, today: dt.date | None = None) -> None:
        self.user = user
        self.week_start: int = user.week_start
        self.today: dt.date = today or user.local_today()
        self.week = week_of(self.today, self.week_start)

    @cached_property
    def goals(self) -> list[Any]:
        return queries.active_goals(self.user)

    @cached_property
    def targets(self) -> dict[int, list[tuple[dt.date, int]]]:
        return queries.target_histories(self.user)

    @cached_property
    def breaks(self) -> set[dt.date]:
        return queries.break_weeks(self.user)

    @cached_property
    def activity(self) -> queries.Activity:
        since = self.week.shift(-(HEATMAP_WEEKS - 1)).start
        starts = [g.start_date for g in self.goals]
        # Days inside the heatmap window, whole weeks before it (from the rollups).
        return queries.activity(self.user, min([since, *starts]), exact_from=since, starts=starts)

    @cached_property
    def first_day(self) -> dt.date:
        """The first day the user had: the day they joined, or their earliest logged
        activity when that is earlier (an imported reading history counts).

        Weeks before it are not counted against them: a new account is not "0 of 26".
        """
        joined = self.user.date_joined
        first = joined.astimezone(self.user.tzinfo).date() if joined else self.today
        series = [*self.activity.by_metric.values(), *self.activity.by_goal.values()]
        earliest = min((day for days in series for day in days), default=first)
        return min(first, earliest, self.today)

    @cached_property
    def progress(self) -> list[GoalProgress]:
        targets = self.targets  # fetched even without goals: a constant query count
        return [
            goal_progress(
                g,
                self.activity.days(g.metric, g.pk),
                self.today,
                self.week_start,
                self.breaks,
                targets.get(g.pk, []),
            )
            for g in self.goals
        ]

    @cached_property
    def primary(self) -> GoalProgress | None:
        """The weekly goal the streak card is about: papers read if there is one."""
        weekly = [p for p in self.progress if p.goal.is_weekly]
        papers = [p for p in weekly if p.goal.metric == Metric.PAPERS_READ]
        chosen = papers or weekly
        return chosen[0] if chosen else None


def streak_card(d: Dashboard) -> dict[str, Any]:
    primary = d.primary
    next_week = d.week.next()
    return {
        "primary": primary,
        "recent_weeks": primary.streak.weeks[-8:] if primary and primary.streak else (),
        "this_week_is_break": d.week.start in d.breaks,
        "next_week": next_week,
        "next_week_is_break": next_week.start in d.breaks,
    }


def goals_card(d: Dashboard) -> dict[str, Any]:
    return {
        "missing_presets": missing_presets(d.goals),
        "weekly_progress": [p for p in d.progress if p.goal.is_weekly],
        "total_progress": [p for p in d.progress if not p.goal.is_weekly],
    }


def heatmap_card(d: Dashboard) -> dict[str, Any]:
    act = d.activity
    hm = heatmap(
        act.days(Metric.PAPERS_READ),
        act.days(Metric.READING_MINUTES),
        [act.days(m) for m in OTHER_METRICS] + list(act.by_goal.values()),
        d.today,
        d.week_start,
    )
    return {
        "heatmap": hm,
        "counted_since": max(hm.first_day, d.first_day),
        "heatmap_svg": svg.heatmap_svg(hm, d.today, "heatmap-title heatmap-summary"),
        "heatmap_rows": svg.heatmap_rows(hm),
        "today": d.today,
    }


def log_card(d: Dashboard) -> dict[str, Any]:
    """The papers app's quick-add and mark-read partials."""
    return {"mark_read_form": _mark_read_form(d.user)}


def _mark_read_form(user: Any) -> MarkReadForm:
    """The papers app's mark-read form with its paper choices fetched once.

    Its partial asks the queryset ``exists`` and then iterates the choices, which is one
    query for an empty library and two otherwise; evaluating it here once keeps the
    dashboard's query count the same for every user.
    """
    form = MarkReadForm(owner=user)
    field = form.fields["paper"]
    assert isinstance(field, forms.ModelChoiceField)
    queryset = field.queryset
    assert queryset is not None
    papers = list(queryset)  # fills the cache that .exists() then uses
    field.choices = [("", field.empty_label), *((p.pk, str(p)) for p in papers)]
    return form


def chart_card(d: Dashboard) -> dict[str, Any]:
    goal = next((g for g in d.goals if g.is_weekly and g.metric == Metric.PAPERS_READ), None)
    history = target_history(goal, d.week_start, d.targets.get(goal.pk, [])) if goal else None
    # Only the weeks the user has had, up to CHART_WEEKS: no empty bars before sign-up.
    had = (d.week.start - week_of(d.first_day, d.week_start).start).days // 7 + 1
    weeks = max(1, min(CHART_WEEKS, had))
    bars = weekly_series(d.activity.days(Metric.PAPERS_READ), d.today, d.week_start, weeks, history)
    chart = Chart.build(bars)
    return {
        "chart": chart,
        "chart_text": chart_summary(chart, bars, goal is not None),
        "chart_svg": svg.chart_svg(chart, "chart-title chart-summary"),
        "chart_rows": svg.chart_rows(bars),
        "bars": bars,
        "chart_goal": goal,
    }


def up_next_card(d: Dashboard) -> dict[str, Any]:
    return {"up_next": list(Paper.objects.up_next(d.user, UP_NEXT))}


def topics_card(d: Dashboard) -> dict[str, Any]:
    """Breadth (topics across read papers) and depth (passes) in the focus topic."""
    rows = (
        Paper.objects.owned_by(d.user)
        .read()
        .filter(topics__isnull=False)
        .values("topics__pk", "topics__name", "topics__is_focus", "depth")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    per_topic: dict[int, TopicCount] = {}
    focus_depth: dict[int, int] = defaultdict(int)
    for row in rows:
        pk = row["topics__pk"]
        t = per_topic.get(pk) or TopicCount(row["topics__name"], row["topics__is_focus"], 0)
        per_topic[pk] = TopicCount(t.name, t.is_focus, t.papers + row["n"])
        if row["topics__is_focus"]:
            focus_depth[row["depth"] or 0] += row["n"]
    ranked = sorted(per_topic.values(), key=lambda t: (-t.papers, t.name.lower()))
    focus = next((t for t in ranked if t.is_focus), None)
    return {
        "topics": ranked[:8],
        "breadth": len(ranked),
        "focus": focus,
        "focus_depth": [(p, focus_depth.get(p, 0)) for p in (1, 2, 3)],
    }


def work_card(d: Dashboard) -> dict[str, Any]:
    """Replications and projects in progress with their scores."""
    replications = (
        Replication.objects.owned_by(d.user)
        .active()
        .with_claim_counts()
        .select_related("paper")[:WORK_ITEMS]
    )
    projects = Project.objects.owned_by(d.user).active()[:WORK_ITEMS]
    return {"replications": list(replications), "projects": list(projects)}


@dataclass(frozen=True, slots=True)
class TopicCount:
    name: str
    is_focus: bool
    papers: int


@dataclass(frozen=True, slots=True)
class ChartBar:
    x: int
    y: int
    height: int
    label: str
    bar: Any


@dataclass(frozen=True, slots=True)
class Chart:
    """Geometry of the papers-per-week SVG, computed here so the template only prints."""

    width: int
    height: int
    bars: tuple[ChartBar, ...]
    target_path: str
    max_value: int
    weeks_met: int
    average: float

    BAR_W = 18
    GAP = 6
    PLOT_H = 120
    LEFT = 28
    TOP = 10

    @classmethod
    def build(cls, bars: list[Any]) -> Chart:
        top = max([1, *(b.count for b in bars), *((b.target or 0) for b in bars)])
        scale = cls.PLOT_H / top
        step = cls.BAR_W + cls.GAP
        base = cls.TOP + cls.PLOT_H
        out = []
        path: list[str] = []
        for i, b in enumerate(bars):
            x = cls.LEFT + i * step
            h = round(b.count * scale)
            target = f" (target {b.target})" if b.target is not None else ""
            out.append(ChartBar(x, base - h, h, f"{b.week.label}: {b.count} papers{target}", b))
            if b.target is not None:
                ty = base - round(b.target * scale)
                path.append(
                    f"{'M' if not path else 'L'}{x - cls.GAP // 2},{ty} H{x + step - cls.GAP // 2}"
                )
        finished = [b for b in bars if not b.is_current] or bars
        return cls(
            width=cls.LEFT + len(bars) * step + 16,  # room for the last date label
            height=base + 20,
            bars=tuple(out),
            target_path=" ".join(path),
            max_value=top,
            weeks_met=sum(1 for b in bars if b.met),
            average=round(sum(b.count for b in finished) / max(1, len(finished)), 1),
        )


def chart_summary(chart: Chart, bars: list[Any], has_goal: bool) -> str:
    """The sentence under "Papers per week", true for a one-week-old account too."""
    current = bars[-1]
    if len(bars) == 1:
        noun = "paper" if current.count == 1 else "papers"
        text = f"Your first week: {current.count} {noun} read so far"
        if has_goal and current.target is not None:
            text += ", target met" if current.met else f" of {current.target}"
        return text + "."
    text = f"Last {len(bars)} weeks: {chart.average:g} a week on average"
    if has_goal:
        text += f", target met in {chart.weeks_met} of {len(bars)} weeks"
    return text + "."


def recall_card(d: Dashboard) -> dict[str, Any]:
    return recall_card_data(d.user, d.today, d.breaks)


CARDS = {
    "streak-card": (streak_card,),
    "log-card": (log_card,),
    "mark-read-slot": (log_card,),
    "heatmap-card": (heatmap_card,),
    "chart-card": (chart_card,),
    "goals-card": (goals_card,),
    "up-next-card": (up_next_card,),
    "topics-card": (topics_card,),
    "work-card": (work_card,),
    "recall-card": (recall_card,),
}
