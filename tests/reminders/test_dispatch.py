"""The dispatcher tick: due selection (T1, T2, T4), idempotency (C1, C2), re-queue (C3), C6."""

import datetime as dt
import os
import threading

import pytest
from django.core import mail
from django.db import connection

from accounts.models import User
from tests.reminders.conftest import make_learner, schedule_after
from tracker.reminders.dispatch import dispatch
from tracker.reminders.models import Reminder, ReminderStatus
from tracker.reminders.tasks import publish_send_batches

pytestmark = pytest.mark.django_db


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def tick(now: dt.datetime, capture: object) -> object:
    """One dispatcher tick whose commit callbacks (the enqueues) run, eagerly."""
    with capture(execute=True):  # type: ignore[operator]
        return dispatch(now, publish=publish_send_batches)


TZ_USERS = {
    # Monday 09:00 local on 23 November 2026 (UTC instants).
    "America/New_York": utc(2026, 11, 23, 14),
    "Europe/Berlin": utc(2026, 11, 23, 8),
    "Asia/Kolkata": utc(2026, 11, 23, 3, 30),
    "Asia/Kathmandu": utc(2026, 11, 23, 3, 15),
    "Australia/Lord_Howe": utc(2026, 11, 22, 22),
    "Australia/Sydney": utc(2026, 11, 22, 22),
}


def test_exactly_the_users_whose_local_slot_passed_are_due(
    eager_celery: None, django_capture_on_commit_callbacks: object
) -> None:
    users = {}
    for tz_name in TZ_USERS:
        user = make_learner(
            email=f"{tz_name.replace('/', '-').lower()}@example.com", timezone=tz_name
        )
        schedule_after(user, utc(2026, 11, 20))
        users[tz_name] = user
    assert {u.timezone: u.next_reminder_at for u in users.values()} == TZ_USERS

    result = tick(utc(2026, 11, 23, 8), django_capture_on_commit_callbacks)

    expected = {tz for tz, slot in TZ_USERS.items() if slot <= utc(2026, 11, 23, 8)}
    assert result.claimed == len(expected) == 5
    assert {m.to[0] for m in mail.outbox} == {users[tz].email for tz in expected}
    rows = Reminder.objects.all()
    assert {r.week_start for r in rows} == {dt.date(2026, 11, 23)}
    assert all(r.status == ReminderStatus.SENT for r in rows)

    result = tick(utc(2026, 11, 23, 14), django_capture_on_commit_callbacks)
    assert result.claimed == 1
    assert mail.outbox[-1].to == [users["America/New_York"].email]
    assert len(mail.outbox) == 6


