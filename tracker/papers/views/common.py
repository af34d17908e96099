"""Helpers the papers views share."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django_htmx.http import trigger_client_event

from accounts.http import AuthedRequest
from tracker import events
from tracker.papers.models import Status

PAGE_SIZE = 25


def posted(request: AuthedRequest) -> Any:
    """POST data when posted (an empty POST still binds the form, so it shows errors)."""
    return request.POST if request.method == "POST" else None


def logged(response: HttpResponse, event: str = events.PAPER_LOGGED) -> HttpResponse:
    trigger_client_event(response, event)
    return response


def row_context(request: AuthedRequest) -> dict[str, Any]:
    # Reversed once per page, not once per row: rows are the bulk of the page's cost.
    return {
        "statuses": Status.choices,
        "topics_url": reverse("papers:topics"),
        "next_url": request.get_full_path() if request.method == "GET" else "",
    }
