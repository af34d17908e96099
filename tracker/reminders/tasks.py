"""Celery tasks for the weekly reminder. Arguments are ids; every task is safe to run twice."""

from __future__ import annotations

import datetime as dt
import logging
import random
import smtplib
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User, has_verified_email
from tracker.reminders.content import ContentFlags, flag_annotations, flags_from
from tracker.reminders.dispatch import (
    MAX_RETRIES,
    PUBLISH_BATCH,
    SEND_BATCH,
    SEND_HEARTBEAT,
    SEND_TIME_LIMIT,
    SKIP_IF_LATE_BY,
    dispatch,
    retry_backoff,
)
from tracker.reminders.emails import weekly_reminder_email
from tracker.reminders.models import Reminder, ReminderStatus
from tracker.reminders.sending import (
    BatchConnection,
    TransientSendError,
    classify_smtp_error,
    server_unavailable,
)

logger = logging.getLogger(__name__)

# Temporary failures retry on a ladder with a floor on each step (dispatch.RETRY_BACKOFF):
# full jitter once drew 0, 1, 2, 3 s and spent seven attempts in 26 s of a 60 s outage. With
# the defaults (30 s, 300 s) the 8 retries span 14 to 27 minutes; a longer outage leaves the
# rows pending for the dispatcher to queue again, until sent or past SKIP_IF_LATE_BY (C4).


def eligibility_and_flags(user_ids: Iterable[int]) -> dict[int, tuple[bool, ContentFlags]]:
    """Per user: (has a primary verified address (E7), which email sections have content).

    One query for any number of users; a user who is gone is absent from the answer.
    """
    rows = User.objects.filter(pk__in=set(user_ids)).values(
        "pk", eligible=has_verified_email(), **flag_annotations()
    )
    return {row["pk"]: (bool(row["eligible"]), flags_from(row)) for row in rows}


def retry_countdown(retries: int) -> float:
    """Seconds before retry number ``retries`` (0 for the first): equal jitter, with a floor."""
    base, cap = retry_backoff()
    step = min(cap, base * 2 ** min(retries, 32))
    return random.uniform(step / 2, step)


def _claim(reminder_ids: list[int], outcome: Counter[str]) -> tuple[list[Reminder], dt.datetime]:
    """Move the pending rows among ``reminder_ids`` to sending; return them with their users,
    and the ``updated_at`` stamp they were claimed with (see :func:`_heartbeat`).

    Read and updated in one transaction that holds them: on PostgreSQL the rows are locked
    FOR UPDATE SKIP LOCKED (a row another worker is claiming right now is theirs), on SQLite
    the IMMEDIATE transaction holds the write lock. So the compare-and-set UPDATE matches
    exactly the rows read, and no row is claimed by two tasks (C1, C2).
    """
    queryset = (
        Reminder.objects.filter(pk__in=reminder_ids, status=ReminderStatus.PENDING)
        .select_related("user")
        .order_by("pk")
    )
    stamp = timezone.now()
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            queryset = queryset.select_for_update(skip_locked=True, of=("self",))
        rows = list(queryset)
        claimed = Reminder.objects.filter(
            pk__in=[row.pk for row in rows], status=ReminderStatus.PENDING
        ).update(status=ReminderStatus.SENDING, attempts=F("attempts") + 1, updated_at=stamp)
        if claimed != len(rows):  # the rows are held: only broken locking gets here
            raise RuntimeError(f"claimed {claimed} of {len(rows)} locked reminder rows")
    for row in rows:
        row.attempts += 1
    unclaimed = set(reminder_ids) - {row.pk for row in rows}
    if unclaimed:
        # A duplicate message, the retry of a partly sent batch, or a deleted user.
        found = dict(Reminder.objects.filter(pk__in=unclaimed).values_list("pk", "status"))
        for pk in sorted(unclaimed):
            if pk in found:
                logger.info("reminder %s is %s; not sending again", pk, found[pk])
            else:
                logger.warning("reminder %s is gone; nothing to send", pk)
        outcome.update(not_pending=len(found), missing=len(unclaimed) - len(found))
    return rows, stamp


