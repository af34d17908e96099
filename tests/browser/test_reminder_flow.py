"""In Chromium: the settings preview renders; the one-click link from a received reminder
turns reminders off and the settings page shows it (E3, E4)."""

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, UserFactory
from tracker.reminders.models import Reminder
from tracker.reminders.tasks import send_reminder_batch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Any, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(page.base_url + "/")


def test_preview_then_one_click_unsubscribe_from_the_email(page: Any, settings: Any) -> None:
    settings.SITE_URL = page.base_url  # links in the email point at the live server
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = UserFactory(email="grace@example.com", display_name="Grace", timezone="Europe/Berlin")
    log_in(page, user.email)

    page.goto(reverse("reminders:preview"))
    assert page.text_content("#preview-subject").startswith("Week ")
    assert "Hi Grace," in page.text_content("pre.email-text")
    assert page.is_visible("#reminder-panel >> text=Send me a test email")

    # The weekly email arrives.
    reminder = Reminder.objects.create(
        user=user, week_start=dt.date(2026, 11, 23), scheduled_for=dt.datetime.now(dt.UTC)
    )
    assert send_reminder_batch([reminder.pk]) == {"sent": 1}
    header = mail.outbox[-1].extra_headers["List-Unsubscribe"]
    link = header.strip("<>")
    assert link.startswith(page.base_url)

    # Opening the link only asks (a scanner's GET changes nothing) ...
    page.goto(link)
    assert page.is_visible("text=Stop weekly reminders?")
    assert User.objects.get(pk=user.pk).reminders_enabled is True
    # ... and the button turns reminders off.
    page.click("main button[type=submit]")
    page.wait_for_selector("text=You're unsubscribed")
    assert User.objects.get(pk=user.pk).reminders_enabled is False

    # The link opened again says so instead of asking a second time.
    page.go_back()
    page.reload()
    page.wait_for_selector("text=Weekly reminders are already off")

    page.goto(reverse("accounts:settings"))
    assert page.is_checked("input[type=checkbox][name=reminders_enabled]") is False
    # The test email says why it is off; one click turns reminders back on.
    page.wait_for_selector("text=turn reminders on to send one")
    assert page.is_disabled("button:has-text('Send me a test email')")
    page.click("button:has-text('Turn reminders back on')")
    page.wait_for_selector("text=Settings saved.")
    assert User.objects.get(pk=user.pk).reminders_enabled is True
    assert page.is_checked("input[type=checkbox][name=reminders_enabled]") is True
