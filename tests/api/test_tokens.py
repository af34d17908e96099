"""Settings → API tokens: shown once, stored hashed, never logged, revocable (P2, P3)."""

from __future__ import annotations

import hashlib
import logging
import re

import pytest
import time_machine
from django.test import Client

from accounts.models import User
from tests.api.conftest import ApiClient
from tracker.api import tokens
from tracker.api.models import ApiToken

SECRET = re.compile(r"ps_[A-Za-z0-9_\-]{40,}")


def _create(client: Client, **extra: str) -> tuple[object, str]:
    response = client.post(
        "/account/api-tokens/", {"name": "training box", "scope": "write"}, **extra
    )
    assert response.status_code == 200
    found = SECRET.search(response.content.decode())
    assert found
    return response, found.group(0)


def test_settings_page_loads_the_tokens_card(client_logged_in: Client) -> None:
    page = client_logged_in.get("/account/settings/").content.decode()
    assert 'data-hx-get="/account/api-tokens/"' in page
    assert "Add to Paperstreak" in page


def test_created_token_is_shown_once_and_stored_hashed(
    user: User, client_logged_in: Client
) -> None:
    response, secret = _create(client_logged_in)
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(owner=user)
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix)
    row = [str(v) for v in ApiToken.objects.filter(pk=token.pk).values_list().get()]
    assert secret not in row
    # Shown once: the list page afterwards has only the prefix.
    again = client_logged_in.get("/account/api-tokens/").content.decode()
    assert secret not in again
    assert f"{token.prefix}…" in again


def test_htmx_create_answers_the_card_with_the_secret(
    client_logged_in: Client, htmx: dict[str, str]
) -> None:
    response, _secret = _create(client_logged_in, **htmx)
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="api-tokens"')
    assert "<html" not in body


def test_invalid_name_is_422_with_the_input_kept(user: User, client_logged_in: Client) -> None:
    response = client_logged_in.post("/account/api-tokens/", {"name": "  ", "scope": "admin"})
    assert response.status_code == 422
    assert not ApiToken.objects.exists()
    response = client_logged_in.post("/account/api-tokens/", {"name": "x" * 101, "scope": "read"})
    assert response.status_code == 422
    assert "x" * 101 in response.content.decode()


def test_secret_never_reaches_the_logs(
    user: User, client_logged_in: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        _response, secret = _create(client_logged_in)
        api = ApiClient(secret)
        assert api.get("/papers").status_code == 200
        assert api.get("/papers/999").status_code == 404  # logged as a warning by Django
        assert api.post("/papers", {"q": ""}).status_code == 422
        tokens.revoke(ApiToken.objects.get())
        assert api.get("/papers").status_code == 401
    assert caplog.records  # the requests were logged, the secret was not
    assert secret not in caplog.text
    assert secret[len(tokens.PREFIX) :] not in caplog.text


def test_revoke_makes_the_token_401_at_once(user: User, client_logged_in: Client) -> None:
    _response, secret = _create(client_logged_in)
    api = ApiClient(secret)
    assert api.get("/papers").status_code == 200
    token = ApiToken.objects.get()
    response = client_logged_in.post(f"/account/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert api.get("/papers").status_code == 401
    assert "training box" not in client_logged_in.get("/account/api-tokens/").content.decode()


def test_someone_elses_token_cannot_be_revoked(user: User, other_client: Client) -> None:
    token, secret = tokens.create_token(user, "mine", "read")
    assert other_client.post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 404
    assert ApiClient(secret).get("/papers").status_code == 200


def test_last_used_is_recorded_at_most_once_a_minute(user: User) -> None:
    token, secret = tokens.create_token(user, "poller", "read")
    api = ApiClient(secret)
    with time_machine.travel("2026-03-02 10:00:00Z", tick=False):
        api.get("/papers")
        token.refresh_from_db()
        first = token.last_used_at
        assert first is not None
    with time_machine.travel("2026-03-02 10:00:30Z", tick=False):
        api.get("/papers")
        token.refresh_from_db()
        assert token.last_used_at == first
    with time_machine.travel("2026-03-02 10:02:00Z", tick=False):
        api.get("/papers")
        token.refresh_from_db()
        assert token.last_used_at > first


def test_at_most_twenty_active_tokens(user: User, client_logged_in: Client) -> None:
    for i in range(20):
        tokens.create_token(user, f"t{i}", "read")
    response = client_logged_in.post("/account/api-tokens/", {"name": "one more", "scope": "read"})
    assert response.status_code == 422
    assert ApiToken.objects.count() == 20
