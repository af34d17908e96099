"""BibTeX import (upload, preview, confirm, progress) and BibTeX/CSV export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.db.models import Prefetch, Sum
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from accounts.http import AuthedRequest
from tracker import events
from tracker.papers import bibtex, export, imports
from tracker.papers.forms import ImportForm
from tracker.papers.models import ImportStatus, Paper, PendingImport, Topic
from tracker.papers.tasks import queue_import
from tracker.papers.views.common import logged, posted

PREVIEW_ROWS = 200  # rows shown per preview table; the counts cover the whole file


def _import_url(name: str, pending: PendingImport) -> str:
    return reverse(f"papers:{name}", args=[pending.pk])


def _go(request: AuthedRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: AuthedRequest) -> HttpResponse:
    form = ImportForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # Parsed and planned once, here; the preview and the import reuse the plan.
            pending = imports.stage_import(
                request.user, upload.name or "", upload.read(bibtex.MAX_BYTES + 1)
            )
        except (bibtex.BibtexError, imports.ImportRefused) as exc:
            form.add_error("file", str(exc))
        else:
            return _go(request, _import_url("import_preview", pending))
    template = "papers/import.html" + ("#import-form" if request.htmx else "")
    return render(request, template, {"form": form}, status=422 if form.errors else 200)


@login_required
@require_GET
def import_preview(request: AuthedRequest, pk: int) -> HttpResponse:
    pending = get_object_or_404(PendingImport, pk=pk, owner=request.user)
    if pending.status != ImportStatus.PLANNED:
        return _go(request, _import_url("import_progress", pending))
    plan = imports.stored_plan(pending)
    context = {
        "pending": pending,
        "plan": plan,
        "rows": PREVIEW_ROWS,
        "row_slice": f":{PREVIEW_ROWS}",
        "in_worker": pending.to_create >= imports.LARGE_IMPORT,
    }
    template = "papers/import_preview.html" + ("#import-preview" if request.htmx else "")
    return render(request, template, context)


@login_required
@require_POST
def import_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    pending = get_object_or_404(
        PendingImport.objects.defer("plan", "content"), pk=pk, owner=request.user
    )
    progress_url = _import_url("import_progress", pending)
    if pending.to_create >= imports.LARGE_IMPORT or pending.status != ImportStatus.PLANNED:
        # Large imports run in the worker; a second submit (or a stale queue) lands here too.
        queue_import(pending)
        return _go(request, progress_url)
    try:
        result = imports.execute_import(
            pending.pk, claim_from=ImportStatus.PLANNED, delete_after=True
        )
    except imports.ImportRefused as exc:
        messages.error(request, str(exc))
        return _go(request, reverse("papers:import"))
    except IntegrityError:
        # A paper with the same arXiv ID or DOI was added meanwhile; the plan is kept.
        messages.error(
            request,
            "Your library changed while importing, so nothing was imported; "
            "confirm again to import the rest.",
        )
        return _go(request, _import_url("import_preview", pending))
    if result is None:  # a parallel submit claimed it first
        return _go(request, reverse("papers:library"))
    messages.success(
        request,
        f"Imported {result.created} paper{'s' if result.created != 1 else ''}; "
        f"{result.duplicates} duplicate, {result.rejected} rejected.",
    )
    url = reverse("papers:library")
    if request.htmx:
        return logged(HttpResponseClientRedirect(url))
    return HttpResponseRedirect(url)


def _progress_context(pending: PendingImport) -> dict[str, Any]:
    progress = imports.import_progress(pending.pk) if pending.in_progress else None
    return {
        "pending": pending,
        "progress": progress,
        "can_requeue": imports.can_requeue(pending),
    }


@login_required
@require_GET
def import_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    """Where a worker import is shown; its htmx partial polls itself until the import ends."""
    pending = get_object_or_404(
        PendingImport.objects.defer("plan", "content"), pk=pk, owner=request.user
    )
    template = "papers/import_progress.html" + ("#import-progress" if request.htmx else "")
    response = render(request, template, _progress_context(pending))
    if request.htmx and pending.status == ImportStatus.DONE:
        trigger_client_event(response, events.PAPER_LOGGED)
    return response


def _export_papers(request: AuthedRequest) -> list[dict[str, Any]]:
    papers = (
        Paper.objects.owned_by(request.user)
        .annotate(total_minutes=Sum("sessions__minutes"))
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
        .order_by("added_on", "pk")
    )
    return [p.as_export() for p in papers]


@login_required
@require_GET
def export_bibtex(request: AuthedRequest) -> HttpResponse:
    response = HttpResponse(
        bibtex.write_bibtex(_export_papers(request)), content_type="application/x-bibtex"
    )
    response["Content-Disposition"] = 'attachment; filename="paperstreak.bib"'
    return response


@login_required
@require_GET
def export_csv(request: AuthedRequest) -> HttpResponse:
    response = HttpResponse(
        export.write_csv(_export_papers(request)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="paperstreak.csv"'
    return response
