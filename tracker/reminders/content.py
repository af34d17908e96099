"""What the weekly email says, computed for one user at one instant in their timezone.

Thin: counting and streak/pace arithmetic come from tracker.progress / tracker.goals /
tracker.papers; this module only picks what the email shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.urls import reverse

from tracker.goals.models import CounterEvent, Goal
from tracker.niche.models import Contact
from tracker.niche.services import MAX_DUE_IN_EMAIL, follow_ups
from tracker.papers.models import Paper, Status
from tracker.progress.queries import activity, break_weeks, target_histories
from tracker.progress.report import GoalProgress, goal_progress
from tracker.progress.streaks import WeekState
from tracker.projects.models import Project
from tracker.replications.models import Replication, ReplicationStatus
from tracker.weeks import Week, week_of

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
    follow_ups: list[LinkLine] = field(default_factory=list)
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


# --- What there is to show -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContentFlags:
    """Which sections have anything in them, so empty ones cost no query.

    Most users have no goal, queue or replication at all; one query over EXISTS
    subqueries replaces the list queries that would each come back empty.
    """

    has_goals: bool
    has_queue: bool
    has_replication_in_progress: bool
    has_activity: bool
    has_follow_ups: bool = False  # a contact with a follow-up planned (tracker.niche)


FLAG_NAMES = (
    "has_goals",
    "has_queue",
    "has_replication_in_progress",
    "has_activity",
    "has_follow_ups",
)


def flag_annotations(prefix: str = "") -> dict[str, Any]:
    """EXISTS annotations for :class:`ContentFlags` on a user query (``prefix``: "user__")."""
    owner = OuterRef(f"{prefix}pk")
    return {
        "has_goals": Exists(Goal.objects.filter(owner=owner, active=True)),
        "has_queue": Exists(Paper.objects.filter(owner=owner, status=Status.TO_READ)),
        "has_replication_in_progress": Exists(
            Replication.objects.filter(owner=owner, status=ReplicationStatus.IN_PROGRESS)
        ),
        # Anything logged ever: a paper (even queued), a replication, a project, a counter.
        "has_activity": ExpressionWrapper(
            Q(Exists(Paper.objects.filter(owner=owner)))
            | Q(Exists(Replication.objects.filter(owner=owner)))
            | Q(Exists(Project.objects.filter(owner=owner)))
            | Q(Exists(CounterEvent.objects.filter(goal__owner=owner))),
            output_field=BooleanField(),
        ),
        "has_follow_ups": Exists(
            Contact.objects.filter(owner=owner).filter(
                Q(follow_up_on__isnull=False) | Q(follow_up_weeks__isnull=False)
            )
        ),
    }


def flags_from(row: Mapping[str, Any]) -> ContentFlags:
    """The flags off a ``values()`` row annotated with :func:`flag_annotations`."""
    return ContentFlags(*(bool(row[name]) for name in FLAG_NAMES))


def content_flags(user: Any) -> ContentFlags:
    """One query: which sections of ``user``'s email have anything in them."""
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(**flag_annotations())
        .values(*FLAG_NAMES)
        .first()
    )
    return flags_from(row or dict.fromkeys(FLAG_NAMES, False))


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


def reminder_content(
    user: Any, now: dt.datetime, flags: ContentFlags | None = None
) -> ReminderContent:
    """Everything the weekly email shows, in the user's timezone at ``now``.

    ``flags`` (from :func:`flag_annotations` on the query that loaded the user) saves the
    probe query; sections the flags call empty are not queried. At most: probe, goals,
    targets, activity, breaks, queue, stalled replications — never one query per goal.
    """
    if flags is None:
        flags = content_flags(user)
    today = now.astimezone(user.tzinfo).date()
    week = week_of(today, user.week_start)
    content = ReminderContent(today=today, week=week, days_left=week.days_left(today))
    goals = list(Goal.objects.owned_by(user).active()) if flags.has_goals else []
    progress = []
    if goals:  # one UNION query over every source
        done = activity(user, min(g.start_date for g in goals))
        weekly = any(g.is_weekly for g in goals)
        # Target histories and breaks only matter to weekly goals; one query each, not
        # one per goal (goal_progress would otherwise read goal.targets per goal).
        histories = target_histories(user) if weekly else {}
        breaks = break_weeks(user) if weekly else set()
        progress = [
            goal_progress(
                g,
                done.days(g.metric, g.pk),
                today,
                user.week_start,
                breaks,
                history=histories.get(g.pk, []),
            )
            for g in goals
        ]
    content.weekly = [_weekly_line(p) for p in progress if p.goal.is_weekly]
    # The papers goal leads the subject line when there is one.
    content.weekly.sort(key=lambda line: line.noun not in {"paper", "papers"})
    content.totals = [_total_line(p) for p in progress if not p.goal.is_weekly]
    if flags.has_queue:
        content.up_next = [
            LinkLine(paper.title, absolute(paper.get_absolute_url()))
            for paper in Paper.objects.up_next(user, UP_NEXT_LIMIT)
        ]
    if flags.has_replication_in_progress:
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
    if flags.has_follow_ups:
        content.follow_ups = [
            LinkLine(
                f.contact.name, absolute(f.contact.get_absolute_url()), f"due {f.due_on:%-d %b}"
            )
            for f in follow_ups(user, week.end, limit=MAX_DUE_IN_EMAIL)
        ]
    content.onboarding = not flags.has_activity
    content.advice = choose_advice(content)
    content.log_url = absolute(reverse("papers:create"))
    return content


def has_activity(user: Any) -> bool:
    """Anything logged ever: a paper (even queued), a replication, a project, a counter."""
    return content_flags(user).has_activity
