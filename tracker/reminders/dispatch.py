"""One dispatcher tick: claim due users into Reminder rows and queue their sends.

Run every 5 minutes by a single static beat entry (C8) and by
``manage.py send_reminders``. Safe to run concurrently and repeatedly:

* a user is claimed by a compare-and-set on ``next_reminder_at`` (the UPDATE only
  matches the value we read), and on PostgreSQL the batch is also locked with
  ``SELECT … FOR UPDATE SKIP LOCKED`` so parallel dispatchers split the work (C2);
* the Reminder row is unique on (user, week_start), so a second claim for the same
  local week — two beats, a timezone change mid-week (T4) — creates nothing (C1);
* sends are enqueued after commit, as ``delay_on_commit`` does (C6), one task per
  SEND_BATCH rows, and rows left pending/sending for 15 minutes are re-queued, so a lost
  broker message costs one tick (C3).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from tracker.reminders.models import Reminder, ReminderStatus
from tracker.reminders.schedule import next_send_at, previous_send_at, week_key_for_slot

logger = logging.getLogger(__name__)

REQUEUE_AFTER = dt.timedelta(minutes=15)
SKIP_IF_LATE_BY = dt.timedelta(hours=12)
BATCH_SIZE = 500
# Rows per send task: Celery's per-message cost is spread over this many emails, and a
# worker killed mid-task leaves at most this many rows for the 15-minute re-queue.
SEND_BATCH = 25
# Messages buffered per Redis pipeline round trip when queueing a chunk.
PUBLISH_BATCH = 100
# What the schedule functions read; claiming loads only these columns.
SCHEDULE_FIELDS = (
    "pk",
    "timezone",
    "week_start",
    "reminder_weekday",
    "reminder_time",
    "reminders_enabled",
    "next_reminder_at",
)


@dataclass
class TickResult:
    now: dt.datetime
    claimed: int = 0
    skipped_late: int = 0
    already_had_row: int = 0
    unverified: int = 0
    scheduled: int = 0
    requeued: int = 0
    queued_ids: list[int] = field(default_factory=list)

    def as_log(self) -> str:
        return (
            f"claimed={self.claimed} skipped_late={self.skipped_late} "
            f"already_had_row={self.already_had_row} unverified={self.unverified} "
            f"scheduled={self.scheduled} requeued={self.requeued}"
        )


def compute_next_reminder_at(user: object, after: dt.datetime) -> dt.datetime | None:
    """The user's next slot after ``after``, or None when reminders are off."""
    if not user.reminders_enabled:  # type: ignore[attr-defined]
        return None
    return next_send_at(
        user.timezone,  # type: ignore[attr-defined]
        user.week_start,  # type: ignore[attr-defined]
        user.reminder_weekday,  # type: ignore[attr-defined]
        user.reminder_time,  # type: ignore[attr-defined]
        after,
    )


def verified_email_exists(prefix: str = "") -> Exists:
    """E7: the user's login address is their primary, verified allauth address.

    ``prefix`` reaches the user from another model ("user__" from a Reminder).
    """
    return Exists(
        EmailAddress.objects.filter(
            user=OuterRef(f"{prefix}pk"),
            primary=True,
            verified=True,
            email__iexact=OuterRef(f"{prefix}email"),
        )
    )


def due_users(now: dt.datetime) -> QuerySet:
    User = get_user_model()
    return User.objects.filter(reminders_enabled=True, next_reminder_at__lte=now)


def _enqueue(reminder_ids: list[int]) -> None:
    """Queue the sends of these rows once the surrounding transaction commits (C6).

    What ``delay_on_commit`` does, with one commit hook and one broker producer for the
    whole chunk instead of one of each per message.
    """
    if reminder_ids:
        transaction.on_commit(partial(_publish, list(reminder_ids)))


def _publish(reminder_ids: list[int]) -> None:
    from tracker.reminders.tasks import send_reminders

    # A failure part-way leaves the rest pending; _requeue_stale picks them up (C3).
    # producer.batch(): on Redis, the messages go out in pipelined round trips instead of
    # one client and one round trip each; transports without batching publish each at once.
    with send_reminders.app.producer_or_acquire() as producer, producer.batch(PUBLISH_BATCH):
        for start in range(0, len(reminder_ids), SEND_BATCH):
            chunk = reminder_ids[start : start + SEND_BATCH]
            send_reminders.apply_async((chunk,), producer=producer)


