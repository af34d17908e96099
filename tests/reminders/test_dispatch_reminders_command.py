"""manage.py dispatch_reminders runs one dispatcher tick, optionally as if at --now."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from tests.reminders.conftest import make_learner, schedule_after
from tracker.reminders.models import Reminder

pytestmark = pytest.mark.django_db


def test_now_option_runs_a_tick_at_that_instant(django_capture_on_commit_callbacks: object) -> None:
    user = make_learner(timezone="Europe/Berlin")
    schedule_after(user, dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # type: ignore[operator]
        call_command("dispatch_reminders", "--now", "2026-11-23T08:00:00Z", stdout=out)
    assert "claimed=1" in out.getvalue()
    assert Reminder.objects.filter(user=user).count() == 1
    assert len(callbacks) == 1


def test_dry_run_reports_and_changes_nothing() -> None:
    user = make_learner(timezone="Europe/Berlin")
    schedule_after(user, dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
    out = StringIO()
    call_command("dispatch_reminders", "--now", "2026-11-23T09:00+01:00", "--dry-run", stdout=out)
    # The counts close the listing of due users.
    assert (
        out.getvalue().splitlines()[-1].startswith("dry run: 2026-11-23T09:00:00+01:00 claimed=1")
    )
    assert not Reminder.objects.exists()


def test_dry_run_lists_each_due_user_then_the_counts() -> None:
    berlin = make_learner(timezone="Europe/Berlin", email="berlin@example.com")
    tokyo = make_learner(timezone="Asia/Tokyo", email="tokyo@example.com")
    later = make_learner(timezone="America/New_York", email="later@example.com")
    for user in (berlin, tokyo, later):
        schedule_after(user, dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
    before = list(User.objects.order_by("pk").values_list("pk", "next_reminder_at"))
    out = StringIO()
    call_command("dispatch_reminders", "--now", "2026-11-23T08:00Z", "--dry-run", stdout=out)
    # Tokyo's Monday 09:00 came first (00:00 UTC), then Berlin's (08:00 UTC); New York's
    # is still ahead, so it is not listed.
    assert out.getvalue().splitlines() == [
        "tokyo@example.com slot=2026-11-23 09:00 Asia/Tokyo week=2026-11-23 send",
        "berlin@example.com slot=2026-11-23 09:00 Europe/Berlin week=2026-11-23 send",
        "dry run: 2026-11-23T08:00:00+00:00 claimed=2 skipped_late=0 already_had_row=0 "
        "unverified=0 scheduled=0 requeued=0 ended_late=0",
    ]
    assert not Reminder.objects.exists()
    assert list(User.objects.order_by("pk").values_list("pk", "next_reminder_at")) == before


def test_dry_run_says_why_a_due_user_gets_no_email() -> None:
    user = make_learner(timezone="Europe/Berlin", email="late@example.com")
    schedule_after(user, dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
    out = StringIO()
    call_command("dispatch_reminders", "--now", "2026-11-24T08:00Z", "--dry-run", stdout=out)
    assert out.getvalue().splitlines()[0] == (
        "late@example.com slot=2026-11-23 09:00 Europe/Berlin week=2026-11-23 skip: late"
    )


@pytest.mark.parametrize("value", ["yesterday", "2026-11-23T08:00"])
def test_bad_now_is_refused(value: str) -> None:
    with pytest.raises(CommandError):
        call_command("dispatch_reminders", "--now", value)


def test_the_old_command_name_still_runs_a_tick_and_says_it_is_deprecated(
    django_capture_on_commit_callbacks: object,
) -> None:
    user = make_learner(timezone="Europe/Berlin")
    schedule_after(user, dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
    out, err = StringIO(), StringIO()
    with django_capture_on_commit_callbacks(execute=False):  # type: ignore[operator]
        call_command("send_reminders", "--now", "2026-11-23T08:00Z", stdout=out, stderr=err)
    assert "claimed=1" in out.getvalue()
    assert "deprecated" in err.getvalue() and "dispatch_reminders" in err.getvalue()
    assert Reminder.objects.filter(user=user).count() == 1
