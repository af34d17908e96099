"""When a user's weekly reminder is due.

The slot is a local weekday and wall-clock time in the user's IANA timezone. Instants are
computed with ``zoneinfo`` from local dates, never by adding hours to an aware datetime in
one zone (T6), so DST changes, 30-minute shifts (Lord Howe) and +05:30/+05:45 offsets all
land on the chosen local time (T1).

* A local time that does not exist (DST gap) is interpreted with the offset in force
  before the gap, which moves it forward by the gap's length: 02:30 on New York's
  spring-forward day becomes 03:30 EDT; 02:15 on Lord Howe's becomes 02:45 (T2).
* A local time that happens twice (DST fold) uses the first occurrence; the week key
  then makes sure the second one is never used (T2).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from tracker.weeks import week_start_date

if TYPE_CHECKING:
    from accounts.models import User

UTC = dt.UTC


def local_slot_instant(tz: ZoneInfo, day: dt.date, local_time: dt.time) -> dt.datetime:
    """The UTC instant at which the local clock in ``tz`` shows ``local_time`` on ``day``.

    fold=0 gives the first of two repeated times and, for a nonexistent time, the
    pre-transition offset, i.e. the time shifted forward by the length of the gap.
    """
    naive_time = local_time.replace(tzinfo=None, fold=0)
    local = dt.datetime.combine(day, naive_time, tzinfo=tz)
    return local.astimezone(UTC)


def next_send_at(
    tz_name: str,
    week_start: int,
    weekday: int,
    local_time: dt.time,
    after: dt.datetime,
) -> dt.datetime:
    """Next UTC instant strictly after ``after`` when the local clock reaches the slot.

    ``week_start`` does not move the slot (a slot is a weekday and a time); it is accepted
    so every schedule function takes the same user settings, and it decides the week the
    slot belongs to (see :func:`week_key_for_slot`).
    """
    if after.tzinfo is None or after.utcoffset() is None:
        raise ValueError("after must be an aware datetime")
    if not 0 <= weekday <= 6 or not 0 <= week_start <= 6:
        raise ValueError("weekday and week_start must be in 0..6")
    tz = ZoneInfo(tz_name)
    local_day = after.astimezone(tz).date()
    # Most recent slot day on or before the local date of `after`; earlier slot days are
    # at least a day behind `after`, which a DST shift of at most a few hours cannot undo.
    day = local_day - dt.timedelta(days=(local_day.weekday() - weekday) % 7)
    while True:
        instant = local_slot_instant(tz, day, local_time)
        if instant > after:
            return instant
        day += dt.timedelta(days=7)


def previous_send_at(
    tz_name: str,
    week_start: int,
    weekday: int,
    local_time: dt.time,
    at: dt.datetime,
) -> dt.datetime:
    """Latest slot instant at or before ``at``: the slot whose local time has already passed.

    The dispatcher uses it for users whose ``next_reminder_at`` lies in the past, so missed
    scheduler ticks (or a stopped beat) still produce this week's reminder, not a stale one.
    """
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("at must be an aware datetime")
    tz = ZoneInfo(tz_name)
    local_day = at.astimezone(tz).date()
    day = local_day - dt.timedelta(days=(local_day.weekday() - weekday) % 7)
    while True:
        instant = local_slot_instant(tz, day, local_time)
        if instant <= at:
            return instant
        day -= dt.timedelta(days=7)


def slot_local_date(tz_name: str, weekday: int, slot_at: dt.datetime) -> dt.date:
    """The local date of the slot that produced ``slot_at``.

    A slot shifted forward across midnight by a DST gap still belongs to its own day: walk
    back from the instant's local date to the nearest reminder weekday.
    """
    local_day = slot_at.astimezone(ZoneInfo(tz_name)).date()
    return local_day - dt.timedelta(days=(local_day.weekday() - weekday) % 7)


def week_key_for_slot(tz_name: str, week_start: int, weekday: int, slot_at: dt.datetime) -> dt.date:
    """Start date of the user's local week that the slot at ``slot_at`` belongs to.

    A Reminder row is unique on (user, this date), so whatever the scheduler does — two
    beats, a retry, a timezone change mid-week — one week gets at most one email (C1, T4).
    """
    return week_start_date(slot_local_date(tz_name, weekday, slot_at), week_start)


def next_reminder_at(
    user: User, after: dt.datetime, *, keep_current: bool = False
) -> dt.datetime | None:
    """The user's next reminder instant after ``after``, or None when reminders are off.

    The one next-slot rule: the dispatcher moves a claimed user on with it, and a save of
    the reminder settings recomputes with it. ``keep_current`` keeps ``next_reminder_at``
    when it is still a slot of the current settings, even a due one not yet dispatched,
    so a save that changed nothing relevant (a login stamping last_login) does not push
    it to next week. Raises ValueError or LookupError for unusable settings.
    """
    if not user.reminders_enabled:
        return None
    current = user.next_reminder_at
    if keep_current and current is not None and _is_slot(user, current):
        return current
    return next_send_at(
        user.timezone, user.week_start, user.reminder_weekday, user.reminder_time, after
    )


def _is_slot(user: User, instant: dt.datetime) -> bool:
    try:
        slot = next_send_at(
            user.timezone,
            user.week_start,
            user.reminder_weekday,
            user.reminder_time,
            instant - dt.timedelta(microseconds=1),
        )
    except (ValueError, LookupError):
        return False
    return slot == instant