def _heartbeat(pks: list[int], stamp: dt.datetime) -> tuple[set[int], dt.datetime]:
    """Re-stamp the rows this task still holds; return those ids and the new stamp.

    The dispatcher takes back a ``sending`` row whose stamp is older than
    REQUEUE_SENDING_AFTER (C7). Under the prefork pool the task's hard time limit alone
    makes that safe, since the stamp is never older than the task; pools that enforce no
    time limit (threads, solo) rely on this refresh. It is a compare-and-set on the stamp
    we wrote: a row that no longer carries it was taken back (and maybe claimed by another
    task), so it is no longer ours to send.
    """
    if not pks:
        return set(), stamp
    new_stamp = timezone.now()
    moved = Reminder.objects.filter(
        pk__in=pks, status=ReminderStatus.SENDING, updated_at=stamp
    ).update(updated_at=new_stamp)
    if moved == len(pks):
        return set(pks), new_stamp
    held = set(
        Reminder.objects.filter(
            pk__in=pks, status=ReminderStatus.SENDING, updated_at=new_stamp
        ).values_list("pk", flat=True)
    )
    return held, new_stamp


def _late(reminder: Reminder, now: dt.datetime) -> bool:
    return now - reminder.scheduled_for > SKIP_IF_LATE_BY


def _leave_sending(pks: list[int], status: ReminderStatus, error: str) -> None:
    """Move claimed rows on from sending (compare-and-set: only rows still sending move)."""
    if pks:
        Reminder.objects.filter(pk__in=pks, status=ReminderStatus.SENDING).update(
            status=status, error=error, updated_at=timezone.now()
        )


def publish_send_batches(reminder_ids: list[int]) -> None:
    """Queue one send_reminder_batch task per SEND_BATCH of ``reminder_ids``.

    The dispatcher's publisher: it calls this once the transaction that made the rows
    pending has committed (C6).
    """
    # A failure part-way leaves the rest pending; the dispatcher re-queues them (C3).
    # producer.batch(): on Redis, the messages go out in pipelined round trips instead of
    # one client and one round trip each; transports without batching publish each at once.
    task = send_reminder_batch
    with task.app.producer_or_acquire() as producer, producer.batch(PUBLISH_BATCH):
        for start in range(0, len(reminder_ids), SEND_BATCH):
            chunk = reminder_ids[start : start + SEND_BATCH]
            task.apply_async((chunk,), producer=producer)


# Shared by the batch task and its old name, which must behave exactly alike.
SEND_BATCH_OPTIONS: dict[str, Any] = {
    "bind": True,
    "ignore_result": True,  # the Reminder rows are the result
    "acks_late": True,
    "reject_on_worker_lost": True,
    "max_retries": MAX_RETRIES,  # retried by hand in _hand_back: retry_countdown() keeps a floor
    "time_limit": SEND_TIME_LIMIT,  # dispatch.REQUEUE_SENDING_AFTER is derived from it (C7)
    "soft_time_limit": SEND_TIME_LIMIT - 15,
}


@shared_task(**SEND_BATCH_OPTIONS)
def send_reminder_batch(self: Any, reminder_ids: list[int]) -> dict[str, int]:
    """Send the weekly reminder of each Reminder row in ``reminder_ids``, each at most once.

    The dispatcher queues one task per SEND_BATCH rows rather than one per row: Celery's
    own receive, hand-off and ack cost about as much CPU per message as building and
    sending the email. Each row is still claimed by compare-and-set (pending -> sending),
    marked sent as soon as the server accepted its message, and failed, skipped or handed
    back on its own, so a duplicate message, a retry or a redelivery after a crash sends
    nothing twice.

    Temporary failures (connection refused or dropped, time-outs, 4xx) never fail a row
    while it is within SKIP_IF_LATE_BY of its slot: its row goes back to pending and the
    task retries with a floored backoff (C4); once the retries are used up the rows stay
    pending and the dispatcher queues them again (C3). Only a permanent 5xx, an email that
    cannot be built, or the lateness limit end a row as failed, with the reason. Rows
    already sent are not claimed again by a retry. Returns how rows ended.
    """
    return _send_batch(self, reminder_ids)


