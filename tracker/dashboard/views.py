from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tracker.dashboard.cache import PAGE, html_name, render_cards
from tracker.dashboard.queries import CARDS, Dashboard


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "landing.html")
    dash = Dashboard(request.user)
    cards = render_cards(request, dash, list(CARDS))
    return render(request, PAGE, {"dash": dash, "card_html": cards})


@login_required
@require_GET
def card(request: Any, name: str) -> HttpResponse:
    """One card, for htmx refreshes (and as a plain page fragment without JS)."""
    if name not in CARDS:
        raise Http404("No such card")
    dash = Dashboard(request.user)
    return HttpResponse(render_cards(request, dash, [name])[html_name(name)])