def _schedule_missing(now: dt.datetime, result: TickResult, dry_run: bool) -> None:
    """Give users who have reminders on but no next instant one (e.g. created before us)."""
    User = get_user_model()
    users = User.objects.filter(reminders_enabled=True, next_reminder_at__isnull=True).only(
        *SCHEDULE_FIELDS
    )
    for user in users.iterator(chunk_size=BATCH_SIZE):
        result.scheduled += 1
        if not dry_run:
            User.objects.filter(pk=user.pk, next_reminder_at__isnull=True).update(
                next_reminder_at=compute_next_reminder_at(user, now)
            )


def _advance_unverified(now: dt.datetime, result: TickResult, dry_run: bool) -> None:
    """Due users without a verified address get no email and no row; move them on (E7)."""
    users = due_users(now).exclude(verified_email_exists()).only(*SCHEDULE_FIELDS)
    moves = [(user, compute_next_reminder_at(user, now)) for user in users]
    result.unverified += len(moves)
    if not dry_run:
        _compare_and_set(moves)


def _compare_and_set(moves: list[tuple[Any, dt.datetime | None]]) -> set[int]:
    """Move each user's ``next_reminder_at`` from the value we read to the new one (C2).

    One ``UPDATE … WHERE pk IN (…) AND next_reminder_at = <old>`` per distinct
    (old, new) pair — a tick's due users share a handful of slots, so that is a few
    statements per chunk instead of one per user. Returns the ids that moved.

    When every row of a group matched (always, on PostgreSQL under our FOR UPDATE lock
    and on SQLite under its IMMEDIATE write lock) they are all ours. Otherwise a
    concurrent writer moved some of them and we cannot tell whose they are; count as
    claimed those now holding the new value. A user both dispatchers counted still gets
    one Reminder row (unique (user, week), C1) and one email (the send task's
    pending -> sending compare-and-set), so over-counting there is harmless.
    """
    User = get_user_model()
    groups: dict[tuple[dt.datetime, dt.datetime | None], list[int]] = defaultdict(list)
    for user, new in moves:
        groups[(user.next_reminder_at, new)].append(user.pk)
    moved: set[int] = set()
    for (old, new), ids in groups.items():
        for start in range(0, len(ids), BATCH_SIZE):
            chunk = ids[start : start + BATCH_SIZE]
            count = User.objects.filter(pk__in=chunk, next_reminder_at=old).update(
                next_reminder_at=new
            )
            if count == len(chunk):
                moved.update(chunk)
                continue
            logger.warning(
                "reminder dispatch: %d of %d users changed under us; re-reading",
                len(chunk) - count,
                len(chunk),
            )
            now_new = (
                {"next_reminder_at__isnull": True} if new is None else {"next_reminder_at": new}
            )
            moved.update(User.objects.filter(pk__in=chunk, **now_new).values_list("pk", flat=True))
    return moved


def _claim_batch(now: dt.datetime, result: TickResult, dry_run: bool) -> int:
    """Claim up to BATCH_SIZE due users in one transaction; return how many were looked at.

    A fixed number of statements per chunk: the locked select, a compare-and-set UPDATE per
    distinct (old, new) slot pair, the existing-row check, one INSERT and one read-back.
    """
    queryset = (
        due_users(now)
        .filter(verified_email_exists())
        .order_by("next_reminder_at", "pk")
        .only(*SCHEDULE_FIELDS)
    )
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            # Parallel dispatchers skip each other's rows instead of waiting on them (C2).
            queryset = queryset.select_for_update(skip_locked=True, of=("self",))
        users = list(queryset[:BATCH_SIZE])
        planned: list[tuple[Any, dt.datetime, dt.date, bool]] = []
        moves: list[tuple[Any, dt.datetime | None]] = []
        for user in users:
            # The slot of this week whose local time has passed: a missed tick or a stopped
            # beat still yields this week's reminder, never a stale one.
            slot = previous_send_at(
                user.timezone, user.week_start, user.reminder_weekday, user.reminder_time, now
            )
            week = week_key_for_slot(user.timezone, user.week_start, user.reminder_weekday, slot)
            planned.append((user, slot, week, now - slot > SKIP_IF_LATE_BY))
            moves.append((user, compute_next_reminder_at(user, now)))
        if dry_run:
            claims = planned
        else:
            # Compare-and-set: only the dispatcher that read these values moves them on (C2).
            moved = _compare_and_set(moves)
            claims = [claim for claim in planned if claim[0].pk in moved]
        new_ids = _create_rows(claims, now, result, dry_run)
        if not dry_run:
            _enqueue(new_ids)
            result.queued_ids.extend(new_ids)
    return len(users)


