"""Keep User.next_reminder_at in step with the user's reminder settings."""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.auth import get_user_model
from django.utils import timezone

from tracker.reminders.schedule import next_send_at

logger = logging.getLogger(__name__)

SCHEDULE_FIELDS = frozenset(
    {"timezone", "week_start", "reminder_weekday", "reminder_time", "reminders_enabled"}
)


def is_current_slot(user: object, instant: dt.datetime) -> bool:
    """True when ``instant`` is a slot of the user's current settings.

    Lets a save that changed nothing relevant (a login stamping last_login) keep a due,
    not yet dispatched reminder instead of pushing it to next week.
    """
    try:
        return (
            next_send_at(
                user.timezone,  # type: ignore[attr-defined]
                user.week_start,  # type: ignore[attr-defined]
                user.reminder_weekday,  # type: ignore[attr-defined]
                user.reminder_time,  # type: ignore[attr-defined]
                instant - dt.timedelta(microseconds=1),
            )
            == instant
        )
    except (ValueError, LookupError):
        return False


def wanted_next_reminder_at(user: object, now: dt.datetime) -> dt.datetime | None:
    if not user.reminders_enabled:  # type: ignore[attr-defined]
        return None
    current = user.next_reminder_at  # type: ignore[attr-defined]
    if current is not None and is_current_slot(user, current):
        return current
    return next_send_at(
        user.timezone,  # type: ignore[attr-defined]
        user.week_start,  # type: ignore[attr-defined]
        user.reminder_weekday,  # type: ignore[attr-defined]
        user.reminder_time,  # type: ignore[attr-defined]
        now,
    )


def reschedule(user: object, now: dt.datetime | None = None) -> dt.datetime | None:
    """Recompute and store next_reminder_at if the settings call for another value.

    Written with ``queryset.update`` so no post_save fires again (no loop); a second
    dispatch in the same local week is stopped by the Reminder row, not here (T4).
    """
    try:
        wanted = wanted_next_reminder_at(user, now or timezone.now())
    except (ValueError, LookupError):
        logger.warning("user %s has unusable reminder settings", user.pk)  # type: ignore[attr-defined]
        wanted = None
    if wanted != user.next_reminder_at:  # type: ignore[attr-defined]
        get_user_model().objects.filter(pk=user.pk).update(next_reminder_at=wanted)  # type: ignore[attr-defined]
        user.next_reminder_at = wanted  # type: ignore[attr-defined]
    return wanted


def user_saved(
    sender: type,
    instance: object,
    created: bool,
    update_fields: frozenset[str] | None,
    **kwargs: object,
) -> None:
    if kwargs.get("raw"):
        return
    if update_fields is not None and not (set(update_fields) & SCHEDULE_FIELDS):
        return
    reschedule(instance)
