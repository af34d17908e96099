from __future__ import annotations

import io

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from accounts.models import User
from tests.papers.factories import PaperFactory
from tracker.archive.export import write_zip
from tracker.archive.models import ArchiveExport, ArchiveImport
from tracker.archive.tasks import archive_path, build_archive, delete_old_archives
from tracker.archive.views import download_url
from tracker.papers.models import Paper


@pytest.mark.django_db
def test_export_is_queued_on_commit_built_and_downloadable(
    client_logged_in: Client,
    user: User,
    htmx: dict[str, str],
    django_capture_on_commit_callbacks,
    settings,
    tmp_path,
) -> None:
    settings.ARCHIVE_DIR = tmp_path
    PaperFactory(owner=user, title="Kept")
    from unittest import mock

    with (
        mock.patch.object(build_archive, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_logged_in.post(reverse("archive:export"), **htmx)
    assert response.status_code == 200
    job = ArchiveExport.objects.get(owner=user)
    delay.assert_called_once_with(job.pk)
    assert b"<progress" in response.content and b"every 1s" in response.content
    build_archive(job.pk)
    build_archive(job.pk)  # a second delivery does nothing
    job.refresh_from_db()
    assert job.status == "done" and job.progress == 100
    status = client_logged_in.get(reverse("archive:export_status"), **htmx)
    assert b"every 1s" not in status.content and b"download it" in status.content
    response = client_logged_in.get(download_url(job))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content)[:2] == b"PK"


@pytest.mark.django_db
def test_download_link_needs_the_owners_session_and_expires(
    user: User, other_client: Client, client_logged_in: Client, settings, tmp_path
) -> None:
    settings.ARCHIVE_DIR = tmp_path
    job = ArchiveExport.objects.create(owner=user)
    build_archive(job.pk)
    job.refresh_from_db()
    url = download_url(job)
    assert other_client.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page
    tampered = url.replace(":", ";", 1)
    assert client_logged_in.get(tampered).status_code == 404
    with time_machine.travel(job.created_at + __import__("datetime").timedelta(hours=25)):
        assert client_logged_in.get(url).status_code == 404


@pytest.mark.django_db
def test_housekeeping_deletes_archives_older_than_a_day(user: User, settings, tmp_path) -> None:
    import datetime as dt

    settings.ARCHIVE_DIR = tmp_path
    old = ArchiveExport.objects.create(owner=user)
    build_archive(old.pk)
    old.refresh_from_db()
    ArchiveExport.objects.filter(pk=old.pk).update(
        created_at=old.created_at - dt.timedelta(hours=25)
    )
    new = ArchiveExport.objects.create(owner=user)
    stale = ArchiveImport.objects.create(owner=user, document={})
    ArchiveImport.objects.filter(pk=stale.pk).update(
        created_at=stale.created_at - dt.timedelta(hours=25)
    )
    fresh = ArchiveImport.objects.create(owner=user, document={})
    assert delete_old_archives() == 1
    assert list(ArchiveImport.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not archive_path(old.filename).exists()
    assert list(ArchiveExport.objects.values_list("pk", flat=True)) == [new.pk]
    assert delete_old_archives() == 0


def test_housekeeping_is_a_static_beat_entry() -> None:
    from django.conf import settings

    from tracker.celery import app

    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if "archive" in str(e["task"])]
    assert [e["task"] for e in entries] == ["archive.delete_old_archives"]
    assert "archive.delete_old_archives" in app.tasks


@pytest.mark.django_db
def test_import_upload_preview_confirm(
    client_logged_in: Client, user: User, other_user: User
) -> None:
    PaperFactory(owner=other_user, title="From elsewhere")
    buffer = io.BytesIO()
    write_zip(other_user, buffer)
    buffer.seek(0)
    buffer.name = "a.zip"
    response = client_logged_in.post(reverse("archive:import"), {"archive": buffer})
    assert response.status_code == 302
    pending = ArchiveImport.objects.get(owner=user)
    preview = client_logged_in.get(response["Location"])
    assert preview.status_code == 200 and b"1 row to create" in preview.content
    assert not Paper.objects.filter(owner=user).exists()  # GET writes nothing
    confirm = client_logged_in.post(reverse("archive:import_confirm", args=[pending.pk]))
    assert confirm.status_code == 302
    assert list(Paper.objects.filter(owner=user).values_list("title", flat=True)) == [
        "From elsewhere"
    ]
    assert not ArchiveImport.objects.filter(pk=pending.pk).exists()


@pytest.mark.django_db
def test_bad_upload_is_422_with_the_message(client_logged_in: Client, user: User) -> None:
    bad = io.BytesIO(b"PK\x03\x04 truncated")
    bad.name = "bad.zip"
    response = client_logged_in.post(reverse("archive:import"), {"archive": bad})
    assert response.status_code == 422
    assert b"damaged or truncated" in response.content
    assert not ArchiveImport.objects.exists()


class TestImportFormFuzz(HypothesisTestCase):
    @hsettings(max_examples=40, deadline=None)
    @given(st.binary(max_size=400), st.text(max_size=30))
    def test_no_upload_answers_500(self, data: bytes, name: str) -> None:
        user = User.objects.create_user(email=f"f{User.objects.count()}@example.com")
        client = Client()
        client.force_login(user)
        upload = io.BytesIO(data)
        upload.name = (name.replace("\x00", "") or "x") + ".zip"
        response = client.post(reverse("archive:import"), {"archive": upload})
        assert response.status_code in (302, 422)
        assert not Paper.objects.filter(owner=user).exists()
