"""manage.py send_reminders runs one dispatcher tick, optionally as if at --now."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.reminders.conftest import make_learner, schedule_after
from tracker.reminders.models import Reminder

pytestmark = pytest.mark.django_db


def test_now_option_runs_a_tick_at_that_instant(django_capture_on_commit_callbacks: object) -> None:
    user = make_learner(timezone="Europe/Berlin")
    schedule_after(user, dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # type: ignore[operator]
        call_command("send_reminders", "--now", "2026-11-23T08:00:00Z", stdout=out)
    assert "claimed=1" in out.getvalue()
    assert Reminder.objects.filter(user=user).count() == 1
    assert len(callbacks) == 1


def test_dry_run_reports_and_changes_nothing() -> None:
    user = make_learner(timezone="Europe/Berlin")
    schedule_after(user, dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
    out = StringIO()
    call_command("send_reminders", "--now", "2026-11-23T09:00+01:00", "--dry-run", stdout=out)
    assert out.getvalue().startswith("dry run: 2026-11-23T09:00:00+01:00 claimed=1")
    assert not Reminder.objects.exists()


@pytest.mark.parametrize("value", ["yesterday", "2026-11-23T08:00"])
def test_bad_now_is_refused(value: str) -> None:
    with pytest.raises(CommandError):
        call_command("send_reminders", "--now", value)
