"""How an API request is authenticated: a Bearer token, or the browser session.

A token request needs no CSRF token (nothing a browser sends on its own carries it); a
session request to the API is CSRF-checked like any form post (P3). A token's scope is
enforced here, before any endpoint runs: a read-only token writing is 403.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer

from tracker.api import ratelimit, tokens

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = tokens.authenticate(token)
        if found is None:
            # A bad or revoked token is 401 at once, not a fall-through to the session.
            raise AuthenticationError()
        allowed, retry_after = ratelimit.hit(str(found.pk))
        if not allowed:
            raise RateLimited(retry_after)
        if request.method not in SAFE_METHODS and not found.can_write:
            raise HttpError(403, "This token is read-only; create a read and write token.")
        # The owner is the request's user from here on, so the DataVersionMiddleware bumps
        # their caches after a write exactly as for a browser request.
        request.user = found.owner
        request.api_token = found  # type: ignore[attr-defined]
        return found.owner


class SessionAuth(APIKeyCookie):
    """The logged-in browser session, CSRF-checked on unsafe methods."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        # Not logged in: no CSRF verdict, just "not this scheme" (so no token → 401, not 403).
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user


AUTH = [TokenAuth(), SessionAuth()]