@pytest.mark.parametrize(
    ("tz_name", "weekday", "local_time", "after", "slot", "week_start"),
    [
        # Both sides of both DST changes (T1).
        ("America/New_York", 0, "09:00", utc(2026, 3, 6), utc(2026, 3, 9, 13), dt.date(2026, 3, 9)),
        (
            "America/New_York",
            0,
            "09:00",
            utc(2026, 10, 30),
            utc(2026, 11, 2, 14),
            dt.date(2026, 11, 2),
        ),
        ("Europe/Berlin", 0, "09:00", utc(2026, 3, 27), utc(2026, 3, 30, 7), dt.date(2026, 3, 30)),
        (
            "Europe/Berlin",
            0,
            "09:00",
            utc(2026, 10, 23),
            utc(2026, 10, 26, 8),
            dt.date(2026, 10, 26),
        ),
        ("Australia/Sydney", 0, "09:00", utc(2026, 4, 3), utc(2026, 4, 5, 23), dt.date(2026, 4, 6)),
        (
            "Australia/Sydney",
            0,
            "09:00",
            utc(2026, 10, 2),
            utc(2026, 10, 4, 22),
            dt.date(2026, 10, 5),
        ),
        (
            "Australia/Lord_Howe",
            0,
            "09:00",
            utc(2026, 4, 3),
            utc(2026, 4, 5, 22, 30),
            dt.date(2026, 4, 6),
        ),
        (
            "Australia/Lord_Howe",
            0,
            "09:00",
            utc(2026, 10, 2),
            utc(2026, 10, 4, 22),
            dt.date(2026, 10, 5),
        ),
        (
            "Asia/Kolkata",
            0,
            "09:00",
            utc(2026, 11, 20),
            utc(2026, 11, 23, 3, 30),
            dt.date(2026, 11, 23),
        ),
        (
            "Asia/Kathmandu",
            0,
            "09:00",
            utc(2026, 11, 20),
            utc(2026, 11, 23, 3, 15),
            dt.date(2026, 11, 23),
        ),
        # Nonexistent local time shifts forward (T2): 02:30 -> 03:30 EDT / 02:15 -> 02:45.
        (
            "America/New_York",
            6,
            "02:30",
            utc(2026, 3, 6),
            utc(2026, 3, 8, 7, 30),
            dt.date(2026, 3, 2),
        ),
        (
            "Australia/Lord_Howe",
            6,
            "02:15",
            utc(2026, 10, 1),
            utc(2026, 10, 3, 15, 45),
            dt.date(2026, 9, 28),
        ),
    ],
)
def test_reminder_is_due_at_the_local_slot_across_dst(
    tz_name: str,
    weekday: int,
    local_time: str,
    after: dt.datetime,
    slot: dt.datetime,
    week_start: dt.date,
    eager_celery: None,
    django_capture_on_commit_callbacks: object,
) -> None:
    user = make_learner(
        timezone=tz_name, reminder_weekday=weekday, reminder_time=dt.time.fromisoformat(local_time)
    )
    assert schedule_after(user, after) == slot

    early = tick(slot - dt.timedelta(minutes=1), django_capture_on_commit_callbacks)
    assert early.claimed == 0
    assert not mail.outbox

    result = tick(slot, django_capture_on_commit_callbacks)
    assert result.claimed == 1
    reminder = Reminder.objects.get(user=user)
    assert (reminder.week_start, reminder.scheduled_for) == (week_start, slot)
    assert len(mail.outbox) == 1


def test_repeated_local_time_sends_once(
    eager_celery: None, django_capture_on_commit_callbacks: object
) -> None:
    # 01:30 happens twice in New York on 1 November 2026 (05:30 and 06:30 UTC).
    user = make_learner(
        timezone="America/New_York", reminder_weekday=6, reminder_time=dt.time(1, 30)
    )
    assert schedule_after(user, utc(2026, 10, 31)) == utc(2026, 11, 1, 5, 30)
    tick(utc(2026, 11, 1, 5, 30), django_capture_on_commit_callbacks)
    second = tick(utc(2026, 11, 1, 6, 30), django_capture_on_commit_callbacks)
    assert second.claimed == 0
    assert Reminder.objects.filter(user=user).count() == 1
    assert len(mail.outbox) == 1
    user.refresh_from_db()
    assert user.next_reminder_at == utc(2026, 11, 8, 6, 30)


def test_second_dispatch_sends_nothing(
    eager_celery: None, django_capture_on_commit_callbacks: object
) -> None:
    user = make_learner(timezone="Europe/Berlin")
    slot = schedule_after(user, utc(2026, 11, 20))
    first = tick(slot, django_capture_on_commit_callbacks)
    second = tick(slot, django_capture_on_commit_callbacks)
    assert (first.claimed, second.claimed) == (1, 0)
    assert Reminder.objects.filter(user=user).count() == 1
    assert len(mail.outbox) == 1
    user.refresh_from_db()
    assert user.next_reminder_at == utc(2026, 11, 30, 8)


def test_a_missed_scheduler_tick_still_sends(
    eager_celery: None, django_capture_on_commit_callbacks: object
) -> None:
    user = make_learner(timezone="Asia/Kathmandu")
    slot = schedule_after(user, utc(2026, 11, 20))
    # The beat was down for three hours after the slot.
    result = tick(slot + dt.timedelta(hours=3), django_capture_on_commit_callbacks)
    assert result.claimed == 1
    assert Reminder.objects.get(user=user).scheduled_for == slot
    assert len(mail.outbox) == 1


def test_a_stale_schedule_sends_this_weeks_reminder_not_an_old_one(
    eager_celery: None, django_capture_on_commit_callbacks: object
) -> None:
    user = make_learner(timezone="Europe/Berlin")
    schedule_after(user, utc(2026, 11, 1))  # 2 November: the beat was off for three weeks
    result = tick(utc(2026, 11, 23, 9), django_capture_on_commit_callbacks)
    assert result.claimed == 1
    assert Reminder.objects.get(user=user).week_start == dt.date(2026, 11, 23)


