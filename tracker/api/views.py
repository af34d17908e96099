"""Settings → API tokens: list, create (the secret shown once), revoke."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthedRequest
from tracker.api import tokens
from tracker.api.forms import TokenForm
from tracker.api.models import ApiToken

PAGE = "api/tokens.html"


def _render(
    request: AuthedRequest, form: TokenForm, extra: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "token_form": form,
        "tokens": ApiToken.objects.owned_by(request.user).active(),
        **(extra or {}),
    }
    template = PAGE + ("#api-tokens" if request.htmx else "")
    response = render(request, template, context, status=status)
    # The page that shows a new secret must not sit in any cache.
    add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: AuthedRequest) -> HttpResponse:
    form = TokenForm(request.POST if request.method == "POST" else None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        token, secret = tokens.create_token(
            request.user, form.cleaned_data["name"], form.cleaned_data["scope"]
        )
        # Rendered, not redirected: the secret is in this response and nowhere else.
        return _render(
            request, TokenForm(owner=request.user), {"new_token": token, "secret": secret}
        )
    return _render(request, form, status=422 if form.errors else 200)


@login_required
@require_POST
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, owner=request.user)
    tokens.revoke(token)
    if not request.htmx:
        return redirect("api:tokens")
    return _render(request, TokenForm(owner=request.user), {"revoked": token})


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: installable, and a share target so a phone can share a link."""
    data = {
        "name": "Paperstreak",
        "short_name": "Paperstreak",
        "start_url": reverse("dashboard:home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f4e79",
        "icons": [
            {"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
        "share_target": {
            "action": reverse("papers:quick_add"),
            "method": "GET",
            "params": {"title": "title", "text": "text", "url": "url"},
        },
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response
