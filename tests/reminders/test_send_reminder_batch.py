"""The send task: claim each row once (C1), retry temporary SMTP failures (C4), record permanent
ones; a batch of rows ends row by row."""

import datetime as dt
from collections import Counter
from collections.abc import Callable

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from tests.reminders.conftest import make_learner
from tests.reminders.smtp_sink import SmtpSink
from tracker.goals.actions import create_goal
from tracker.goals.models import Metric, Period
from tracker.papers.models import Paper, Status
from tracker.projects.models import Project
from tracker.reminders.content import ContentFlags, content_flags
from tracker.reminders.models import Reminder, ReminderStatus
from tracker.reminders.tasks import MAX_RETRIES, eligibility_and_flags, send_reminder_batch
from tracker.replications.models import Replication, ReplicationStatus

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 23)


def pending_reminder(
    *, late_by: dt.timedelta = dt.timedelta(hours=1), **user_fields: object
) -> Reminder:
    """A pending row whose slot was ``late_by`` ago on the real clock (the send task checks
    lateness against it)."""
    user = make_learner(**user_fields)
    return Reminder.objects.create(
        user=user,
        week_start=dt.date(2026, 11, 23),
        scheduled_for=timezone.now() - late_by,
    )


def test_sending_twice_sends_one_email() -> None:
    reminder = pending_reminder()
    assert send_reminder_batch([reminder.pk]) == {"sent": 1}
    assert send_reminder_batch([reminder.pk]) == {"not_pending": 1}  # sends nothing
    assert len(mail.outbox) == 1
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENT
    assert reminder.attempts == 1
    assert reminder.sent_at is not None
    assert reminder.message_id == mail.outbox[0].extra_headers["Message-ID"]


def test_duplicate_queue_messages_send_one_email(eager_celery: None) -> None:
    reminder = pending_reminder()
    for _ in range(3):
        send_reminder_batch.delay([reminder.pk])
    assert len(mail.outbox) == 1


def test_messages_queued_under_the_old_task_name_still_send_once() -> None:
    from tracker.celery import app

    old = app.tasks["tracker.reminders.tasks.send_reminders"]
    reminder = pending_reminder()
    assert old([reminder.pk]) == {"sent": 1}
    assert send_reminder_batch([reminder.pk]) == {"not_pending": 1}
    assert len(mail.outbox) == 1
    assert (old.max_retries, old.time_limit, old.acks_late) == (
        send_reminder_batch.max_retries,
        send_reminder_batch.time_limit,
        send_reminder_batch.acks_late,
    )


def test_a_row_listed_twice_is_sent_once() -> None:
    reminder = pending_reminder()
    assert send_reminder_batch([reminder.pk, reminder.pk]) == {"sent": 1}
    assert len(mail.outbox) == 1


def test_missing_row_is_logged_and_ignored() -> None:
    reminder = pending_reminder()
    assert send_reminder_batch([987654, reminder.pk]) == {"missing": 1, "sent": 1}
    assert len(mail.outbox) == 1


def test_a_batch_sends_each_row_once_in_its_own_email() -> None:
    reminders = [pending_reminder(email=f"batch{i}@example.com") for i in range(5)]
    assert send_reminder_batch([r.pk for r in reminders]) == {"sent": 5}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.user.email for r in reminders)
    ids = {m.extra_headers["Message-ID"] for m in mail.outbox}
    assert ids == set(Reminder.objects.values_list("message_id", flat=True))
    assert len(ids) == 5


def test_transient_smtp_error_then_success_sends_one_email(
    smtp_sink: SmtpSink, eager_celery: None
) -> None:
    reminder = pending_reminder(email="retry@example.com")
    smtp_sink.replies.append("451 4.3.0 Mailbox busy, try again later")
    result = send_reminder_batch.apply(args=[[reminder.pk]], throw=False)
    assert result.get() == {"sent": 1}
    assert len(smtp_sink.to("retry@example.com")) == 1
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENT
    assert reminder.attempts == 2


def test_a_message_refused_for_now_does_not_hold_up_the_rest_of_the_batch(
    smtp_sink: SmtpSink, eager_celery: None
) -> None:
    first, second, third = (pending_reminder(email=f"r{i}@example.com") for i in range(3))
    smtp_sink.replies.append("452 4.2.2 Mailbox full, try later")  # the first DATA only
    result = send_reminder_batch.apply(args=[[first.pk, second.pk, third.pk]], throw=False)
    # The retry finds the other two already sent and claims only the first again.
    assert result.get() == {"sent": 1, "not_pending": 2}
    assert Counter(m["To"] for m in smtp_sink.messages) == {
        "r0@example.com": 1,
        "r1@example.com": 1,
        "r2@example.com": 1,
    }
    assert [m["To"] for m in smtp_sink.messages][-1] == "r0@example.com"  # sent after the rest
    attempts = dict(Reminder.objects.values_list("user__email", "attempts"))
    assert attempts == {"r0@example.com": 2, "r1@example.com": 1, "r2@example.com": 1}


