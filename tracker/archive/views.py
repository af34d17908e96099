"""Settings → "Download everything" and "Import an archive"."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db import DatabaseError, transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthedRequest
from tracker.archive.forms import ArchiveUploadForm
from tracker.archive.importer import apply_plan, plan_import
from tracker.archive.models import ArchiveExport, ArchiveImport, ExportStatus
from tracker.archive.tasks import archive_path, start_export

SALT = "paperstreak.archive.download"


def download_url(job: ArchiveExport) -> str:
    """A signed link, valid ARCHIVE_MAX_AGE_HOURS; the view also needs the owner's session."""
    token = signing.TimestampSigner(salt=SALT).sign(str(job.pk))
    return reverse("archive:download", args=[token])


def _section(request: AuthedRequest, status: int = 200) -> HttpResponse:
    job = ArchiveExport.objects.owned_by(request.user).first()
    template = "archive/export.html" + ("#archive-export" if request.htmx else "")
    return render(
        request,
        template,
        {"job": job, "download_url": download_url(job) if job and job.status == "done" else ""},
        status=status,
    )


@login_required
@require_POST
def export_start(request: AuthedRequest) -> HttpResponse:
    start_export(request.user)
    if not request.htmx:
        return redirect("accounts:settings")
    return _section(request)


@login_required
@require_GET
def export_status(request: AuthedRequest) -> HttpResponse:
    """The export section alone, polled by htmx while the archive is being built."""
    return _section(request)


@login_required
@require_GET
def download(request: AuthedRequest, token: str) -> FileResponse:
    max_age = settings.ARCHIVE_MAX_AGE_HOURS * 3600
    try:
        pk = int(signing.TimestampSigner(salt=SALT).unsign(token, max_age=max_age))
    except (signing.BadSignature, ValueError) as exc:
        raise Http404("This download link is not valid or has expired.") from exc
    job = get_object_or_404(
        ArchiveExport.objects.owned_by(request.user), pk=pk, status=ExportStatus.DONE
    )
    path = archive_path(job.filename)
    if not job.filename or not path.exists():
        raise Http404("This archive has been deleted.")
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"paperstreak-{job.created_at:%Y-%m-%d}.zip",
        content_type="application/zip",
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: AuthedRequest) -> HttpResponse:
    form = ArchiveUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        pending = ArchiveImport.objects.create(
            owner=request.user, document=form.cleaned_data["archive"]
        )
        return redirect("archive:import_preview", pk=pending.pk)
    return render(
        request, "archive/import.html", {"form": form}, status=422 if form.errors else 200
    )


@login_required
@require_GET
def import_preview(request: AuthedRequest, pk: int) -> HttpResponse:
    pending = get_object_or_404(ArchiveImport.objects.owned_by(request.user), pk=pk)
    plan = plan_import(pending.document, request.user)
    return render(request, "archive/import_preview.html", {"pending": pending, "plan": plan})


@login_required
@require_POST
def import_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    pending = get_object_or_404(ArchiveImport.objects.owned_by(request.user), pk=pk)
    plan = plan_import(pending.document, request.user)
    try:
        with transaction.atomic():
            created = apply_plan(plan, request.user)
            pending.delete()
    except DatabaseError:
        plan_context = {"pending": pending, "plan": plan}
        plan_context["error"] = (
            "The archive conflicts with what is in your account; nothing was imported."
        )
        return render(request, "archive/import_preview.html", plan_context, status=422)
    messages.success(request, f"Imported {created} rows from the archive.")
    return redirect("dashboard:home")
