"""Celery tasks of the papers app. Arguments are ids; every task is safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from tracker.papers import imports
from tracker.papers.bibtex import BibtexError
from tracker.papers.models import ImportStatus, PendingImport

logger = logging.getLogger(__name__)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, imports.ImportRefused | BibtexError):
        return str(exc)
    if isinstance(exc, SoftTimeLimitExceeded):
        return "The import took too long and was stopped; nothing was imported."
    return (
        f"The import failed ({type(exc).__name__}); nothing was imported. "
        "Upload the file again to retry."
    )


@shared_task(name="papers.run_import", acks_late=True)
def run_import(pending_id: int) -> None:
    """Import a confirmed (queued) BibTeX upload: every new paper or none.

    Safe to run twice: ``imports.execute_import`` claims the row with a conditional
    UPDATE inside the import's own transaction, so a second run finds it no longer
    queued and returns. A failure rolls the papers back and records the reason on the
    import (status failed, shown on its progress page); it is not retried on its own,
    since a refused or broken plan would fail the same way again.
    """
    # Counted outside the import's transaction, so it survives a worker killed mid-import:
    # acks_late redelivers that message, and this bound stops it coming back forever.
    counted = PendingImport.objects.filter(pk=pending_id, status=ImportStatus.QUEUED).update(
        attempts=F("attempts") + 1
    )
    if not counted:
        logger.info("import %s is not queued (done, failed or deleted); nothing to do", pending_id)
        return
    attempts = PendingImport.objects.filter(pk=pending_id).values_list("attempts", flat=True)
    if (attempts.first() or 0) > imports.MAX_IMPORT_ATTEMPTS:
        logger.error("import %s gave up after %s attempts", pending_id, attempts.first())
        imports.fail_import(
            pending_id,
            f"The import was interrupted {imports.MAX_IMPORT_ATTEMPTS} times and was "
            "stopped; nothing was imported. Upload the file again to retry.",
        )
        return
    try:
        result = imports.execute_import(
            pending_id,
            claim_from=ImportStatus.QUEUED,
            progress=imports.report_progress(pending_id),
        )
    except Exception as exc:  # every failure must end on the row, never only in a log
        logger.exception("import %s failed", pending_id)
        imports.fail_import(pending_id, _reason(exc))
        return
    if result is None:
        logger.info("import %s was claimed by another run", pending_id)
    else:
        logger.info("import %s created %s papers", pending_id, result.created)


# Here, beside the task it queues, so imports.py never imports this module (no circle).
def queue_import(pending: PendingImport) -> bool:
    """Hand a confirmed import to the worker; False when it was already confirmed.

    An import still queued after STALE_QUEUE (its message lost, or no worker was up) is
    enqueued again: the task claims the row, so a duplicate message does nothing.
    """
    now = timezone.now()
    stale = Q(status=ImportStatus.QUEUED, queued_at__lt=now - imports.STALE_QUEUE)
    with transaction.atomic():
        moved = (
            PendingImport.objects.filter(pk=pending.pk)
            .filter(Q(status=ImportStatus.PLANNED) | stale)
            .update(status=ImportStatus.QUEUED, queued_at=now, error="")
        )
        if moved:
            cache.delete(imports.progress_key(pending.pk))
            run_import.delay_on_commit(pending.pk)
    return bool(moved)