@shared_task(name="tracker.reminders.tasks.send_reminders", **SEND_BATCH_OPTIONS)
def send_reminders_old_name(self: Any, reminder_ids: list[int]) -> dict[str, int]:
    """The old name of send_reminder_batch, kept for messages queued before the rename.

    Remove once no queue holds such messages (a deploy plus the longest retry ladder).
    Runs with its own task as ``self``, so its retries are queued under this name.
    """
    return _send_batch(self, reminder_ids)


def _send_batch(task: Any, reminder_ids: list[int]) -> dict[str, int]:
    outcome: Counter[str] = Counter()
    rows, stamp = _claim(list(reminder_ids), outcome)
    checks = eligibility_and_flags(row.user_id for row in rows) if rows else {}
    to_send: list[Reminder] = []
    off: list[Reminder] = []
    for row in rows:
        eligible = checks.get(row.user_id, (False, None))[0]
        (to_send if eligible and row.user.reminders_enabled else off).append(row)
    # Unsubscribed or unverified since the dispatch: takes effect before sending (E6, E7).
    _leave_sending(
        [row.pk for row in off],
        ReminderStatus.SKIPPED,
        "reminders off or email unverified at send time",
    )
    if off:
        outcome["skipped"] = len(off)

    held = {row.pk for row in to_send}
    beat_at = time.monotonic()
    handed_back: list[tuple[Reminder, str]] = []
    with BatchConnection() as smtp:
        for position, reminder in enumerate(to_send):
            if time.monotonic() - beat_at >= SEND_HEARTBEAT:
                held, stamp = _heartbeat([row.pk for row in to_send[position:]], stamp)
                beat_at = time.monotonic()
            if reminder.pk not in held:
                # The dispatcher took it back after a stall longer than REQUEUE_SENDING_AFTER;
                # whoever holds it now sends it.
                logger.warning("reminder %s was taken back while this task stalled", reminder.pk)
                outcome["taken_back"] += 1
                continue
            try:
                message = weekly_reminder_email(
                    reminder.user, reminder=reminder, flags=checks[reminder.user_id][1]
                )
                smtp.send(message)
            except SoftTimeLimitExceeded:
                handed_back += [
                    (row, "the task ran out of time")
                    for row in to_send[position:]
                    if row.pk in held
                ]
                break
            except (smtplib.SMTPException, OSError) as exc:
                permanent, reason = classify_smtp_error(exc)
                if permanent:
                    _leave_sending([reminder.pk], ReminderStatus.FAILED, reason)
                    logger.warning("reminder %s failed: %s", reminder.pk, reason)
                    outcome["failed"] += 1
                elif server_unavailable(exc):
                    handed_back += [(row, reason) for row in to_send[position:] if row.pk in held]
                    break
                else:
                    handed_back.append((reminder, reason))
                continue
            except DatabaseError:
                raise  # the rows stay sending; the dispatcher re-queues them (C3)
            except Exception as exc:
                # One user's email that cannot be built must not hold up the rest of the batch.
                logger.exception("reminder %s: the email could not be built", reminder.pk)
                _leave_sending([reminder.pk], ReminderStatus.FAILED, f"email not built: {exc!r}")
                outcome["failed"] += 1
                continue
            # Marked sent right after its own acceptance, one row at a time. A worker killed
            # between the server's 250 and this UPDATE leaves the row sending although the
            # message went out; it is sent again after the re-queue, with the same Message-ID.
            # That gap (one UPDATE round trip per row) is the residual duplicate window (C7).
            Reminder.objects.filter(pk=reminder.pk, status=ReminderStatus.SENDING).update(
                status=ReminderStatus.SENT,
                sent_at=timezone.now(),
                updated_at=timezone.now(),
                message_id=message.extra_headers["Message-ID"],
                error="",
            )
            outcome["sent"] += 1

    if handed_back:
        _hand_back(task, handed_back, outcome)
    return {name: count for name, count in outcome.items() if count}


