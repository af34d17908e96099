"""next_reminder_at follows the user's reminder settings."""

import datetime as dt

import pytest

from accounts.models import User
from tests.reminders.conftest import make_learner, schedule_after

pytestmark = pytest.mark.django_db


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_new_user_is_scheduled_for_their_next_local_slot(time_machine: object) -> None:
    time_machine.move_to(utc(2026, 11, 20, 12))  # type: ignore[attr-defined]
    user = make_learner(timezone="Asia/Kathmandu", reminder_weekday=0, reminder_time=dt.time(9))
    user.refresh_from_db()
    assert user.next_reminder_at == utc(2026, 11, 23, 3, 15)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("timezone", "America/New_York", utc(2026, 11, 23, 14)),
        ("reminder_weekday", 2, utc(2026, 11, 25, 8)),
        ("reminder_time", dt.time(18, 30), utc(2026, 11, 23, 17, 30)),
        ("reminders_enabled", False, None),
    ],
)
def test_changing_a_reminder_setting_reschedules(
    field: str, value: object, expected: dt.datetime | None, time_machine: object
) -> None:
    time_machine.move_to(utc(2026, 11, 20, 12))  # type: ignore[attr-defined]
    user = make_learner(timezone="Europe/Berlin")
    user.refresh_from_db()
    assert user.next_reminder_at == utc(2026, 11, 23, 8)
    setattr(user, field, value)
    user.save()
    assert user.next_reminder_at == expected
    user.refresh_from_db()
    assert user.next_reminder_at == expected


def test_turning_reminders_back_on_schedules_the_next_slot(time_machine: object) -> None:
    time_machine.move_to(utc(2026, 11, 20, 12))  # type: ignore[attr-defined]
    user = make_learner(timezone="Europe/Berlin", reminders_enabled=False)
    user.refresh_from_db()
    assert user.next_reminder_at is None
    user.reminders_enabled = True
    user.save(update_fields=["reminders_enabled"])
    user.refresh_from_db()
    assert user.next_reminder_at == utc(2026, 11, 23, 8)


def test_an_unrelated_save_keeps_a_due_reminder(time_machine: object) -> None:
    user = make_learner(timezone="Europe/Berlin")
    slot = schedule_after(user, utc(2026, 11, 20))
    # The user logs in after the slot but before the next dispatcher tick.
    time_machine.move_to(slot + dt.timedelta(minutes=2))  # type: ignore[attr-defined]
    user.display_name = "Renamed"
    user.save()
    user.last_login = slot + dt.timedelta(minutes=2)
    user.save(update_fields=["last_login"])
    user.refresh_from_db()
    assert user.next_reminder_at == slot


def test_a_settings_form_save_goes_through_the_signal(time_machine: object) -> None:
    time_machine.move_to(utc(2026, 11, 20, 12))  # type: ignore[attr-defined]
    user = make_learner(timezone="UTC")
    User.objects.filter(pk=user.pk).update(next_reminder_at=None)
    user = User.objects.get(pk=user.pk)
    user.week_start = 6
    user.save()
    user.refresh_from_db()
    assert user.next_reminder_at == utc(2026, 11, 23, 9)
