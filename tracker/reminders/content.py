"""What the weekly email says, computed for one user at one instant in their timezone.

Thin: counting and streak/pace arithmetic come from tracker.progress / tracker.goals /
tracker.papers; this module only picks what the email shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from tracker.goals.models import CounterEvent
from tracker.papers.models import Paper
from tracker.progress.queries import active_goals, activity, break_weeks
from tracker.progress.report import GoalProgress, goal_progress
from tracker.progress.streaks import WeekState
from tracker.progress.weeks import Week, week_of
from tracker.projects.models import Project
from tracker.replications.models import Replication

STALLED_WEEKS = 3
UP_NEXT_LIMIT = 3


@dataclass(frozen=True)
class WeeklyGoalLine:
    title: str
    noun: str
    target: int
    this_week: int
    last_week: int | None
    last_week_target: int | None
    last_week_state: str | None
    streak: int
    longest: int
    freezes: int

    @property
    def remaining(self) -> int:
        return max(0, self.target - self.this_week)

    @property
    def met_this_week(self) -> bool:
        return self.this_week >= self.target


@dataclass(frozen=True)
class TotalGoalLine:
    title: str
    noun: str
    done: int
    target: int
    status: str
    deadline: dt.date | None
    projected_date: dt.date | None
    ahead_label: str
    needed_per_week: float | None


@dataclass(frozen=True)
class LinkLine:
    title: str
    url: str
    note: str = ""


@dataclass
class ReminderContent:
    today: dt.date
    week: Week
    days_left: int
    weekly: list[WeeklyGoalLine] = field(default_factory=list)
    totals: list[TotalGoalLine] = field(default_factory=list)
    up_next: list[LinkLine] = field(default_factory=list)
    stalled: list[LinkLine] = field(default_factory=list)
    advice: str = ""
    onboarding: bool = False
    log_url: str = ""

    @property
    def main(self) -> WeeklyGoalLine | None:
        return self.weekly[0] if self.weekly else None

    @property
    def streak(self) -> int:
        return max((line.streak for line in self.weekly), default=0)

    @property
    def freezes(self) -> int:
        return max((line.freezes for line in self.weekly), default=0)

    @property
    def headline(self) -> str:
        """Subject line, e.g. "Week 47: 1 of 2 papers — keep your 6-week streak"."""
        if self.onboarding:
            return f"Week {self.week.number}: log your first paper and start a streak"
        main = self.main
        if main is None:
            return f"Week {self.week.number}: your reading week"
        noun = main.noun
        head = f"Week {self.week.number}: {main.this_week} of {main.target} {noun}"
        if self.streak:
            weeks = f"{self.streak}-week"
            return f"{head} — keep your {weeks} streak"
        return f"{head} — start a streak this week"


def absolute(path: str) -> str:
    from django.conf import settings

    return f"{settings.SITE_URL}{path}"


# --- Assembling -----------------------------------------------------------------------------


def _weekly_line(progress: GoalProgress) -> WeeklyGoalLine:
    goal, streak = progress.goal, progress.streak
    assert streak is not None
    last = streak.last_finished_week
    singular, plural = goal.nouns
    return WeeklyGoalLine(
        title=goal.title,
        noun=plural if progress.target != 1 else singular,
        target=progress.target,
        this_week=progress.done,
        last_week=last.count if last else None,
        last_week_target=last.target if last else None,
        last_week_state=str(last.state) if last else None,
        streak=streak.current,
        longest=streak.longest,
        freezes=streak.freezes_banked,
    )


def _total_line(progress: GoalProgress) -> TotalGoalLine:
    goal, pace = progress.goal, progress.pace
    assert pace is not None
    singular, plural = goal.nouns
    return TotalGoalLine(
        title=goal.title,
        noun=plural if goal.target != 1 else singular,
        done=pace.done,
        target=pace.target,
        status=str(pace.status),
        deadline=pace.deadline,
        projected_date=pace.projected_date,
        ahead_label=pace.ahead_label,
        needed_per_week=pace.needed_per_week,
    )


def choose_advice(content: ReminderContent) -> str:
    """One line from the articles that fits where the user stands."""
    if content.onboarding:
        return (
            "Start small: at the low end, 2 papers a week (8 a month) builds the habit — "
            "“How to become a Machine Learning Expert”."
        )
    main = content.main
    if main is not None and main.last_week_state == WeekState.MISSED:
        return (
            "Block 2 hours in your calendar for reading this week; 2-4 hours a week is what "
            "“How to become a Machine Learning Expert” recommends."
        )
    if content.stalled:
        return (
            "Replicating 20 to 50 papers is what builds real skill: push one stalled "
            "replication a step forward — “Building a career in ML”."
        )
    behind = [t for t in content.totals if t.status == "behind"]
    if any(t.title.lower().startswith("project") for t in behind):
        return (
            "2-3 great projects beat 10-15 generic ones: add error analysis or a second "
            "dataset to the one you have — “How to break the job of ML”."
        )
    if main is not None and main.streak >= 4:
        return (
            "Check depth, not just count: write a short summary in your own words so you "
            "could explain each paper at a high level."
        )
    return (
        "Enter a Kaggle competition: follow a past winner's recipe, then try a similar "
        "new contest — “How to break into ML”."
    )


def reminder_content(user: Any, now: dt.datetime) -> ReminderContent:
    """Everything the weekly email shows, in the user's timezone at ``now``."""
    today = now.astimezone(user.tzinfo).date()
    week = week_of(today, user.week_start)
    content = ReminderContent(today=today, week=week, days_left=week.days_left(today))
    goals = active_goals(user)
    progress = []
    if goals:  # one UNION query over every source; skipped for users without goals
        done = activity(user, min(g.start_date for g in goals))
        breaks = break_weeks(user)
        progress = [
            goal_progress(g, done.days(g.metric, g.pk), today, user.week_start, breaks)
            for g in goals
        ]
    content.weekly = [_weekly_line(p) for p in progress if p.goal.is_weekly]
    # The papers goal leads the subject line when there is one.
    content.weekly.sort(key=lambda line: line.noun not in {"paper", "papers"})
    content.totals = [_total_line(p) for p in progress if not p.goal.is_weekly]
    content.up_next = [
        LinkLine(paper.title, absolute(paper.get_absolute_url()))
        for paper in Paper.objects.up_next(user, UP_NEXT_LIMIT)
    ]
    content.stalled = [
        LinkLine(
            str(r.paper.title),
            absolute(r.get_absolute_url()),
            note=f"last update {r.updated_at.astimezone(user.tzinfo):%-d %b}",
        )
        for r in Replication.objects.owned_by(user)
        .stalled(today, weeks=STALLED_WEEKS, tz=user.tzinfo)
        .select_related("paper")
    ]
    content.onboarding = not has_activity(user)
    content.advice = choose_advice(content)
    content.log_url = absolute(reverse("papers:create"))
    return content


def has_activity(user: Any) -> bool:
    """Anything logged ever: a paper (even queued), a replication, a project, a counter."""
    return (
        Paper.objects.owned_by(user).exists()
        or Replication.objects.owned_by(user).exists()
        or Project.objects.filter(owner=user).exists()
        or CounterEvent.objects.filter(goal__owner=user).exists()
    )
