"""One dispatcher tick: claim due users into Reminder rows and queue their sends.

Run every 5 minutes by a single static beat entry (C8) and by
``manage.py dispatch_reminders``. Safe to run concurrently and repeatedly:

* a user is claimed by a compare-and-set on ``next_reminder_at`` (the UPDATE only
  matches the value we read), and on PostgreSQL the batch is also locked with
  ``SELECT … FOR UPDATE SKIP LOCKED`` so parallel dispatchers split the work (C2);
* the Reminder row is unique on (user, week_start), so a second claim for the same
  local week — two beats, a timezone change mid-week (T4) — creates nothing (C1);
* sends are handed to the caller's publisher after commit, as ``delay_on_commit`` does
  (C6) (``tasks.publish_send_batches``: one task per SEND_BATCH rows), and rows whose
  task is known to be gone are queued again (C3, C7): pending rows after REQUEUE_AFTER
  (a lost message), pending rows a send task handed back after RETRY_REQUEUE_AFTER (its
  retries are used up or lost), sending rows after REQUEUE_SENDING_AFTER (their worker
  died); a row past SKIP_IF_LATE_BY ends there instead.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User, UserQuerySet
from tracker.reminders.models import Reminder, ReminderStatus
from tracker.reminders.schedule import next_reminder_at, previous_send_at, week_key_for_slot

logger = logging.getLogger(__name__)

SKIP_IF_LATE_BY = dt.timedelta(hours=12)
BATCH_SIZE = 500
# Rows per send task: Celery's per-message cost is spread over this many emails, and a
# worker killed mid-task leaves at most this many rows for the re-queue of sending rows.
SEND_BATCH = 25

# --- When a row's task is known to be gone (C3, C7) --------------------------------------
# The send task's hard time limit, in seconds (tasks.send_reminder_batch). The prefork pool kills
# a task that outlives it, and kills the pool children when the worker's main process dies
# (Celery sets PR_SET_PDEATHSIG), so no process still works on a batch claimed longer ago.
SEND_TIME_LIMIT = 90
# A running send task re-stamps the rows it still holds at least this often, in seconds,
# between two emails (tasks._heartbeat): what keeps pools without time limits (threads,
# solo) safe under the re-queue below, as long as no single email takes a whole minute.
SEND_HEARTBEAT = 20
# A row still sending with a stamp older than this belongs to no live task: the time limit
# plus a minute for clock skew between worker and dispatcher hosts and a slow commit.
# Residual risk, accepted: a worker frozen (SIGSTOP, a suspended VM) for longer than this,
# or clocks more than a minute apart, can resume a send of a row already queued again; the
# send task's claim keeps that to the email in flight, which may then go out twice.
REQUEUE_SENDING_AFTER = dt.timedelta(seconds=SEND_TIME_LIMIT) + dt.timedelta(minutes=1)
# A pending row no task has answered for: its queue message was lost (or sits behind a long
# backlog, where a second message is harmless: the send task's claim sends once).
REQUEUE_AFTER = dt.timedelta(minutes=15)
# The send task's retry ladder (C4): retry n waits between half and all of
# min(cap, base * 2**n) seconds; the cap stays far below the Redis visibility timeout (C5).
# The setting REMINDER_RETRY_BACKOFF = (base, cap) overrides it (the worker tests shorten it).
MAX_RETRIES = 8
RETRY_BACKOFF = (30.0, 300.0)


def retry_backoff() -> tuple[float, float]:
    base, cap = getattr(settings, "REMINDER_RETRY_BACKOFF", RETRY_BACKOFF)
    return float(base), float(cap)


def retry_requeue_after() -> dt.timedelta:
    """A pending row a send task handed back (attempts > 0) and nobody claimed since then:
    the longest retry countdown plus a minute has passed, so its retry is used up or lost.
    """
    return dt.timedelta(seconds=retry_backoff()[1]) + dt.timedelta(minutes=1)


# Messages buffered per Redis pipeline round trip when queueing a chunk.
PUBLISH_BATCH = 100

# Given the ids of rows that just became pending, queues their sends; called after commit.
# The dispatcher takes it as an argument so it need not import the tasks that import it.
Publisher = Callable[[list[int]], None]
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


@dataclass(frozen=True)
class DueUser:
    """One due user a dry run would claim, and what the tick would do with them."""

    user_id: int
    timezone: str
    slot: dt.datetime
    week_start: dt.date
    outcome: str  # "send", "skip: late" or "skip: week already has a row"


@dataclass
class TickResult:
    now: dt.datetime
    claimed: int = 0
    skipped_late: int = 0
    already_had_row: int = 0
    unverified: int = 0
    scheduled: int = 0
    requeued: int = 0
    ended_late: int = 0
    queued_ids: list[int] = field(default_factory=list)
    # Filled by dry runs only, so a real tick keeps no per-user list.
    due: list[DueUser] = field(default_factory=list)

    def as_log(self) -> str:
        return (
            f"claimed={self.claimed} skipped_late={self.skipped_late} "
            f"already_had_row={self.already_had_row} unverified={self.unverified} "
            f"scheduled={self.scheduled} requeued={self.requeued} ended_late={self.ended_late}"
        )


def due_users(now: dt.datetime) -> UserQuerySet:
    return User.objects.get_queryset().filter(reminders_enabled=True, next_reminder_at__lte=now)


def _enqueue(reminder_ids: list[int], publish: Publisher) -> None:
    """Publish the sends of these rows once the surrounding transaction commits (C6).

    What ``delay_on_commit`` does, with one commit hook (and so one broker producer) for
    the whole chunk instead of one of each per message. A failure part-way leaves the rest
    pending; _requeue_stale picks them up (C3).
    """
    if reminder_ids:
        transaction.on_commit(partial(publish, list(reminder_ids)))


def _schedule_missing(now: dt.datetime, result: TickResult, dry_run: bool) -> None:
    """Give users who have reminders on but no next instant one (e.g. created before us)."""
    users = User.objects.filter(reminders_enabled=True, next_reminder_at__isnull=True).only(
        *SCHEDULE_FIELDS
    )
    for user in users.iterator(chunk_size=BATCH_SIZE):
        result.scheduled += 1
        if not dry_run:
            User.objects.filter(pk=user.pk, next_reminder_at__isnull=True).update(
                next_reminder_at=next_reminder_at(user, now)
            )


def _advance_unverified(now: dt.datetime, result: TickResult, dry_run: bool) -> None:
    """Due users without a verified address get no email and no row; move them on (E7)."""
    users = due_users(now).without_verified_email().only(*SCHEDULE_FIELDS)
    moves = [(user, next_reminder_at(user, now)) for user in users]
    result.unverified += len(moves)
    if not dry_run:
        _compare_and_set(moves)


def _compare_and_set(moves: list[tuple[User, dt.datetime | None]]) -> set[int]:
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
    # Keys: (old, new). Due users always have an old value; the type allows None.
    groups: dict[tuple[dt.datetime | None, dt.datetime | None], list[int]] = defaultdict(list)
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


def _claim_batch(now: dt.datetime, result: TickResult, dry_run: bool, publish: Publisher) -> int:
    """Claim up to BATCH_SIZE due users in one transaction; return how many were looked at.

    A fixed number of statements per chunk: the locked select, a compare-and-set UPDATE per
    distinct (old, new) slot pair, the existing-row check, one INSERT and one read-back.
    """
    queryset = (
        due_users(now)
        .with_verified_email()
        .order_by("next_reminder_at", "pk")
        .only(*SCHEDULE_FIELDS)
    )
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            # Parallel dispatchers skip each other's rows instead of waiting on them (C2).
            queryset = queryset.select_for_update(skip_locked=True, of=("self",))
        users = list(queryset[:BATCH_SIZE])
        planned: list[tuple[User, dt.datetime, dt.date, bool]] = []
        moves: list[tuple[User, dt.datetime | None]] = []
        for user in users:
            # The slot of this week whose local time has passed: a missed tick or a stopped
            # beat still yields this week's reminder, never a stale one.
            slot = previous_send_at(
                user.timezone, user.week_start, user.reminder_weekday, user.reminder_time, now
            )
            week = week_key_for_slot(user.timezone, user.week_start, user.reminder_weekday, slot)
            planned.append((user, slot, week, now - slot > SKIP_IF_LATE_BY))
            moves.append((user, next_reminder_at(user, now)))
        if dry_run:
            claims = planned
        else:
            # Compare-and-set: only the dispatcher that read these values moves them on (C2).
            moved = _compare_and_set(moves)
            claims = [claim for claim in planned if claim[0].pk in moved]
        new_ids = _create_rows(claims, now, result, dry_run)
        if not dry_run:
            _enqueue(new_ids, publish)
            result.queued_ids.extend(new_ids)
    return len(users)


def _create_rows(
    claims: list[tuple[User, dt.datetime, dt.date, bool]],
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
        had_row = (user.pk, week) in existing
        if dry_run:
            outcome = (
                "skip: week already has a row" if had_row else "skip: late" if late else "send"
            )
            result.due.append(DueUser(user.pk, user.timezone, slot, week, outcome))
        if had_row:
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


def _requeue_stale(now: dt.datetime, result: TickResult, dry_run: bool, publish: Publisher) -> None:
    """Re-queue rows whose broker message was lost, whose retries ran out, or whose worker
    died (C3, C7); end those past SKIP_IF_LATE_BY instead, with the reason.

    Each reset is a compare-and-set on status and stamp, so a row its task touched since
    we read it stays with that task; the send task's own claim absorbs any duplicate
    message. See REQUEUE_AFTER, retry_requeue_after() and REQUEUE_SENDING_AFTER for when a
    row counts as abandoned.
    """
    stale = (
        Reminder.objects.stale(now - REQUEUE_AFTER)
        | Reminder.objects.filter(
            status=ReminderStatus.SENDING, updated_at__lt=now - REQUEUE_SENDING_AFTER
        )
        | Reminder.objects.filter(
            status=ReminderStatus.PENDING,
            attempts__gt=0,
            updated_at__lt=now - retry_requeue_after(),
        )
    )
    rows = list(
        stale.order_by("pk").values_list(
            "pk", "status", "updated_at", "scheduled_for", "attempts", "error"
        )
    )
    if dry_run:
        result.requeued = len(rows)
        return
    with transaction.atomic():
        ids = []
        for pk, status, updated_at, scheduled_for, attempts, error in rows:
            unchanged = Reminder.objects.filter(pk=pk, status=status, updated_at=updated_at)
            if now - scheduled_for > SKIP_IF_LATE_BY:
                # Only lateness ends a row that failed for now: the outage outlasted the
                # window in which the email is still worth sending.
                if attempts:
                    end = ReminderStatus.FAILED
                    reason = (
                        f"not sent within {SKIP_IF_LATE_BY} of its slot ({attempts} attempts); "
                        f"last error: {error or f'the worker was lost while {status}'}"
                    )
                else:
                    end = ReminderStatus.SKIPPED
                    reason = f"more than {SKIP_IF_LATE_BY} late at {now.isoformat()}, never sent"
                if unchanged.update(status=end, error=reason, updated_at=now):
                    result.ended_late += 1
                continue
            if unchanged.update(status=ReminderStatus.PENDING, updated_at=now):
                ids.append(pk)
        _enqueue(ids, publish)
    result.requeued = len(ids)
    result.queued_ids.extend(ids)


def dispatch(
    now: dt.datetime | None = None, *, publish: Publisher, dry_run: bool = False
) -> TickResult:
    """One tick as if the clock showed ``now``; logs its counts.

    ``publish`` queues the sends of rows that became pending (``tasks.publish_send_batches``);
    it is called after each claim's commit and never in a dry run.
    """
    now = now or timezone.now()
    result = TickResult(now=now)
    _schedule_missing(now, result, dry_run)
    _advance_unverified(now, result, dry_run)
    if dry_run:
        _claim_batch(now, result, dry_run, publish)
    else:
        while _claim_batch(now, result, dry_run, publish) == BATCH_SIZE:
            pass
    _requeue_stale(now, result, dry_run, publish)
    logger.info(
        "reminder dispatch at %s%s: %s",
        now.isoformat(),
        " (dry run)" if dry_run else "",
        result.as_log(),
    )
    return result