def test_a_reminder_more_than_12_hours_late_is_recorded_as_skipped(
    eager_celery: None, django_capture_on_commit_callbacks: object
) -> None:
    user = make_learner(timezone="Europe/Berlin")
    slot = schedule_after(user, utc(2026, 11, 20))
    result = tick(slot + dt.timedelta(hours=12, minutes=5), django_capture_on_commit_callbacks)
    assert (result.claimed, result.skipped_late) == (0, 1)
    reminder = Reminder.objects.get(user=user)
    assert reminder.status == ReminderStatus.SKIPPED
    assert "late" in reminder.error
    assert not mail.outbox
    user.refresh_from_db()
    assert user.next_reminder_at == utc(2026, 11, 30, 8)


def test_changing_timezone_mid_week_does_not_send_twice(
    eager_celery: None, django_capture_on_commit_callbacks: object, time_machine: object
) -> None:
    user = make_learner(timezone="Europe/Berlin")
    slot = schedule_after(user, utc(2026, 11, 20))
    tick(slot, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1

    # An hour later the user moves to New York: Monday 09:00 there is still this week.
    time_machine.move_to(slot + dt.timedelta(hours=1))  # type: ignore[attr-defined]
    user.refresh_from_db()
    user.timezone = "America/New_York"
    user.save()
    user.refresh_from_db()
    assert user.next_reminder_at == utc(2026, 11, 23, 14)

    result = tick(utc(2026, 11, 23, 14), django_capture_on_commit_callbacks)
    assert (result.claimed, result.already_had_row) == (0, 1)
    assert Reminder.objects.filter(user=user).count() == 1
    assert len(mail.outbox) == 1
    user.refresh_from_db()
    assert user.next_reminder_at == utc(2026, 11, 30, 14)


def test_unverified_and_disabled_users_get_nothing(
    eager_celery: None, django_capture_on_commit_callbacks: object
) -> None:
    unverified = make_learner(email="new@example.com", verified=False)
    disabled = make_learner(email="quiet@example.com", reminders_enabled=False)
    slot = schedule_after(unverified, utc(2026, 11, 20))
    User.objects.filter(pk=disabled.pk).update(next_reminder_at=slot)
    result = tick(slot, django_capture_on_commit_callbacks)
    assert (result.claimed, result.unverified) == (0, 1)
    assert not Reminder.objects.exists()
    assert not mail.outbox
    unverified.refresh_from_db()
    assert unverified.next_reminder_at == slot + dt.timedelta(weeks=1)


def test_sends_are_enqueued_only_after_commit(
    eager_celery: None, django_capture_on_commit_callbacks: object
) -> None:
    user = make_learner(timezone="Europe/Berlin")
    slot = schedule_after(user, utc(2026, 11, 20))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # type: ignore[operator]
        dispatch(slot, publish=publish_send_batches)
        # Inside the transaction nothing has been queued or sent yet (C6).
        assert not mail.outbox
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    assert Reminder.objects.get(user=user).status == ReminderStatus.SENT


def test_sends_are_queued_one_task_per_batch_of_rows(
    eager_celery: None, django_capture_on_commit_callbacks: object
) -> None:
    from celery.signals import task_prerun

    from tracker.reminders.dispatch import SEND_BATCH

    users = [make_learner(timezone="Europe/Berlin") for _ in range(SEND_BATCH + 5)]
    slot = utc(2026, 11, 23, 8)
    for user in users:
        schedule_after(user, utc(2026, 11, 20))
    batches: list[list[int]] = []

    def record(sender: object = None, args: tuple = (), **kwargs: object) -> None:
        batches.append(list(args[0]))

    task_prerun.connect(record, weak=False)
    try:
        assert tick(slot, django_capture_on_commit_callbacks).claimed == SEND_BATCH + 5
    finally:
        task_prerun.disconnect(record)
    assert [len(batch) for batch in batches] == [SEND_BATCH, 5]
    assert sorted(pk for batch in batches for pk in batch) == sorted(
        Reminder.objects.values_list("pk", flat=True)
    )
    assert len(mail.outbox) == SEND_BATCH + 5


def test_pending_row_whose_message_was_lost_is_sent_after_next_tick(
    eager_celery: None, django_capture_on_commit_callbacks: object
) -> None:
    user = make_learner(timezone="Europe/Berlin")
    slot = schedule_after(user, utc(2026, 11, 20))
    with django_capture_on_commit_callbacks(execute=False):  # type: ignore[operator]
        # The broker loses the message: the callback never runs.
        dispatch(slot, publish=publish_send_batches)
    reminder = Reminder.objects.get(user=user)
    assert reminder.status == ReminderStatus.PENDING

    assert tick(slot + dt.timedelta(minutes=5), django_capture_on_commit_callbacks).requeued == 0
    assert not mail.outbox
    result = tick(slot + dt.timedelta(minutes=20), django_capture_on_commit_callbacks)
    assert result.requeued == 1
    assert len(mail.outbox) == 1
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENT


def test_row_stuck_in_sending_after_a_worker_died_is_sent_after_next_tick(
    eager_celery: None, django_capture_on_commit_callbacks: object
) -> None:
    user = make_learner(timezone="Europe/Berlin")
    slot = schedule_after(user, utc(2026, 11, 20))
    with django_capture_on_commit_callbacks(execute=False):  # type: ignore[operator]
        dispatch(slot, publish=publish_send_batches)
    Reminder.objects.filter(user=user).update(status=ReminderStatus.SENDING, updated_at=slot)
    result = tick(slot + dt.timedelta(minutes=16), django_capture_on_commit_callbacks)
    assert result.requeued == 1
    assert len(mail.outbox) == 1
    assert Reminder.objects.get(user=user).status == ReminderStatus.SENT


def test_sending_row_of_a_dead_worker_is_requeued_once_the_task_time_limit_has_passed(
    eager_celery: None, django_capture_on_commit_callbacks: object
) -> None:
    from tracker.reminders.dispatch import REQUEUE_SENDING_AFTER, SEND_TIME_LIMIT

    assert dt.timedelta(seconds=SEND_TIME_LIMIT) < REQUEUE_SENDING_AFTER < dt.timedelta(minutes=5)
    user = make_learner(timezone="Europe/Berlin")
    slot = schedule_after(user, utc(2026, 11, 20))
    with django_capture_on_commit_callbacks(execute=False):  # type: ignore[operator]
        dispatch(slot, publish=publish_send_batches)
    claimed_at = slot + dt.timedelta(seconds=5)
    Reminder.objects.filter(user=user).update(status=ReminderStatus.SENDING, updated_at=claimed_at)
    # Within the time limit and its margin a worker may still be on it: left alone.
    early = tick(
        claimed_at + REQUEUE_SENDING_AFTER - dt.timedelta(seconds=1),
        django_capture_on_commit_callbacks,
    )
    assert early.requeued == 0  # type: ignore[attr-defined]
    assert Reminder.objects.get(user=user).status == ReminderStatus.SENDING
    late = tick(
        claimed_at + REQUEUE_SENDING_AFTER + dt.timedelta(seconds=1),
        django_capture_on_commit_callbacks,
    )
    assert late.requeued == 1  # type: ignore[attr-defined]
    assert len(mail.outbox) == 1
    assert Reminder.objects.get(user=user).status == ReminderStatus.SENT


def test_row_handed_back_after_its_retries_is_requeued_minutes_later_and_sent(
    eager_celery: None, django_capture_on_commit_callbacks: object
) -> None:
    from tracker.reminders.dispatch import retry_requeue_after

    user = make_learner(timezone="Europe/Berlin")
    slot = schedule_after(user, utc(2026, 11, 20))
    with django_capture_on_commit_callbacks(execute=False):  # type: ignore[operator]
        dispatch(slot, publish=publish_send_batches)
    handed_back_at = slot + dt.timedelta(minutes=20)
    Reminder.objects.filter(user=user).update(
        attempts=9,
        error="ConnectionRefusedError: [Errno 111] (retries used up after 9 attempts; queued)",
        updated_at=handed_back_at,
    )
    # A retry countdown may still be running: nothing is queued twice before it is over.
    assert (
        tick(handed_back_at + dt.timedelta(minutes=5), django_capture_on_commit_callbacks).requeued
        == 0
    )  # type: ignore[attr-defined]
    assert retry_requeue_after() < dt.timedelta(minutes=15)
    result = tick(
        handed_back_at + retry_requeue_after() + dt.timedelta(seconds=1),
        django_capture_on_commit_callbacks,
    )
    assert result.requeued == 1  # type: ignore[attr-defined]
    assert len(mail.outbox) == 1
    reminder = Reminder.objects.get(user=user)
    assert reminder.status == ReminderStatus.SENT
    assert reminder.attempts == 10


def test_row_still_unsent_past_the_lateness_window_ends_failed_with_its_last_error(
    eager_celery: None, django_capture_on_commit_callbacks: object
) -> None:
    user = make_learner(timezone="Europe/Berlin")
    lost = make_learner(timezone="Europe/Berlin")
    slot = schedule_after(user, utc(2026, 11, 20))
    schedule_after(lost, utc(2026, 11, 20))
    with django_capture_on_commit_callbacks(execute=False):  # type: ignore[operator]
        dispatch(slot, publish=publish_send_batches)
    Reminder.objects.filter(user=user).update(
        attempts=40,
        error="ConnectionRefusedError: [Errno 111]",
        updated_at=slot + dt.timedelta(hours=11, minutes=40),
    )
    Reminder.objects.filter(user=lost).update(updated_at=slot)  # its message never arrived
    result = tick(slot + dt.timedelta(hours=12, minutes=5), django_capture_on_commit_callbacks)
    assert result.requeued == 0  # type: ignore[attr-defined]
    assert result.ended_late == 2  # type: ignore[attr-defined]
    assert not mail.outbox
    failed = Reminder.objects.get(user=user)
    assert failed.status == ReminderStatus.FAILED
    assert failed.error == (
        "not sent within 12:00:00 of its slot (40 attempts); "
        "last error: ConnectionRefusedError: [Errno 111]"
    )
    skipped = Reminder.objects.get(user=lost)
    assert skipped.status == ReminderStatus.SKIPPED
    assert skipped.error.startswith("more than 12:00:00 late at 2026-11-23T20:05:00+00:00")


def test_dry_run_changes_nothing(django_capture_on_commit_callbacks: object) -> None:
    user = make_learner(timezone="Europe/Berlin")
    slot = schedule_after(user, utc(2026, 11, 20))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # type: ignore[operator]
        result = dispatch(slot, dry_run=True, publish=publish_send_batches)
    assert result.claimed == 1
    assert not callbacks
    assert not Reminder.objects.exists()
    user.refresh_from_db()
    assert user.next_reminder_at == slot


def test_users_without_a_schedule_get_one(django_capture_on_commit_callbacks: object) -> None:
    user = make_learner(timezone="Asia/Kolkata")
    User.objects.filter(pk=user.pk).update(next_reminder_at=None)
    result = dispatch(utc(2026, 11, 22, 12), publish=publish_send_batches)
    assert result.scheduled == 1
    user.refresh_from_db()
    assert user.next_reminder_at == utc(2026, 11, 23, 3, 30)


IS_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.mark.skipif(not IS_POSTGRES, reason="needs PostgreSQL (DATABASE_URL=postgres://…)")
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_in_parallel_claim_each_user_once(eager_celery: None) -> None:
    assert connection.vendor == "postgresql"
    users = [make_learner(email=f"p{i}@example.com", timezone="Europe/Berlin") for i in range(60)]
    slot = utc(2026, 11, 23, 8)
    for user in users:
        schedule_after(user, utc(2026, 11, 20))
    barrier = threading.Barrier(2)
    results = []
    errors = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(dispatch(slot, publish=publish_send_batches))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sum(r.claimed for r in results) == 60
    assert Reminder.objects.count() == 60
    assert Reminder.objects.filter(status=ReminderStatus.SENT).count() == 60
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)


def test_one_static_beat_entry_drives_the_dispatcher() -> None:
    from django.conf import settings

    from tracker.celery import app

    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if "reminders" in str(e["task"])]
    assert len(entries) == 1
    (entry,) = entries
    assert entry["task"] == "tracker.reminders.tasks.dispatch_reminders"
    assert entry["task"] in app.tasks
    assert entry["schedule"].minute == set(range(0, 60, 5))  # type: ignore[attr-defined]
