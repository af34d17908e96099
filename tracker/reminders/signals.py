"""Keep User.next_reminder_at in step with the user's reminder settings."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from accounts.models import User
from tracker.reminders.schedule import next_reminder_at

logger = logging.getLogger(__name__)

SCHEDULE_FIELDS = frozenset(
    {"timezone", "week_start", "reminder_weekday", "reminder_time", "reminders_enabled"}
)


def reschedule(user: User, now: dt.datetime | None = None) -> dt.datetime | None:
    """Recompute and store next_reminder_at if the settings call for another value.

    Written with ``queryset.update`` so no post_save fires again (no loop); a second
    dispatch in the same local week is stopped by the Reminder row, not here (T4).
    """
    try:
        wanted = next_reminder_at(user, now or timezone.now(), keep_current=True)
    except (ValueError, LookupError):
        logger.warning("user %s has unusable reminder settings", user.pk)
        wanted = None
    if wanted != user.next_reminder_at:
        User.objects.filter(pk=user.pk).update(next_reminder_at=wanted)
        user.next_reminder_at = wanted
    return wanted


def user_saved(
    sender: type,
    instance: User,
    created: bool,
    update_fields: frozenset[str] | None,
    **kwargs: object,
) -> None:
    if kwargs.get("raw"):
        return
    if update_fields is not None and not (set(update_fields) & SCHEDULE_FIELDS):
        return
    reschedule(instance)
