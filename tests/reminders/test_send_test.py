"""The "send me a test email" button: enqueued after commit, rate-limited."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_test_email_is_queued_after_commit_and_sent(
    client_logged_in: Client,
    user: object,
    eager_celery: None,
    django_capture_on_commit_callbacks: object,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # type: ignore[operator]
        response = client_logged_in.post(reverse("reminders:send_test"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:settings")
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]  # type: ignore[attr-defined]
    assert mail.outbox[0].subject.startswith("[Test] ")


def test_htmx_request_gets_the_panel_back(
    client_logged_in: Client, htmx: dict[str, str], django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # type: ignore[operator]
        response = client_logged_in.post(reverse("reminders:send_test"), **htmx)
    assert response.status_code == 200
    assert b'id="reminder-panel"' in response.content
    assert b"Test email queued" in response.content
    assert len(callbacks) == 1


def test_second_test_email_within_ten_minutes_is_refused(
    client_logged_in: Client, htmx: dict[str, str], django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # type: ignore[operator]
        client_logged_in.post(reverse("reminders:send_test"), **htmx)
        response = client_logged_in.post(reverse("reminders:send_test"), **htmx)
        redirect = client_logged_in.post(reverse("reminders:send_test"))
    assert response.status_code == 200
    assert b"try again in 10 minutes" in response.content
    assert b"Test email queued" not in response.content
    assert redirect.status_code == 302
    assert len(callbacks) == 1


def test_get_is_not_allowed_and_login_is_required(client_logged_in: Client) -> None:
    assert client_logged_in.get(reverse("reminders:send_test")).status_code == 405
    assert Client().post(reverse("reminders:send_test")).status_code == 302


def test_csrf_token_is_required(user: object) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)  # type: ignore[arg-type]
    assert client.post(reverse("reminders:send_test")).status_code == 403


def test_unsafe_next_url_is_ignored(client_logged_in: Client) -> None:
    response = client_logged_in.post(
        reverse("reminders:send_test"), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("accounts:settings")


def test_test_email_goes_only_to_a_verified_address() -> None:
    from tests.reminders.conftest import make_learner
    from tracker.reminders.tasks import send_test_reminder

    unverified = make_learner(email="pending@example.com", verified=False)
    assert send_test_reminder(unverified.pk) == "unverified"
    assert send_test_reminder(987654) == "missing"
    assert not mail.outbox
