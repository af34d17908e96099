import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client

from accounts.models import User

LOGIN = "/accounts/login/"


def current_code(secret: str, offset: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def login_with_password(client: Client, user: User, password: str) -> None:
    """Log in, then confirm the password again as allauth asks before security changes (A7)."""
    response = client.post(LOGIN, {"login": user.email, "password": password})
    assert response.status_code == 302
    assert client.post("/accounts/reauthenticate/", {"password": password}).status_code == 302


def activate_totp(client: Client) -> str:
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302
    return secret


@pytest.mark.django_db
def test_totp_activation_with_wrong_code_is_refused(user: User, password: str) -> None:
    client = Client()
    login_with_password(client, user, password)
    client.get("/accounts/2fa/totp/activate/")
    response = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert response.status_code == 200
    assert b"Incorrect code" in response.content
    assert not Authenticator.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_totp_activation_creates_recovery_codes(user: User, password: str) -> None:
    client = Client()
    login_with_password(client, user, password)
    activate_totp(client)
    types = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}


@pytest.mark.django_db
@time_machine.travel("2026-11-22T10:00:05Z", tick=False)
def test_login_with_totp_requires_code_and_refuses_replay(user: User, password: str) -> None:
    # Time stands still within each 30-second window; activation spends its own code, so
    # the login happens in the next window.
    client = Client()
    login_with_password(client, user, password)
    secret = activate_totp(client)
    client.post("/accounts/logout/")

    with time_machine.travel("2026-11-22T10:00:35Z", tick=False):
        # Password alone does not log in: the second factor is asked for.
        second = Client()
        response = second.post(LOGIN, {"login": user.email, "password": password})
        assert response["Location"].startswith("/accounts/2fa/authenticate/")
        assert "_auth_user_id" not in second.session
        wrong = second.post("/accounts/2fa/authenticate/", {"code": "123456"})
        assert wrong.status_code == 200
        assert "_auth_user_id" not in second.session

        code = current_code(secret)
        ok = second.post("/accounts/2fa/authenticate/", {"code": code})
        assert ok.status_code == 302
        assert second.session.get("_auth_user_id") == str(user.pk)

        # The same code cannot be replayed for another login (A9).
        third = Client()
        third.post(LOGIN, {"login": user.email, "password": password})
        replay = third.post("/accounts/2fa/authenticate/", {"code": code})
        assert replay.status_code == 200
        assert "_auth_user_id" not in third.session


@pytest.mark.django_db
def test_recovery_code_logs_in_once(user: User, password: str) -> None:
    client = Client()
    login_with_password(client, user, password)
    activate_totp(client)
    codes = RecoveryCodes(
        Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    fresh = Client()
    fresh.post(LOGIN, {"login": user.email, "password": password})
    assert fresh.post("/accounts/2fa/authenticate/", {"code": codes[0]}).status_code == 302
    again = Client()
    again.post(LOGIN, {"login": user.email, "password": password})
    assert again.post("/accounts/2fa/authenticate/", {"code": codes[0]}).status_code == 200
    assert "_auth_user_id" not in again.session


@pytest.mark.django_db
def test_two_factor_setup_asks_for_recent_reauthentication(client_logged_in: Client) -> None:
    # force_login records no recent authentication, as after a long-lived session.
    response = client_logged_in.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 302
    assert "/accounts/reauthenticate/" in response["Location"]


@pytest.mark.django_db
@time_machine.travel("2026-11-22T10:00:05Z", tick=False)
def test_code_that_activated_totp_cannot_log_in_within_the_same_step(
    user: User, password: str
) -> None:
    client = Client()
    login_with_password(client, user, password)
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]
    code = current_code(secret)
    assert client.post("/accounts/2fa/totp/activate/", {"code": code}).status_code == 302
    client.post("/accounts/logout/")

    # Someone who watched the activation replays its code at once, in the same 30 s step.
    replay = Client()
    response = replay.post(LOGIN, {"login": user.email, "password": password})
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    response = replay.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 200
    assert b"Incorrect code" in response.content
    assert "_auth_user_id" not in replay.session
