"""Celery tasks for the weekly reminder. Arguments are ids; every task is safe to run twice."""

from __future__ import annotations

import atexit
import functools
import logging
import smtplib
import threading
import time
from typing import Any

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.db import connection
from django.db.models import F
from django.utils import timezone

from tracker.reminders.content import ContentFlags, flag_annotations, flags_from
from tracker.reminders.dispatch import verified_email_exists
from tracker.reminders.models import Reminder, ReminderStatus

logger = logging.getLogger(__name__)

MAX_RETRIES = 6
# A kept connection idle longer than this is replaced before use: relays drop idle
# clients (often after 10-60 s), and a send on a dropped connection would cost a retry.
SMTP_IDLE_REUSE = 5.0

_local = threading.local()


def _close_quietly(mailer: Any) -> None:
    try:
        mailer.close()
    except Exception:  # the connection is being thrown away either way
        logger.debug("closing the reminders SMTP connection failed", exc_info=True)


def _close_kept_mailer() -> None:
    kept = getattr(_local, "mailer", None)
    _local.mailer = None
    if kept is not None:
        _close_quietly(kept[1])


atexit.register(_close_kept_mailer)


def send_with_kept_connection(message: EmailMessage) -> None:
    """Send through the "reminders" mailer, keeping its SMTP connection for the next send.

    Opening a connection (TCP, EHLO, maybe STARTTLS and AUTH) per message costs more than
    the message during a fan-out; each worker process (thread) keeps one. The connection
    is replaced when the MAILERS setting changed, after SMTP_IDLE_REUSE seconds idle, and
    after any error, so a failed send never leaves a half-used connection behind.
    """
    config = repr(settings.MAILERS.get("reminders"))
    kept = getattr(_local, "mailer", None)
    mailer = None
    if kept is not None:
        kept_config, kept_mailer, last_used = kept
        if kept_config == config and time.monotonic() - last_used < SMTP_IDLE_REUSE:
            mailer = kept_mailer
        else:
            _close_quietly(kept_mailer)
    _local.mailer = None
    if mailer is None:
        mailer = mailers["reminders"]
    try:
        mailer.open()  # opened here, send_messages() leaves it open
        mailer.send_messages([message])
    except BaseException:
        _close_quietly(mailer)
        raise
    _local.mailer = (config, mailer, time.monotonic())


# A primary key no row has: the placeholder the send check is compiled with.
PLACEHOLDER_PK = -1


@functools.cache
def _send_check_statement(alias: str) -> tuple[str, tuple[Any, ...], int]:
    """SQL for one user's E7 eligibility and content flags, compiled once per process.

    The ORM spent 1.1 ms compiling its eight EXISTS subqueries and 3 ms running the query
    against 0.9 ms for the same SQL run directly: a quarter of a whole send. So the query
    is built by the ORM (one source of truth: flag_annotations) for a placeholder user id,
    and each call fills that parameter's slot. Returns (sql, params, slot).
    """
    queryset = (
        get_user_model()
        .objects.filter(pk=PLACEHOLDER_PK)
        .values(eligible=verified_email_exists(), **flag_annotations())
    )
    sql, params = queryset.query.get_compiler(using=alias).as_sql()
    slots = [i for i, p in enumerate(params) if type(p) is int and p == PLACEHOLDER_PK]
    if len(slots) != 1:  # the compiled shape changed under us; never guess
        raise RuntimeError(f"send check: expected one user id parameter, found {len(slots)}")
    return sql, tuple(params), slots[0]


def eligibility_and_flags(user_id: int) -> tuple[bool, ContentFlags]:
    """(has a primary verified address (E7), which email sections have content): one query."""
    sql, params, slot = _send_check_statement(connection.alias)
    values = list(params)
    values[slot] = user_id
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
        names = [column[0] for column in cursor.description]
    if row is None:
        return False, flags_from({})
    found = dict(zip(names, row, strict=True))
    return bool(found["eligible"]), flags_from(found)


class TransientSendError(Exception):
    """The mail server could not take the message now (connection, 4xx); try again later."""


