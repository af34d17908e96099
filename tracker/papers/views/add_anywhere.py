"""Add a paper from any page: ``GET /papers/add/?q=<url or id>`` (bookmarklet, share target).

GET only shows what would be added (metadata looked up, nothing written: S3); the page's
"Add" button POSTs to the quick-add view, which applies the same look-up and duplicate
rules. The address is parsed for an identifier and never fetched (S7).
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accounts.http import AuthedRequest
from tracker.papers import identifiers, services
from tracker.papers.forms import MarkReadForm, PaperForm, QuickAddForm
from tracker.papers.lookup import LookupFailure, Metadata, MetadataClient
from tracker.papers.models import Paper, Status
from tracker.papers.views import library

CONFIRM = "papers/add_confirm.html"
_FIRST_URL = re.compile(r"https?://\S+", re.IGNORECASE)


def shared_text(get: Any) -> str:
    """What to add from the query: ``q`` (the bookmarklet), else the share target's
    ``url``, else the first link in its ``text`` (Android shares put it there), else the
    text or title itself."""
    for name in ("q", "url"):
        if value := (get.get(name) or "").strip():
            return str(value)
    text = (get.get("text") or "").strip()
    if m := _FIRST_URL.search(text):
        return m.group(0)
    return str(text or (get.get("title") or "").strip())


@login_required
@require_http_methods(["GET", "POST"])
def add(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        return library.quick_add(request)
    q = shared_text(request.GET)
    if not q:
        return render(request, "papers/quick_add.html", {"quick_add_form": QuickAddForm()})
    return confirm(request, q)


def _existing(user: Any, parsed: identifiers.Parsed) -> Paper | None:
    if isinstance(parsed, identifiers.ArxivId):
        return services.find_duplicate(user, arxiv_id=parsed.id)
    if isinstance(parsed, identifiers.Doi):
        return services.find_duplicate(user, doi=parsed.doi)
    return None


def _look_up(parsed: identifiers.Parsed) -> Metadata | LookupFailure:
    if isinstance(parsed, identifiers.ArxivId | identifiers.Doi):
        return MetadataClient().lookup(parsed)
    if isinstance(parsed, identifiers.Title):
        return MetadataClient().lookup(parsed.text)
    return LookupFailure("this kind of link is not looked up", "skipped")


def confirm(request: AuthedRequest, q: str) -> HttpResponse:
    """The confirm page: the looked-up paper and "Add", or "already in your library"."""
    user = request.user
    form = QuickAddForm({"q": q[: identifiers.MAX_INPUT]})
    context: dict[str, Any] = {"q": q, "quick_add_form": form}
    if not form.is_valid():
        return render(request, CONFIRM, context, status=422)
    parsed = form.cleaned_data["q"]
    existing = _existing(user, parsed)
    if existing is None:
        result = _look_up(parsed)
        if isinstance(result, Metadata):
            existing = services.find_duplicate(user, result.arxiv_id, result.doi)
            context["found"] = result
        else:
            context["failure"] = result
            context["prefill_form"] = PaperForm(initial=library.prefill_values(parsed), owner=user)
    if existing is not None:
        context = {"q": q, "existing": existing}
        if existing.status != Status.READ:
            context["mark_read_form"] = MarkReadForm(owner=user, paper=existing)
    return render(request, CONFIRM, context)
