"""401 / 403 / CSRF / rate limit of the API (P2, P3)."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from tests.api.conftest import ApiClient
from tests.papers.factories import PaperFactory
from tracker.api import tokens
from tracker.api.models import ApiToken


def test_no_token_is_401(db: None) -> None:
    response = ApiClient(None).get("/papers")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_post_without_token_is_401_not_a_csrf_403(db: None) -> None:
    assert ApiClient(None).post("/papers", {"q": "x"}).status_code == 401


@pytest.mark.parametrize("secret", ["ps_wrong", "not-ours", "", "ps_" + "a" * 500])
def test_unknown_token_is_401(db: None, secret: str) -> None:
    client = Client()
    response = client.get("/api/v1/papers", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401


def test_revoked_token_is_401(user: User, write_secret: str, api: ApiClient) -> None:
    tokens.revoke(ApiToken.objects.get(owner=user, scope="write"))
    assert api.get("/papers").status_code == 401
    assert api.post("/papers", {"q": "1706.03762"}).status_code == 401


def test_inactive_user_token_is_401(user: User, api: ApiClient) -> None:
    user.is_active = False
    user.save()
    assert api.get("/papers").status_code == 401


def test_read_only_token_can_read_but_not_write(user: User, read_api: ApiClient) -> None:
    paper = PaperFactory(owner=user)
    assert read_api.get(f"/papers/{paper.pk}").status_code == 200
    for response in (
        read_api.post("/papers", {"q": "Some title"}),
        read_api.patch(f"/papers/{paper.pk}", {"status": "read"}),
        read_api.post(f"/papers/{paper.pk}/read", {}),
        read_api.post(f"/papers/{paper.pk}/sessions", {"minutes": 10}),
        read_api.post("/topics", {"name": "rl"}),
    ):
        assert response.status_code == 403, response.content
    paper.refresh_from_db()
    assert paper.status == "to_read"
    assert user.papers.count() == 1


def test_token_requests_need_no_csrf(user: User, api: ApiClient) -> None:
    # ApiClient enforces CSRF checks and sends no CSRF cookie or header.
    response = api.post("/topics", {"name": "vision"})
    assert response.status_code == 201
    assert user.topics.get().name == "vision"


def test_session_requests_to_the_api_still_need_csrf(user: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get("/api/v1/papers").status_code == 200  # reads need no token
    response = client.post("/api/v1/topics", {"name": "rl"}, content_type="application/json")
    assert response.status_code == 403
    assert not user.topics.exists()
    # With the CSRF cookie and header, as a page's script would send them.
    client.get("/account/settings/")
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/topics", {"name": "rl"}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert response.status_code == 201


def test_rate_limit_per_token(user: User, settings: object, read_secret: str) -> None:
    settings.API_RATE_LIMIT = "3/m"  # type: ignore[attr-defined]
    api = ApiClient(read_secret)
    other = ApiClient(tokens.create_token(user, "second", "read")[1])
    assert [api.get("/topics").status_code for _ in range(3)] == [200, 200, 200]
    response = api.get("/topics")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert other.get("/topics").status_code == 200  # per token, not per user


def test_api_write_refreshes_the_dashboard_cache(user: User, api: ApiClient, settings) -> None:
    from accounts.activity import data_version

    before = data_version(user.pk)
    assert api.post("/topics", {"name": "nlp"}).status_code == 201
    assert data_version(user.pk) != before
