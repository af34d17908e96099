from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from tracker.querysets import OwnedQuerySet


class ProjectKind(models.TextChoices):
    PROJECT = "project", "Project"
    COMPETITION = "competition", "Kaggle competition"


class ProjectStatus(models.TextChoices):
    IDEA = "idea", "Idea"
    ACTIVE = "active", "Active"
    DONE = "done", "Done"
    SHELVED = "shelved", "Shelved"


# The quality checklist from "How to break into ML": (field name, label, hint).
CHECKLIST: tuple[tuple[str, str, str], ...] = (
    ("has_readme", "README and public repo", "Code on GitHub with a README that explains it."),
    ("has_eda", "Exploratory data analysis", "Distributions, outliers, leakage checks."),
    ("has_hyperparameter_study", "Hyperparameter study", "What mattered and what did not."),
    ("has_error_analysis", "Error analysis", "Where and why the model fails."),
    ("has_second_dataset", "Applied to a second dataset", "Does it transfer?"),
    ("has_baseline", "Compared with a baseline", "A simple model to beat."),
    ("has_human_level", "Compared with human-level performance", "How far from people?"),
    ("has_writeup", "Write-up published", "A blog post or report others can read."),
)
CHECKLIST_FIELDS: tuple[str, ...] = tuple(name for name, _label, _hint in CHECKLIST)
CHECKLIST_SIZE = len(CHECKLIST)


def _start_of(day: dt.date, tz: dt.tzinfo | None) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz or dt.UTC)


class ProjectQuerySet(OwnedQuerySet["Project"]):
    def projects(self) -> ProjectQuerySet:
        return self.filter(kind=ProjectKind.PROJECT)

    def competitions(self) -> ProjectQuerySet:
        """Kaggle competitions entered (any status but an unstarted idea)."""
        return self.filter(kind=ProjectKind.COMPETITION).exclude(status=ProjectStatus.IDEA)

    def active(self) -> ProjectQuerySet:
        return self.filter(status=ProjectStatus.ACTIVE)

    def completed(self) -> ProjectQuerySet:
        return self.filter(status=ProjectStatus.DONE)

    def writeups_published(self) -> ProjectQuerySet:
        return self.filter(has_writeup=True)

    def stalled(
        self, today: dt.date, weeks: int = 3, tz: dt.tzinfo | None = None
    ) -> ProjectQuerySet:
        """Active projects untouched (edits, checklist, work sessions) for `weeks` weeks.

        `today` is the user's local date; `tz` their zone (UTC if omitted) so the cut-off is
        the start of that local day.
        """
        cutoff = _start_of(today - dt.timedelta(weeks=weeks), tz)
        return self.active().filter(updated_at__lt=cutoff)


class Project(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="projects"
    )
    kind = models.CharField(max_length=20, choices=ProjectKind.choices, default=ProjectKind.PROJECT)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=10_000)
    repo_url = models.URLField("repository URL", blank=True, max_length=500)
    datasets = models.TextField(blank=True, max_length=2_000, help_text="One dataset per line.")
    status = models.CharField(
        max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE
    )
    started_on = models.DateField(null=True, blank=True)
    finished_on = models.DateField(null=True, blank=True)

    has_readme = models.BooleanField("README and public repo", default=False)
    has_eda = models.BooleanField("exploratory data analysis", default=False)
    has_hyperparameter_study = models.BooleanField("hyperparameter study", default=False)
    has_error_analysis = models.BooleanField("error analysis", default=False)
    has_second_dataset = models.BooleanField("applied to a second dataset", default=False)
    has_baseline = models.BooleanField("compared with a baseline", default=False)
    has_human_level = models.BooleanField("compared with human-level performance", default=False)
    has_writeup = models.BooleanField("write-up published", default=False)
    writeup_url = models.URLField("write-up URL", blank=True, max_length=500)
    # Local date the write-up item was ticked; lets goals count write-ups per period.
    writeup_published_on = models.DateField(null=True, blank=True)

    competition_url = models.URLField("competition URL", blank=True, max_length=500)
    # The competition's final submission date (local); in the calendar feed.
    deadline = models.DateField("final submission deadline", null=True, blank=True)
    leaderboard_rank = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10_000_000)]
    )
    leaderboard_percentile = models.DecimalField(
        "leaderboard percentile",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="0–100; top 10% is 10.",
    )
    followed_winner_recipe = models.BooleanField("followed a past winner's recipe", default=False)

    papers = models.ManyToManyField("papers.Paper", blank=True, related_name="projects")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["owner", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(leaderboard_percentile__isnull=True)
                | Q(leaderboard_percentile__gte=0, leaderboard_percentile__lte=100),
                name="project_percentile_0_100",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])

    @property
    def is_competition(self) -> bool:
        return self.kind == ProjectKind.COMPETITION

    @property
    def checklist_score(self) -> int:
        """How many of the 8 quality checklist items are done."""
        return sum(1 for name in CHECKLIST_FIELDS if getattr(self, name))

    @property
    def checklist_size(self) -> int:
        return CHECKLIST_SIZE

    def checklist_items(self) -> list[dict[str, object]]:
        return [
            {"name": name, "label": label, "hint": hint, "done": getattr(self, name)}
            for name, label, hint in CHECKLIST
        ]

    def dataset_list(self) -> list[str]:
        return [line.strip() for line in self.datasets.splitlines() if line.strip()]

    def set_checklist_item(self, name: str, done: bool, today: dt.date) -> bool:
        """Set one checklist item; returns whether anything changed."""
        if name not in CHECKLIST_FIELDS:
            raise ValueError(f"unknown checklist item {name!r}")
        if getattr(self, name) == done:
            return False
        setattr(self, name, done)
        fields = [name, "updated_at"]
        if name == "has_writeup":
            self.writeup_published_on = today if done else None
            fields.append("writeup_published_on")
        self.save(update_fields=fields)
        return True

    def total_minutes(self) -> int:
        return self.sessions.aggregate(total=models.Sum("minutes"))["total"] or 0


class WorkSessionQuerySet(OwnedQuerySet["WorkSession"]):
    owner_lookup = "project__owner"


class WorkSession(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(help_text="Your local date.")
    minutes = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["project", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1, minutes__lte=1440), name="worksession_minutes_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.date} · {self.minutes} min"
