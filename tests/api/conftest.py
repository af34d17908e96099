from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from tests.papers.conftest import fake_apis  # noqa: F401 (the recorded arXiv/Crossref server)
from tracker.api import tokens
from tracker.api.models import Scope


class ApiClient:
    """A test client that sends one token on every request (no session, CSRF enforced)."""

    def __init__(self, secret: str | None) -> None:
        self.client = Client(enforce_csrf_checks=True)
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}

    def get(self, path: str, data: dict | None = None):
        return self.client.get("/api/v1" + path, data, **self.headers)

    def _send(self, method: str, path: str, json: object | None):
        return getattr(self.client, method)(
            "/api/v1" + path, json or {}, content_type="application/json", **self.headers
        )

    def post(self, path: str, json: object | None = None):
        return self._send("post", path, json)

    def patch(self, path: str, json: object | None = None):
        return self._send("patch", path, json)

    def put(self, path: str, json: object | None = None):
        return self._send("put", path, json)

    def delete(self, path: str, json: object | None = None):
        return self._send("delete", path, json)


@pytest.fixture
def write_secret(user: User) -> str:
    return tokens.create_token(user, "script", Scope.WRITE)[1]


@pytest.fixture
def read_secret(user: User) -> str:
    return tokens.create_token(user, "reader", Scope.READ)[1]


@pytest.fixture
def api(write_secret: str) -> ApiClient:
    return ApiClient(write_secret)


@pytest.fixture
def read_api(read_secret: str) -> ApiClient:
    return ApiClient(read_secret)


@pytest.fixture
def other_api(other_user: User) -> ApiClient:
    return ApiClient(tokens.create_token(other_user, "mallory", Scope.WRITE)[1])
