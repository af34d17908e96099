from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped"


class ReminderQuerySet(models.QuerySet["Reminder"]):
    def stale(self, cutoff: object) -> ReminderQuerySet:
        """Rows whose queue message may have been lost: in flight, untouched since ``cutoff``."""
        return self.filter(
            status__in=[ReminderStatus.PENDING, ReminderStatus.SENDING], updated_at__lt=cutoff
        )


class Reminder(models.Model):
    """The ledger row that makes a weekly reminder happen at most once (C1).

    Unique on (user, week_start): whoever inserts it first owns that week's email; every
    later dispatch, retry or duplicate message finds the row and does nothing.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    week_start = models.DateField(help_text="First day of the user's local week")
    scheduled_for = models.DateTimeField(help_text="The slot instant (UTC)")
    status = models.CharField(
        max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Set explicitly on every state change (updates go through querysets).
    updated_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-week_start", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "week_start"], name="reminder_one_per_week"),
        ]
        indexes = [models.Index(fields=["status", "updated_at"], name="reminder_status_updated")]

    def __str__(self) -> str:
        return f"Reminder for {self.user_id}, week of {self.week_start} ({self.status})"
