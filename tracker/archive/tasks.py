"""Celery tasks of the archive app. Arguments are ids; every task is safe to run twice."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from pathlib import Path
from typing import Any

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from tracker.archive import export
from tracker.archive.models import ArchiveExport, ArchiveImport, ExportStatus

logger = logging.getLogger(__name__)


def archive_path(filename: str) -> Path:
    return Path(settings.ARCHIVE_DIR) / filename


@shared_task(name="archive.build_archive", acks_late=True)
def build_archive(export_id: int) -> None:
    """Build the ZIP of a queued export. Claimed queued → running with a conditional UPDATE,
    so a second delivery of the message finds nothing to do."""
    if not ArchiveExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING
    ):
        logger.info("archive %s is not queued (gone or claimed); nothing to do", export_id)
        return
    job = ArchiveExport.objects.select_related("owner").get(pk=export_id)
    filename = f"paperstreak-{job.pk}-{secrets.token_hex(8)}.zip"
    path = archive_path(filename)
    path.parent.mkdir(parents=True, exist_ok=True)

    def progress(percent: int) -> None:
        ArchiveExport.objects.filter(pk=job.pk).update(progress=percent)

    try:
        export.write_zip(job.owner, path, progress)
    except Exception as exc:
        path.unlink(missing_ok=True)
        logger.exception("archive %s failed", job.pk)
        ArchiveExport.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED,
            error=f"Building the archive failed ({type(exc).__name__}). Try again.",
            finished_at=timezone.now(),
        )
        return
    ArchiveExport.objects.filter(pk=job.pk).update(
        status=ExportStatus.DONE,
        progress=100,
        filename=filename,
        size=path.stat().st_size,
        finished_at=timezone.now(),
    )


def start_export(user: Any) -> ArchiveExport:
    """The user's archive being built, or a new one queued (built after the commit).

    One build at a time per user: while one is queued or running, asking again returns it.
    """
    job = ArchiveExport.objects.owned_by(user).first()
    if job is None or not job.in_progress:
        job = ArchiveExport.objects.create(owner=user)
        build_archive.delay_on_commit(job.pk)
    return job


@shared_task(name="archive.delete_old_archives", acks_late=True)
def delete_old_archives() -> int:
    """Housekeeping (hourly beat entry): delete archives older than ARCHIVE_MAX_AGE_HOURS,
    file and row, and uploads never confirmed in that time. Returns how many archives
    were deleted."""
    cutoff = timezone.now() - dt.timedelta(hours=settings.ARCHIVE_MAX_AGE_HOURS)
    old = list(ArchiveExport.objects.filter(created_at__lt=cutoff))
    for job in old:
        if job.filename:
            archive_path(job.filename).unlink(missing_ok=True)
    ArchiveExport.objects.filter(pk__in=[j.pk for j in old]).delete()
    ArchiveImport.objects.filter(created_at__lt=cutoff).delete()
    return len(old)
