from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from tracker.dashboard.queries import CARDS, Dashboard, context_for

PAGE = "dashboard/home.html"


@require_GET
@vary_on_headers("HX-Request")
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "landing.html")
    dash = Dashboard(request.user)
    return render(request, PAGE, context_for(dash, list(CARDS)))


@login_required
@require_GET
@vary_on_headers("HX-Request")
def card(request: Any, name: str) -> HttpResponse:
    """One card, for htmx refreshes (and as a plain page fragment without JS)."""
    if name not in CARDS:
        raise Http404("No such card")
    dash = Dashboard(request.user)
    return render(request, f"{PAGE}#{name}", context_for(dash, [name]))
