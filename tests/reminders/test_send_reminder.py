"""The send task: claim once (C1), retry temporary SMTP failures (C4), record permanent ones."""

import datetime as dt

import pytest
from django.core import mail

from accounts.models import User
from tests.reminders.conftest import make_learner
from tests.reminders.smtp_sink import SmtpSink
from tracker.reminders.models import Reminder, ReminderStatus
from tracker.reminders.tasks import MAX_RETRIES, send_reminder

pytestmark = pytest.mark.django_db


def pending_reminder(**user_fields: object) -> Reminder:
    user = make_learner(**user_fields)
    return Reminder.objects.create(
        user=user,
        week_start=dt.date(2026, 11, 23),
        scheduled_for=dt.datetime(2026, 11, 23, 8, tzinfo=dt.UTC),
    )


def test_sending_twice_sends_one_email() -> None:
    reminder = pending_reminder()
    assert send_reminder(reminder.pk) == "sent"
    assert send_reminder(reminder.pk) == "sent"  # reports the row's state, sends nothing
    assert len(mail.outbox) == 1
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENT
    assert reminder.attempts == 1
    assert reminder.sent_at is not None
    assert reminder.message_id == mail.outbox[0].extra_headers["Message-ID"]


def test_duplicate_queue_messages_send_one_email(eager_celery: None) -> None:
    reminder = pending_reminder()
    for _ in range(3):
        send_reminder.delay(reminder.pk)
    assert len(mail.outbox) == 1


def test_missing_row_is_logged_and_ignored() -> None:
    assert send_reminder(987654) == "missing"
    assert not mail.outbox


def test_transient_smtp_error_then_success_sends_one_email(
    smtp_sink: SmtpSink, eager_celery: None
) -> None:
    reminder = pending_reminder(email="retry@example.com")
    smtp_sink.replies.append("451 4.3.0 Mailbox busy, try again later")
    result = send_reminder.apply(args=[reminder.pk], throw=False)
    assert result.get() == "sent"
    assert len(smtp_sink.to("retry@example.com")) == 1
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENT
    assert reminder.attempts == 2


def test_permanent_smtp_rejection_is_recorded_as_failed_and_not_retried(
    smtp_sink: SmtpSink, eager_celery: None
) -> None:
    reminder = pending_reminder()
    smtp_sink.replies.extend(["550 5.1.1 No such user here", "250 should never be reached"])
    assert send_reminder.apply(args=[reminder.pk], throw=False).get() == "failed"
    assert smtp_sink.count == 0
    assert len(smtp_sink.replies) == 1  # no second attempt reached the server
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.FAILED
    assert reminder.attempts == 1
    assert "550" in reminder.error
    assert "No such user" in reminder.error


def test_temporary_failures_give_up_after_max_retries_and_say_so(
    smtp_sink: SmtpSink, eager_celery: None
) -> None:
    reminder = pending_reminder()
    smtp_sink.replies.extend(["421 4.7.0 Try again later"] * (MAX_RETRIES + 1))
    assert send_reminder.apply(args=[reminder.pk], throw=False).get() == "failed"
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.FAILED
    assert reminder.attempts == MAX_RETRIES + 1
    assert reminder.error.startswith(f"gave up after {MAX_RETRIES + 1} attempts")
    assert smtp_sink.count == 0


def test_unreachable_server_is_a_temporary_failure(settings: object) -> None:
    from tests.reminders.smtp_sink import free_port

    settings.MAILERS = {  # type: ignore[attr-defined]
        **settings.MAILERS,  # type: ignore[attr-defined]
        "reminders": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        },
    }
    reminder = pending_reminder()
    from celery.exceptions import Retry

    from tracker.reminders.tasks import TransientSendError

    with pytest.raises((TransientSendError, Retry)):
        send_reminder(reminder.pk)
    reminder.refresh_from_db()
    # Handed back for a retry or the next tick's re-queue, with the reason kept.
    assert reminder.status == ReminderStatus.PENDING
    assert "Connection" in reminder.error or "refused" in reminder.error.lower()


def test_user_who_unsubscribed_after_the_claim_gets_nothing() -> None:
    reminder = pending_reminder()
    User.objects.filter(pk=reminder.user_id).update(reminders_enabled=False)
    assert send_reminder(reminder.pk) == "skipped"
    assert not mail.outbox
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SKIPPED


def test_user_whose_address_is_no_longer_verified_gets_nothing() -> None:
    from allauth.account.models import EmailAddress

    reminder = pending_reminder()
    EmailAddress.objects.filter(user_id=reminder.user_id).update(verified=False)
    assert send_reminder(reminder.pk) == "skipped"
    assert not mail.outbox


def test_consecutive_sends_share_one_smtp_connection(smtp_sink: SmtpSink) -> None:
    from tracker.reminders import tasks

    first = pending_reminder(email="first@example.com")
    second = pending_reminder(email="second@example.com")
    assert send_reminder(first.pk) == "sent"
    connection = tasks._local.mailer[1].connection
    assert connection is not None
    assert send_reminder(second.pk) == "sent"
    assert tasks._local.mailer[1].connection is connection
    assert smtp_sink.count == 2


def test_a_refused_send_drops_the_kept_connection(smtp_sink: SmtpSink) -> None:
    from tracker.reminders import tasks

    assert send_reminder(pending_reminder(email="ok@example.com").pk) == "sent"
    smtp_sink.replies.append("550 5.1.1 No such user")
    assert send_reminder(pending_reminder(email="gone@example.com").pk) == "failed"
    assert tasks._local.mailer is None
    assert send_reminder(pending_reminder(email="next@example.com").pk) == "sent"
    assert smtp_sink.count == 2
