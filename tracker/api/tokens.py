"""Creating, checking and revoking personal API tokens.

The secret exists in clear only in the response that creates it; everything else sees
its digest. Nothing here logs a secret (a test checks the log output).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from tracker.api.models import ApiToken, Scope

if TYPE_CHECKING:
    from accounts.models import User

PREFIX = "ps_"
# last_used_at is written at most this often per token: a script polling the API must not
# turn every read into a write.
TOUCH_EVERY = dt.timedelta(minutes=1)
MAX_SECRET = 200


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(owner: User, name: str, scope: str = Scope.READ) -> tuple[ApiToken, str]:
    """A new token and its secret, which the caller shows once and forgets."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        owner=owner, name=name, scope=scope, prefix=secret[:10], digest=digest(secret)
    )
    return token, secret


def authenticate(secret: str) -> ApiToken | None:
    """The active token with this secret (its owner loaded), else None."""
    if not secret.startswith(PREFIX) or len(secret) > MAX_SECRET:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("owner")
        .filter(digest=digest(secret), owner__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - TOUCH_EVERY:
        # Conditional, so two concurrent requests write once and neither waits on a lock.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOUCH_EVERY)
        ).update(last_used_at=now)
        token.last_used_at = now
    return token


def revoke(token: ApiToken) -> None:
    """Revoke at once (P2): the next request with it is 401."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
