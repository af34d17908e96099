from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from tracker.querysets import OwnedQuerySet


class Metric(models.TextChoices):
    PAPERS_READ = "papers_read", "Papers read"
    PAPERS_EXPLAINED = "papers_explained", "Papers explained"
    READING_MINUTES = "reading_minutes", "Reading minutes"
    REPLICATIONS_DONE = "replications_done", "Replications done"
    PROJECTS_COMPLETED = "projects_completed", "Projects completed"
    COMPETITIONS_ENTERED = "competitions_entered", "Competitions entered"
    WRITEUPS_PUBLISHED = "writeups_published", "Write-ups published"
    EXPERT_CONVERSATIONS = "expert_conversations", "Expert conversations"
    CUSTOM = "custom", "Custom counter"


# (singular, plural) nouns for "1 of 2 papers".
METRIC_NOUNS: dict[str, tuple[str, str]] = {
    Metric.PAPERS_READ: ("paper", "papers"),
    Metric.PAPERS_EXPLAINED: ("paper explained", "papers explained"),
    Metric.READING_MINUTES: ("minute", "minutes"),
    Metric.REPLICATIONS_DONE: ("replication", "replications"),
    Metric.PROJECTS_COMPLETED: ("project", "projects"),
    Metric.COMPETITIONS_ENTERED: ("competition", "competitions"),
    Metric.WRITEUPS_PUBLISHED: ("write-up", "write-ups"),
    Metric.EXPERT_CONVERSATIONS: ("expert conversation", "expert conversations"),
    Metric.CUSTOM: ("time", "times"),
}


class Period(models.TextChoices):
    WEEKLY = "weekly", "Every week"
    TOTAL = "total", "In total"


class GoalQuerySet(OwnedQuerySet["Goal"]):
    def active(self) -> GoalQuerySet:
        return self.filter(active=True)


class Goal(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="goals"
    )
    metric = models.CharField(max_length=32, choices=Metric.choices)
    name = models.CharField(
        max_length=80, blank=True, help_text="Needed for a custom counter; optional otherwise."
    )
    period = models.CharField(max_length=8, choices=Period.choices, default=Period.WEEKLY)
    target = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    stretch_target = models.PositiveIntegerField(null=True, blank=True)
    start_date = models.DateField(help_text="Your local date; counting starts here.")
    deadline = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["-active", "period", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(target__gte=1), name="goal_target_positive"),
            models.CheckConstraint(
                condition=Q(stretch_target__isnull=True) | Q(stretch_target__gt=F("target")),
                name="goal_stretch_above_target",
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gt=F("start_date")),
                name="goal_deadline_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("goals:edit", args=[self.pk])

    @property
    def title(self) -> str:
        if self.name:
            return self.name
        return str(Metric(self.metric).label)

    @property
    def is_weekly(self) -> bool:
        return self.period == Period.WEEKLY

    @property
    def is_custom(self) -> bool:
        return self.metric == Metric.CUSTOM

    @property
    def nouns(self) -> tuple[str, str]:
        return METRIC_NOUNS[self.metric]


class GoalTarget(models.Model):
    """A weekly target in force from one week on; past weeks keep the target they had."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="targets")
    effective_from = models.DateField(help_text="First day of the first week it applies to.")
    target = models.PositiveIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["goal", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "effective_from"], name="goal_target_once_a_week"
            )
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {self.target} from {self.effective_from}"


class CounterEvent(models.Model):
    """One +1 on a custom counter, on the user's local date."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="events")
    date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["goal", "date"])]

    def __str__(self) -> str:
        return f"{self.goal} +1 on {self.date}"


class WeekBreakQuerySet(OwnedQuerySet["WeekBreak"]):
    pass


class WeekBreak(models.Model):
    """A planned break (holiday, illness): the week neither breaks nor extends streaks."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="week_breaks"
    )
    week_start = models.DateField(help_text="First day of the week, in the user's week.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WeekBreakQuerySet.as_manager()

    class Meta:
        ordering = ["week_start"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "week_start"], name="one_break_a_week")
        ]

    def __str__(self) -> str:
        return f"Break in the week of {self.week_start}"