def classify_smtp_error(exc: Exception) -> tuple[bool, str]:
    """(permanent?, reason) for an exception raised while handing a message to SMTP.

    5xx replies are permanent (the address or the message is refused); 4xx replies,
    dropped connections and socket errors are temporary.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        reason = "; ".join(
            f"{addr}: {code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
            for addr, (code, msg) in exc.recipients.items()
        )
        return bool(codes) and all(code >= 500 for code in codes), reason
    if isinstance(exc, smtplib.SMTPResponseException) and not isinstance(
        exc, smtplib.SMTPConnectError
    ):
        message = exc.smtp_error
        text = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
        return exc.smtp_code >= 500, f"{exc.smtp_code} {text}"
    return False, f"{type(exc).__name__}: {exc}"


@shared_task(
    bind=True,
    ignore_result=True,  # the Reminder row is the result
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(TransientSendError, ConnectionError, smtplib.SMTPServerDisconnected),
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
    time_limit=90,
    soft_time_limit=75,
)
def send_reminder(self: object, reminder_id: int) -> str:
    """Send the weekly reminder for one Reminder row, at most once.

    Claim the row with a compare-and-set pending -> sending so a duplicate message, a
    retry racing a re-queue, or a redelivery after a worker crash finds nothing to do.
    """
    from tracker.reminders.emails import weekly_reminder_email

    claimed = Reminder.objects.filter(pk=reminder_id, status=ReminderStatus.PENDING).update(
        status=ReminderStatus.SENDING, attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    if not claimed:
        status = Reminder.objects.filter(pk=reminder_id).values_list("status", flat=True).first()
        if status is None:
            logger.warning("reminder %s is gone; nothing to send", reminder_id)
            return "missing"
        logger.info("reminder %s is %s; not sending again", reminder_id, status)
        return str(status)

    try:
        reminder = Reminder.objects.select_related("user").get(pk=reminder_id)
    except Reminder.DoesNotExist:
        logger.warning("reminder %s was deleted while being sent; nothing to send", reminder_id)
        return "missing"
    eligible, flags = eligibility_and_flags(reminder.user_id)
    if not (eligible and reminder.user.reminders_enabled):
        # Unsubscribed or unverified since the claim: takes effect before sending (E6, E7).
        Reminder.objects.filter(pk=reminder_id, status=ReminderStatus.SENDING).update(
            status=ReminderStatus.SKIPPED,
            error="reminders off or email unverified at send time",
            updated_at=timezone.now(),
        )
        return "skipped"

    message = weekly_reminder_email(reminder.user, reminder=reminder, flags=flags)
    try:
        send_with_kept_connection(message)
    except (smtplib.SMTPException, OSError) as exc:
        permanent, reason = classify_smtp_error(exc)
        retries = self.request.retries  # type: ignore[attr-defined]
        if permanent or retries >= MAX_RETRIES:
            Reminder.objects.filter(pk=reminder_id, status=ReminderStatus.SENDING).update(
                status=ReminderStatus.FAILED,
                error=reason if permanent else f"gave up after {retries + 1} attempts: {reason}",
                updated_at=timezone.now(),
            )
            logger.warning("reminder %s failed: %s", reminder_id, reason)
            return "failed"
        # Hand the row back so a retry (or the dispatcher's re-queue) can claim it again.
        Reminder.objects.filter(pk=reminder_id, status=ReminderStatus.SENDING).update(
            status=ReminderStatus.PENDING, error=reason, updated_at=timezone.now()
        )
        logger.info("reminder %s: temporary failure (%s); retrying", reminder_id, reason)
        raise TransientSendError(reason) from exc

    Reminder.objects.filter(pk=reminder_id, status=ReminderStatus.SENDING).update(
        status=ReminderStatus.SENT,
        sent_at=timezone.now(),
        updated_at=timezone.now(),
        message_id=message.extra_headers["Message-ID"],
        error="",
    )
    return "sent"


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
    from tracker.reminders.emails import weekly_reminder_email

    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        logger.warning("test reminder: user %s is gone", user_id)
        return "missing"
    verified, flags = eligibility_and_flags(user_id)
    if not verified:
        logger.info("test reminder: user %s has no verified address", user_id)
        return "unverified"
    message = weekly_reminder_email(user, test=True, flags=flags)
    try:
        send_with_kept_connection(message)
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
    import datetime as dt

    from tracker.reminders.dispatch import dispatch

    result = dispatch(dt.datetime.fromisoformat(now) if now else None)
    return {
        "claimed": result.claimed,
        "skipped_late": result.skipped_late,
        "requeued": result.requeued,
    }