def test_server_going_away_mid_batch_hands_the_rest_back_and_retries_them(
    smtp_sink: SmtpSink, eager_celery: None
) -> None:
    reminders = [pending_reminder(email=f"r{i}@example.com") for i in range(4)]
    smtp_sink.replies.append("421 4.3.2 Service shutting down")
    result = send_reminder_batch.apply(args=[[r.pk for r in reminders]], throw=False)
    assert result.get() == {"sent": 4}
    assert smtp_sink.count == 4
    assert Counter(m["To"] for m in smtp_sink.messages) == {r.user.email: 1 for r in reminders}
    # Nothing after the 421 was tried in the first run: every row took two attempts.
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {2}


def test_permanent_smtp_rejection_is_recorded_as_failed_and_not_retried(
    smtp_sink: SmtpSink, eager_celery: None
) -> None:
    reminder = pending_reminder()
    smtp_sink.replies.extend(["550 5.1.1 No such user here", "250 should never be reached"])
    assert send_reminder_batch.apply(args=[[reminder.pk]], throw=False).get() == {"failed": 1}
    assert smtp_sink.count == 0
    assert len(smtp_sink.replies) == 1  # no second attempt reached the server
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.FAILED
    assert reminder.attempts == 1
    assert "550" in reminder.error
    assert "No such user" in reminder.error


def test_a_permanent_rejection_fails_only_its_own_row(
    smtp_sink: SmtpSink, eager_celery: None
) -> None:
    gone, ok = pending_reminder(email="gone@example.com"), pending_reminder(email="ok@example.com")
    smtp_sink.replies.append("550 5.1.1 No such user here")
    result = send_reminder_batch.apply(args=[[gone.pk, ok.pk]], throw=False)
    assert result.get() == {"failed": 1, "sent": 1}
    assert [m["To"] for m in smtp_sink.messages] == ["ok@example.com"]
    statuses = dict(Reminder.objects.values_list("user__email", "status"))
    assert statuses == {"gone@example.com": "failed", "ok@example.com": "sent"}


def test_temporary_failures_outlasting_the_retries_hand_the_row_back_to_the_dispatcher(
    smtp_sink: SmtpSink, eager_celery: None
) -> None:
    reminder = pending_reminder()
    smtp_sink.replies.extend(["421 4.7.0 Try again later"] * (MAX_RETRIES + 1))
    assert send_reminder_batch.apply(args=[[reminder.pk]], throw=False).get() == {"handed_back": 1}
    reminder.refresh_from_db()
    # Not failed: within its lateness window the row waits for the dispatcher's re-queue.
    assert reminder.status == ReminderStatus.PENDING
    assert reminder.attempts == MAX_RETRIES + 1
    assert reminder.error == (
        f"421 4.7.0 Try again later (retries used up after {MAX_RETRIES + 1} attempts; "
        "queued again)"
    )
    assert smtp_sink.count == 0


def test_a_temporary_failure_past_the_lateness_window_fails_the_row_with_the_reason(
    smtp_sink: SmtpSink, eager_celery: None
) -> None:
    reminder = pending_reminder(late_by=dt.timedelta(hours=12, minutes=1))
    smtp_sink.replies.extend(["451 4.3.0 Try again later", "250 should never be reached"])
    assert send_reminder_batch.apply(args=[[reminder.pk]], throw=False).get() == {"failed": 1}
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.FAILED
    assert reminder.attempts == 1  # no retry once the window is over
    assert reminder.error == (
        "not sent within 12:00:00 of its slot (1 attempts); last error: 451 4.3.0 Try again later"
    )
    assert smtp_sink.count == 0


def test_retry_countdowns_keep_a_floor_and_stay_under_the_visibility_timeout(
    settings: object,
) -> None:
    from tracker.reminders.dispatch import RETRY_BACKOFF
    from tracker.reminders.tasks import retry_countdown

    base, cap = RETRY_BACKOFF
    visibility_timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get(  # type: ignore[attr-defined]
        "visibility_timeout", 3600
    )
    floors = []
    for retries in range(MAX_RETRIES):
        step = min(cap, base * 2**retries)
        draws = [retry_countdown(retries) for _ in range(200)]
        assert step / 2 <= min(draws) and max(draws) <= step <= cap  # never 0, 1, 2 s...
        floors.append(step / 2)
    assert cap < visibility_timeout  # C5
    # Even the shortest ladder outlasts a 60-second outage many times over.
    assert sum(floors) >= 10 * 60


def test_a_row_taken_back_while_its_task_stalled_is_no_longer_the_tasks_to_send() -> None:
    from collections import Counter as OutcomeCounter

    from tracker.reminders.tasks import _claim, _heartbeat

    kept, taken = pending_reminder(), pending_reminder()
    rows, stamp = _claim([kept.pk, taken.pk], OutcomeCounter())
    assert {row.pk for row in rows} == {kept.pk, taken.pk}
    # The dispatcher re-queued `taken` and another task claimed it: a new stamp.
    Reminder.objects.filter(pk=taken.pk).update(updated_at=stamp + dt.timedelta(minutes=3))
    held, new_stamp = _heartbeat([kept.pk, taken.pk], stamp)
    assert held == {kept.pk}
    assert new_stamp > stamp
    assert Reminder.objects.get(pk=kept.pk).updated_at == new_stamp
    assert Reminder.objects.get(pk=taken.pk).updated_at == stamp + dt.timedelta(minutes=3)


