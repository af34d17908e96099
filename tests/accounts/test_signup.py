import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from accounts.models import User
from tests.factories import UserFactory

SIGNUP = "/accounts/signup/"
GOOD = {
    "email": "grace@example.com",
    "password1": "a long passphrase about papers",
    "password2": "a long passphrase about papers",
    "timezone": "Asia/Kolkata",
}


def confirmation_link(message: mail.EmailMessage) -> str:
    match = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s/]+/", message.body)
    assert match, message.body
    return match.group(0)


@pytest.mark.django_db
def test_signup_page_prefills_timezone_from_browser_hook(client: Client) -> None:
    response = client.get(SIGNUP)
    assert response.status_code == 200
    assert b'data-detect-timezone="true"' in response.content
    assert b'<datalist id="timezone-names">' in response.content


@pytest.mark.django_db
def test_signup_creates_unverified_user_with_timezone_and_sends_link(client: Client) -> None:
    response = client.post(SIGNUP, GOOD)
    assert response.status_code == 302
    user = User.objects.get(email="grace@example.com")
    assert user.timezone == "Asia/Kolkata"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    # Not logged in until the address is verified (A1).
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_following_the_link_verifies_and_logs_in(client: Client) -> None:
    client.post(SIGNUP, GOOD)
    link = confirmation_link(mail.outbox[0])
    path = link.split("paperstreak.test", 1)[-1]
    page = client.get(path)
    assert page.status_code == 200
    assert EmailAddress.objects.filter(email="grace@example.com", verified=False).exists()
    response = client.post(path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="grace@example.com").verified
    assert client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_wrong_verification_key_is_refused(client: Client) -> None:
    client.post(SIGNUP, GOOD)
    response = client.get("/accounts/confirm-email/not-a-real-key/")
    assert response.status_code in (200, 404)
    assert b"expired or is invalid" in response.content or response.status_code == 404
    client.post("/accounts/confirm-email/not-a-real-key/")
    assert not EmailAddress.objects.get(email="grace@example.com").verified


@pytest.mark.django_db
def test_expired_verification_link_does_not_verify(client: Client, settings: object) -> None:
    client.post(SIGNUP, GOOD)
    link = confirmation_link(mail.outbox[0])
    path = link.split("paperstreak.test", 1)[-1]
    import time_machine

    with time_machine.travel("2099-01-01T00:00:00Z"):
        client.post(path)
    assert not EmailAddress.objects.get(email="grace@example.com").verified


@pytest.mark.django_db
def test_duplicate_email_is_refused_without_revealing_the_account(client: Client) -> None:
    UserFactory(email="grace@example.com")
    response = client.post(SIGNUP, GOOD)
    # With enumeration prevention allauth pretends success but creates nothing new.
    assert User.objects.filter(email__iexact="grace@example.com").count() == 1
    assert response.status_code in (200, 302)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", b"too short"),
        ("password123", b"too common"),
        ("12345678901", b"entirely numeric"),
    ],
)
def test_weak_passwords_are_refused_and_email_kept(
    client: Client, password: str, message: bytes
) -> None:
    data = {**GOOD, "password1": password, "password2": password}
    response = client.post(SIGNUP, data)
    assert response.status_code == 200
    assert message in response.content
    assert b'value="grace@example.com"' in response.content
    assert not User.objects.filter(email="grace@example.com").exists()


@pytest.mark.django_db
def test_long_passphrase_is_accepted(client: Client) -> None:
    phrase = "correct horse battery staple " * 6
    response = client.post(SIGNUP, {**GOOD, "password1": phrase, "password2": phrase})
    assert response.status_code == 302
    assert User.objects.filter(email="grace@example.com").exists()


@pytest.mark.django_db
def test_invalid_timezone_is_refused_at_signup(client: Client) -> None:
    response = client.post(SIGNUP, {**GOOD, "timezone": "Mars/Olympus_Mons"})
    assert response.status_code == 200
    assert b"is not a known IANA timezone" in response.content
    assert b'value="Mars/Olympus_Mons"' in response.content
    assert not User.objects.filter(email="grace@example.com").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["localtime", "Factory"])
def test_server_local_and_placeholder_zones_are_refused_at_signup(
    client: Client, name: str
) -> None:
    response = client.post(SIGNUP, {**GOOD, "timezone": name})
    assert response.status_code == 200
    assert b"is not a known IANA timezone" in response.content
    assert not User.objects.filter(email=GOOD["email"]).exists()
