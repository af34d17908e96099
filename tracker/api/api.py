"""The REST API at /api/v1/ (django-ninja): one NinjaAPI, one router per area.

Every operation needs a token or a session (tracker/api/auth.py); every 422 has one shape
(tracker/api/errors.py). The OpenAPI schema is at /api/v1/openapi.json, the docs page
at /api/v1/docs (Swagger UI from ninja's own static files, no CDN).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from tracker.api import errors
from tracker.api.auth import AUTH, RateLimited
from tracker.api.endpoints import archive, papers, progress, work

api = NinjaAPI(
    title="Paperstreak API",
    version="1",
    description=(
        "Send `Authorization: Bearer <token>` (Settings → API tokens). Dates are ISO 8601 "
        "in your own timezone; instants are UTC. Errors: 401 no or revoked token, 403 a "
        "read-only token writing, 404 not yours, 422 invalid input with `errors` by field, "
        "429 too many requests."
    ),
    urls_namespace="api-v1",
    auth=AUTH,
)
api.add_router("", papers.router)
api.add_router("", work.router)
api.add_router("", progress.router)
api.add_router("", archive.router)


@api.exception_handler(errors.Invalid)
def on_invalid(request: HttpRequest, exc: errors.Invalid) -> HttpResponse:
    return api.create_response(request, errors.body(exc.errors), status=422)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, errors.body(errors.from_pydantic(exc.errors)), status=422)


@api.exception_handler(RateLimited)
def on_rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = api.create_response(
        request, {"detail": "Too many requests with this token; slow down."}, status=429
    )
    response["Retry-After"] = str(exc.retry_after)
    return response
