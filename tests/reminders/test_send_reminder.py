"""The send task: claim once (C1), retry temporary SMTP failures (C4), record permanent ones."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.core import mail

from accounts.models import User
from tests.reminders.conftest import make_learner
from tests.reminders.smtp_sink import SmtpSink
from tracker.goals.actions import create_goal
from tracker.goals.models import Metric, Period
from tracker.papers.models import Paper, Status
from tracker.projects.models import Project
from tracker.reminders.content import ContentFlags, content_flags
from tracker.reminders.dispatch import verified_email_exists
from tracker.reminders.models import Reminder, ReminderStatus
from tracker.reminders.tasks import MAX_RETRIES, eligibility_and_flags, send_reminder
from tracker.replications.models import Replication, ReplicationStatus

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 23)


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


# --- The send check: eligibility and content flags in one precompiled statement ----------


def orm_flags(user: User) -> tuple[bool, ContentFlags]:
    """The same answer through the ORM, as the preview computes it."""
    verified = User.objects.filter(pk=user.pk).filter(verified_email_exists()).exists()
    return verified, content_flags(user)


def add_goal(user: User) -> None:
    create_goal(
        user, MONDAY, metric=Metric.PAPERS_READ, period=Period.WEEKLY, target=2, start_date=MONDAY
    )


def add_queued_paper(user: User) -> None:
    Paper.objects.create(owner=user, title="Queued", added_on=MONDAY, status=Status.TO_READ)


def add_replication(user: User) -> None:
    paper = Paper.objects.create(owner=user, title="Replicated", added_on=MONDAY, status="read")
    Replication.objects.create(owner=user, paper=paper, status=ReplicationStatus.IN_PROGRESS)


def add_project(user: User) -> None:
    Project.objects.create(owner=user, title="A project")


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        ([], ContentFlags(False, False, False, False)),
        ([add_goal], ContentFlags(True, False, False, False)),
        ([add_queued_paper], ContentFlags(False, True, False, True)),
        ([add_replication], ContentFlags(False, False, True, True)),
        ([add_project], ContentFlags(False, False, False, True)),
        (
            [add_goal, add_queued_paper, add_replication, add_project],
            ContentFlags(True, True, True, True),
        ),
    ],
)
def test_send_check_finds_exactly_the_sections_with_content(
    build: list[Callable[[User], None]], expected: ContentFlags
) -> None:
    user = make_learner()
    busy = make_learner()  # someone else's data never counts
    for add in (add_goal, add_queued_paper, add_replication, add_project):
        add(busy)
    for add in build:
        add(user)
    assert eligibility_and_flags(user.pk) == (True, expected)
    assert eligibility_and_flags(user.pk) == orm_flags(user)


def test_send_check_sees_an_unverified_address() -> None:
    user = make_learner(verified=False)
    assert eligibility_and_flags(user.pk) == (False, ContentFlags(False, False, False, False))
    assert eligibility_and_flags(user.pk) == orm_flags(user)


def test_send_check_of_a_deleted_user_is_not_eligible() -> None:
    assert eligibility_and_flags(987654) == (False, ContentFlags(False, False, False, False))


def test_a_send_costs_four_queries(django_assert_num_queries: object) -> None:
    reminder = pending_reminder()
    # Claim, row with its user, the send check, mark sent: no query per section.
    with django_assert_num_queries(4):  # type: ignore[operator]
        assert send_reminder(reminder.pk) == "sent"
