"""Helpers the endpoint modules share."""

from __future__ import annotations

from typing import Any, cast

from django.db import models
from django.http import Http404, HttpRequest

from accounts.models import User
from tracker.forms import MAX_PK


def user_of(request: HttpRequest) -> User:
    """The authenticated user (token owner or session user)."""
    return cast(User, request.auth)  # type: ignore[attr-defined]


def owned[M: models.Model](queryset: models.QuerySet[M], pk: int, user: User) -> M:
    """The user's object with this id, else 404 (someone else's object included)."""
    if not 1 <= pk <= MAX_PK:
        raise Http404
    lookup = getattr(queryset, "owner_lookup", "owner")
    obj = queryset.filter(pk=pk, **{lookup: user}).first()
    if obj is None:
        raise Http404
    return obj


def form_data(values: dict[str, Any]) -> dict[str, Any]:
    """Schema values as form data: None means empty, so the form's own rules apply."""
    return {k: "" if v is None else v for k, v in values.items()}
