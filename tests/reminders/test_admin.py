import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.reminders.conftest import make_learner
from tracker.reminders.models import Reminder, ReminderStatus

pytestmark = pytest.mark.django_db


def test_admin_lists_reminders_with_status_and_error() -> None:
    admin = make_learner(email="root@example.com", is_staff=True, is_superuser=True)
    user = make_learner(email="bounced@example.com")
    Reminder.objects.create(
        user=user,
        week_start=dt.date(2026, 11, 23),
        scheduled_for=dt.datetime(2026, 11, 23, 8, tzinfo=dt.UTC),
        status=ReminderStatus.FAILED,
        error="550 5.1.1 No such user",
    )
    client = Client()
    client.force_login(admin)
    response = client.get(reverse("admin:reminders_reminder_changelist"))
    assert response.status_code == 200
    assert b"550 5.1.1 No such user" in response.content
    assert b"Failed" in response.content
