"""The account archive through the API: start a build, then poll it.

The ZIP itself is downloaded through the signed link in a browser session, as from
Settings (the link needs the owner's session: a token alone cannot fetch the archive).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from tracker.api.common import user_of
from tracker.archive.models import ArchiveExport, ExportStatus
from tracker.archive.tasks import start_export
from tracker.archive.views import download_url

router = Router(tags=["archive"])


class ArchiveOut(Schema):
    id: int
    status: str
    progress: int
    created_at: dt.datetime
    finished_at: dt.datetime | None
    size: int | None
    download_url: str | None
    error: str


def _out(request: HttpRequest, job: ArchiveExport) -> dict[str, Any]:
    link = None
    if job.status == ExportStatus.DONE:
        link = request.build_absolute_uri(download_url(job))
    return {
        "id": job.pk,
        "status": job.status,
        "progress": job.progress,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "size": job.size,
        "download_url": link,
        "error": job.error,
    }


@router.post(
    "/archive",
    response={202: ArchiveOut},
    summary="Build an archive of everything you own (one at a time; poll GET /archive)",
)
def start(request: HttpRequest) -> Status[dict[str, Any]]:
    return Status(202, _out(request, start_export(user_of(request))))


@router.get(
    "/archive",
    response={200: ArchiveOut, 404: dict[str, str]},
    summary="Your latest archive: its progress and, once built, its download link",
)
def latest(request: HttpRequest) -> Status[dict[str, Any]]:
    job = ArchiveExport.objects.owned_by(user_of(request)).first()
    if job is None:
        return Status(404, {"detail": "No archive yet: POST /archive builds one."})
    return Status(200, _out(request, job))
