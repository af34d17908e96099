"""Per-user rollups of what the dashboard cards count (maintained by :mod:`.rollups`).

One row per user and local day (``DayRollup``) and per user and local week
(``WeekRollup``, keyed by the week's first day under the user's week start), with one
column per counted metric. A custom counter's amounts sit in rows of their own, with
``goal`` set and only ``counter`` non-zero. Rows are derived data: ``manage.py
rebuild_rollups`` recomputes them from the papers, sessions, replications, projects and
counter events they count.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

# Metric value -> column; the custom counter's column is "counter".
COLUMNS = (
    "papers_read",
    "papers_explained",
    "reading_minutes",
    "replications_done",
    "projects_completed",
    "competitions_entered",
    "writeups_published",
    "expert_conversations",
    "counter",
)


class RollupAmounts(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey(
        "goals.Goal", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    papers_read = models.PositiveIntegerField(default=0)
    papers_explained = models.PositiveIntegerField(default=0)
    reading_minutes = models.PositiveIntegerField(default=0)
    replications_done = models.PositiveIntegerField(default=0)
    projects_completed = models.PositiveIntegerField(default=0)
    competitions_entered = models.PositiveIntegerField(default=0)
    writeups_published = models.PositiveIntegerField(default=0)
    expert_conversations = models.PositiveIntegerField(default=0)
    counter = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def amounts(self) -> tuple[int, ...]:
        return tuple(getattr(self, c) for c in COLUMNS)


class DayRollup(RollupAmounts):
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "day"], condition=Q(goal__isnull=True), name="rollup_day_once"
            ),
            models.UniqueConstraint(
                fields=["goal", "day"],
                condition=Q(goal__isnull=False),
                name="rollup_day_counter_once",
            ),
        ]
        indexes = [models.Index(fields=["owner", "day"], name="rollup_day_owner_day")]

    def __str__(self) -> str:
        return f"rollup of {self.day}"


class WeekRollup(RollupAmounts):
    week_start = models.PositiveSmallIntegerField(help_text="The owner's week start (0 Monday).")
    week = models.DateField(help_text="First day of the week.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "week_start", "week"],
                condition=Q(goal__isnull=True),
                name="rollup_week_once",
            ),
            models.UniqueConstraint(
                fields=["goal", "week_start", "week"],
                condition=Q(goal__isnull=False),
                name="rollup_week_counter_once",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "week_start", "week"], name="rollup_week_owner_week")
        ]

    def __str__(self) -> str:
        return f"rollup of the week of {self.week}"
