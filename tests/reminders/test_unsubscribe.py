"""One-click unsubscribe: E3 (POST without login/CSRF), E4 (GET changes nothing), E5, E6."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.reminders.conftest import make_learner, schedule_after, tamper
from tracker.reminders.dispatch import dispatch
from tracker.reminders.emails import unsubscribe_token, unsubscribe_url
from tracker.reminders.models import Reminder
from tracker.reminders.tasks import publish_send_batches

pytestmark = pytest.mark.django_db


def url_for(user: User) -> str:
    return reverse("reminders:unsubscribe", args=[unsubscribe_token(user)])


def test_one_click_post_unsubscribes_without_login_or_csrf() -> None:
    user = make_learner()
    client = Client(enforce_csrf_checks=True)
    response = client.post(url_for(user), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert b"unsubscribed" in response.content
    user.refresh_from_db()
    assert user.reminders_enabled is False
    assert user.next_reminder_at is None


def test_the_link_in_the_email_is_the_one_click_url() -> None:
    user = make_learner()
    assert unsubscribe_url(user).endswith(url_for(user))
    assert unsubscribe_url(user).startswith("https://")


def test_get_only_shows_a_confirm_form() -> None:
    user = make_learner()
    response = Client().get(url_for(user))
    assert response.status_code == 200
    content = response.content.decode()
    assert f'action="{url_for(user)}"' in content
    assert 'method="post"' in content
    user.refresh_from_db()
    assert user.reminders_enabled is True
    assert user.next_reminder_at is not None


@pytest.mark.parametrize("method", ["get", "post"])
def test_tampered_token_gets_a_clear_page_and_no_change(method: str) -> None:
    user = make_learner()
    token = unsubscribe_token(user)
    tampered = tamper(token)
    response = getattr(Client(enforce_csrf_checks=True), method)(
        reverse("reminders:unsubscribe", args=[tampered])
    )
    assert response.status_code == 400
    assert b"not valid" in response.content
    user.refresh_from_db()
    assert user.reminders_enabled is True


def test_unsubscribing_takes_effect_before_the_next_dispatch(
    eager_celery: None, django_capture_on_commit_callbacks: object
) -> None:
    user = make_learner(timezone="Europe/Berlin")
    slot = schedule_after(user, dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
    Client().post(url_for(user))
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        result = dispatch(slot, publish=publish_send_batches)
    assert result.claimed == 0
    assert not Reminder.objects.exists()
    assert not mail.outbox


def test_unsubscribe_for_a_deleted_account_is_rejected_cleanly() -> None:
    user = make_learner()
    url = url_for(user)
    user.delete()
    assert Client().post(url).status_code == 400