def _hand_back(task: Any, handed_back: list[tuple[Reminder, str]], outcome: Counter[str]) -> None:
    """End the rows that could not be sent for now: pending again, or failed when late.

    Pending rows are retried by this task with backoff while retries remain; after that
    they stay pending and the dispatcher queues them again (RETRY_REQUEUE_AFTER), so an
    outage of any length within the lateness window loses nothing. A row more than
    SKIP_IF_LATE_BY past its slot fails with the last temporary reason.
    """
    now = timezone.now()
    out_of_retries = task.request.retries >= MAX_RETRIES
    ends: dict[tuple[ReminderStatus, str], list[int]] = defaultdict(list)
    for row, reason in handed_back:
        if _late(row, now):
            error = (
                f"not sent within {SKIP_IF_LATE_BY} of its slot "
                f"({row.attempts} attempts); last error: {reason}"
            )
            ends[(ReminderStatus.FAILED, error)].append(row.pk)
        elif out_of_retries:
            error = f"{reason} (retries used up after {row.attempts} attempts; queued again)"
            ends[(ReminderStatus.PENDING, error)].append(row.pk)
        else:
            ends[(ReminderStatus.PENDING, reason)].append(row.pk)
    for (status, error), pks in ends.items():
        _leave_sending(pks, status, error)
    failed = [error for (status, error) in ends if status == ReminderStatus.FAILED]
    if failed:
        count = sum(
            len(pks) for (status, _), pks in ends.items() if status == ReminderStatus.FAILED
        )
        logger.warning("%d reminder(s) failed: %s", count, failed)
        outcome["failed"] += count
    pending = {
        error: pks for (status, error), pks in ends.items() if status == ReminderStatus.PENDING
    }
    if not pending:
        return
    count = sum(len(pks) for pks in pending.values())
    if out_of_retries:
        logger.warning("%d reminder(s) handed back to the dispatcher: %s", count, list(pending))
        outcome["handed_back"] += count
        return
    countdown = retry_countdown(task.request.retries)
    logger.info(
        "%d reminder(s) not sent now: %s; retrying in %.0fs", count, list(pending), countdown
    )
    raise task.retry(exc=TransientSendError("; ".join(pending)), countdown=countdown)


@shared_task(
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(TransientSendError, ConnectionError, smtplib.SMTPServerDisconnected),
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=3,
    time_limit=90,
    soft_time_limit=75,
)
def send_test_reminder(user_id: int) -> str:
    """Send this week's email to the user now, marked as a test; no Reminder row."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        logger.warning("test reminder: user %s is gone", user_id)
        return "missing"
    check = eligibility_and_flags([user_id]).get(user_id)
    if check is None or not check[0]:
        logger.info("test reminder: user %s has no verified address", user_id)
        return "unverified"
    message = weekly_reminder_email(user, test=True, flags=check[1])
    try:
        with BatchConnection() as smtp:
            smtp.send(message)
    except (smtplib.SMTPException, OSError) as exc:
        permanent, reason = classify_smtp_error(exc)
        if permanent:
            logger.warning("test reminder for user %s refused: %s", user_id, reason)
            return "failed"
        raise TransientSendError(reason) from exc
    return "sent"


@shared_task(ignore_result=True, acks_late=True, time_limit=240, soft_time_limit=220)
def dispatch_reminders(now: str | None = None) -> dict[str, int]:
    """The beat task (every 5 minutes): claim due users and queue their sends."""
    result = dispatch(dt.datetime.fromisoformat(now) if now else None, publish=publish_send_batches)
    return {
        "claimed": result.claimed,
        "skipped_late": result.skipped_late,
        "requeued": result.requeued,
        "ended_late": result.ended_late,
    }