def _create_rows(
    claims: list[tuple[Any, dt.datetime, dt.date, bool]],
    now: dt.datetime,
    result: TickResult,
    dry_run: bool,
) -> list[int]:
    """Insert one Reminder row per claimed (user, week) that has none; return pending ids.

    The unique (user, week_start) constraint is the last word (C1, T4): a week that already
    has its row — say the user moved timezone after this week's email — gets nothing new.
    """
    if not claims:
        return []
    user_ids = [user.pk for user, _, _, _ in claims]
    existing = set(
        Reminder.objects.filter(
            user_id__in=user_ids, week_start__in={week for _, _, week, _ in claims}
        ).values_list("user_id", "week_start")
    )
    rows = []
    for user, slot, week, late in claims:
        if (user.pk, week) in existing:
            result.already_had_row += 1
            continue
        if late:
            result.skipped_late += 1
        else:
            result.claimed += 1
        rows.append(
            Reminder(
                user_id=user.pk,
                week_start=week,
                scheduled_for=slot,
                status=ReminderStatus.SKIPPED if late else ReminderStatus.PENDING,
                error=f"more than {SKIP_IF_LATE_BY} late at {now.isoformat()}" if late else "",
                created_at=now,
                updated_at=now,
            )
        )
    if dry_run or not rows:
        return []
    # ignore_conflicts: a row inserted meanwhile by anyone else wins; the send task's own
    # compare-and-set keeps a second queue message for it harmless.
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    # Read back the rows that are ours: the exact (user, week) pairs we inserted, pending,
    # stamped with this tick's instant.
    ours = {(row.user_id, row.week_start) for row in rows if row.status == ReminderStatus.PENDING}
    if not ours:
        return []
    inserted = Reminder.objects.filter(
        user_id__in={user_id for user_id, _ in ours},
        week_start__in={week for _, week in ours},
        status=ReminderStatus.PENDING,
        created_at=now,
    ).values_list("pk", "user_id", "week_start")
    return [pk for pk, user_id, week in inserted if (user_id, week) in ours]


def _requeue_stale(now: dt.datetime, result: TickResult, dry_run: bool) -> None:
    """Re-queue rows whose broker message was lost or whose worker died (C3, C7).

    A row still ``sending`` after 15 minutes outlived the task's time limit, so no
    worker is on it; reset it to ``pending`` (compare-and-set on status and timestamp)
    and queue it again. The send task's own compare-and-set absorbs any duplicate.
    """
    cutoff = now - REQUEUE_AFTER
    stale = list(Reminder.objects.stale(cutoff).values_list("pk", "status", "updated_at"))
    if dry_run:
        result.requeued = len(stale)
        return
    with transaction.atomic():
        ids = []
        for pk, status, updated_at in stale:
            reset = Reminder.objects.filter(pk=pk, status=status, updated_at=updated_at).update(
                status=ReminderStatus.PENDING, updated_at=now
            )
            if reset:
                ids.append(pk)
        _enqueue(ids)
    result.requeued = len(ids)
    result.queued_ids.extend(ids)


def dispatch(now: dt.datetime | None = None, *, dry_run: bool = False) -> TickResult:
    """One tick as if the clock showed ``now``. Logs its counts."""
    now = now or timezone.now()
    result = TickResult(now=now)
    _schedule_missing(now, result, dry_run)
    _advance_unverified(now, result, dry_run)
    if dry_run:
        _claim_batch(now, result, dry_run)
    else:
        while _claim_batch(now, result, dry_run) == BATCH_SIZE:
            pass
    _requeue_stale(now, result, dry_run)
    logger.info(
        "reminder dispatch at %s%s: %s",
        now.isoformat(),
        " (dry run)" if dry_run else "",
        result.as_log(),
    )
    return result