def test_unreachable_server_is_a_temporary_failure(settings: object) -> None:
    from tests.reminders.smtp_sink import free_port

    settings.MAILERS = {  # type: ignore[attr-defined]
        **settings.MAILERS,  # type: ignore[attr-defined]
        "reminders": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        },
    }
    reminders = [pending_reminder(), pending_reminder()]
    from celery.exceptions import Retry

    from tracker.reminders.sending import TransientSendError

    with pytest.raises((TransientSendError, Retry)):
        send_reminder_batch([r.pk for r in reminders])
    # Handed back for a retry or the next tick's re-queue, with the reason kept.
    for reminder in reminders:
        reminder.refresh_from_db()
        assert reminder.status == ReminderStatus.PENDING
        assert "Connection" in reminder.error or "refused" in reminder.error.lower()


def test_an_email_that_cannot_be_built_fails_its_row_and_the_batch_goes_on() -> None:
    broken, fine = pending_reminder(), pending_reminder()
    # Stored data no form would accept: a line break in the address (header injection).
    from allauth.account.models import EmailAddress

    address = "broken\nBcc: x@example.com"
    User.objects.filter(pk=broken.user_id).update(email=address)
    EmailAddress.objects.filter(user_id=broken.user_id).update(email=address)
    assert send_reminder_batch([broken.pk, fine.pk]) == {"failed": 1, "sent": 1}
    assert [m.to[0] for m in mail.outbox] == [fine.user.email]
    broken.refresh_from_db()
    assert broken.status == ReminderStatus.FAILED
    assert broken.error.startswith("email not built:")
    assert "linefeed" in broken.error


def test_user_who_unsubscribed_after_the_claim_gets_nothing() -> None:
    reminder, other = pending_reminder(), pending_reminder()
    User.objects.filter(pk=reminder.user_id).update(reminders_enabled=False)
    assert send_reminder_batch([reminder.pk, other.pk]) == {"skipped": 1, "sent": 1}
    assert [m.to[0] for m in mail.outbox] == [other.user.email]
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SKIPPED


def test_user_whose_address_is_no_longer_verified_gets_nothing() -> None:
    from allauth.account.models import EmailAddress

    reminder = pending_reminder()
    EmailAddress.objects.filter(user_id=reminder.user_id).update(verified=False)
    assert send_reminder_batch([reminder.pk]) == {"skipped": 1}
    assert not mail.outbox


def test_a_batch_sends_over_one_smtp_connection(smtp_sink: SmtpSink) -> None:
    rows = [pending_reminder(email=f"r{i}@example.com") for i in range(3)]
    assert send_reminder_batch([row.pk for row in rows]) == {"sent": 3}
    assert smtp_sink.count == 3
    assert smtp_sink.connections == 1


def test_a_refused_send_drops_the_connection_and_the_next_row_opens_a_new_one(
    smtp_sink: SmtpSink,
) -> None:
    # Rows are sent in id order: the first is refused, the other two still go out.
    rows = [pending_reminder(email=f"{name}@example.com") for name in ("gone", "a", "b")]
    smtp_sink.replies.append("550 5.1.1 No such user")
    assert send_reminder_batch([row.pk for row in rows]) == {"failed": 1, "sent": 2}
    assert smtp_sink.count == 2
    assert smtp_sink.connections == 2


# --- The send check: eligibility and content flags of a whole batch in one query ----------


def orm_flags(user: User) -> tuple[bool, ContentFlags]:
    """The same answer through the ORM, as the preview computes it."""
    verified = User.objects.with_verified_email().filter(pk=user.pk).exists()
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
    assert eligibility_and_flags([user.pk])[user.pk] == (True, expected)
    assert eligibility_and_flags([user.pk])[user.pk] == orm_flags(user)
    # Asked together, each user still gets only their own.
    everything = ContentFlags(True, True, True, True)
    both = eligibility_and_flags([user.pk, busy.pk])
    assert both == {user.pk: (True, expected), busy.pk: (True, everything)}


def test_send_check_sees_an_unverified_address() -> None:
    user = make_learner(verified=False)
    check = eligibility_and_flags([user.pk])[user.pk]
    assert check == (False, ContentFlags(False, False, False, False))
    assert check == orm_flags(user)


def test_send_check_of_a_deleted_user_is_absent() -> None:
    assert eligibility_and_flags([987654]) == {}


def queries_to_send(n: int) -> int:
    reminders = [pending_reminder() for _ in range(n)]
    with CaptureQueriesContext(connection) as queries:
        assert send_reminder_batch([r.pk for r in reminders]) == {"sent": n}
    return len(queries)


def test_a_batch_costs_a_fixed_number_of_queries_plus_one_per_email() -> None:
    # Claim (locked read with the users, update), one send check for the whole batch,
    # then each email's own "sent" mark: no query per section, none per user looked up.
    one = queries_to_send(1)
    assert queries_to_send(10) == one + 9
    assert one <= 6
