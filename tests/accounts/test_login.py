import pytest
from django.test import Client

from accounts.models import User
from tests.factories import UserFactory

LOGIN = "/accounts/login/"


@pytest.mark.django_db
def test_verified_user_logs_in_and_session_key_rotates(user: User, password: str) -> None:
    client = Client()
    client.get(LOGIN)
    before = client.session.session_key
    response = client.post(LOGIN, {"login": user.email, "password": password})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(user.pk)
    assert client.session.session_key != before


@pytest.mark.django_db
def test_unverified_email_cannot_log_in(client: Client, password: str) -> None:
    unverified = UserFactory(email="new@example.com", verified=False)
    response = client.post(LOGIN, {"login": unverified.email, "password": password})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/confirm-email/")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_wrong_password_shows_error_and_keeps_email(client: Client, user: User) -> None:
    response = client.post(LOGIN, {"login": user.email, "password": "nope-nope-nope"})
    assert response.status_code == 200
    assert b"not correct" in response.content
    assert f'value="{user.email}"'.encode() in response.content


@pytest.mark.django_db
def test_too_many_failed_logins_answer_429(client: Client, user: User, password: str) -> None:
    statuses = [
        client.post(LOGIN, {"login": user.email, "password": f"wrong-{i}"}).status_code
        for i in range(11)
    ]
    assert statuses[0] == 200
    assert statuses[-1] == 429
    # Even the right password is refused while throttled.
    response = client.post(LOGIN, {"login": user.email, "password": password})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_attacker_failing_on_a_known_address_cannot_lock_its_owner_out(
    user: User, password: str
) -> None:
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    statuses = [
        attacker.post(LOGIN, {"login": user.email, "password": f"guess-{i}"}).status_code
        for i in range(30)
    ]
    assert statuses[-1] == 429  # the attacker is throttled …
    owner = Client(REMOTE_ADDR="198.51.100.20")
    response = owner.post(LOGIN, {"login": user.email, "password": password})
    assert response.status_code == 302  # … the owner, from their own address, is not
    assert owner.session.get("_auth_user_id") == str(user.pk)


@pytest.mark.django_db
def test_throttle_uses_forwarded_client_ip_behind_proxy(
    client: Client, user: User, settings: object
) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # type: ignore[attr-defined]
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}  # type: ignore[attr-defined]
    for i in range(4):
        last = client.post(
            LOGIN,
            {"login": user.email, "password": f"wrong-{i}"},
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    assert last.status_code == 429
    # Another client behind the same proxy is not throttled.
    other = client.post(
        LOGIN, {"login": user.email, "password": "wrong"}, HTTP_X_FORWARDED_FOR="198.51.100.9"
    )
    assert other.status_code == 200


@pytest.mark.django_db
def test_logout_by_get_does_nothing(client_logged_in: Client) -> None:
    response = client_logged_in.get("/accounts/logout/")
    assert response.status_code == 200
    assert client_logged_in.session.get("_auth_user_id")


@pytest.mark.django_db
def test_logout_by_post_ends_the_session(client_logged_in: Client) -> None:
    response = client_logged_in.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client_logged_in.session
    assert client_logged_in.get("/account/settings/").status_code == 302


@pytest.mark.django_db
def test_admin_login_goes_through_allauth(client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
