"""The archive export trigger of the API: POST /archive queues one build, GET /archive polls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accounts.models import User
from tests.api.conftest import ApiClient
from tracker.archive.models import ArchiveExport
from tracker.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_no_archive_yet_is_404(api: ApiClient) -> None:
    response = api.get("/archive")
    assert response.status_code == 404
    assert "POST /archive" in response.json()["detail"]


def test_post_builds_the_archive_and_get_gives_its_link(
    user: User,
    api: ApiClient,
    settings: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.ARCHIVE_DIR = tmp_path
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    with django_capture_on_commit_callbacks(execute=True):
        started = api.post("/archive")
    assert started.status_code == 202
    assert started.json()["status"] == "queued"
    body = api.get("/archive").json()
    assert body["status"] == "done" and body["progress"] == 100
    assert body["download_url"].startswith("http://testserver/account/archive/")
    assert ArchiveExport.objects.filter(owner=user).count() == 1


def test_a_second_post_while_building_returns_the_same_job(user: User, api: ApiClient) -> None:
    first = api.post("/archive").json()  # no commit in this test: it stays queued
    second = api.post("/archive").json()
    assert first["id"] == second["id"]
    assert ArchiveExport.objects.filter(owner=user).count() == 1


def test_read_only_token_cannot_start_an_archive(read_api: ApiClient) -> None:
    assert read_api.post("/archive").status_code == 403


def test_another_users_archive_is_not_seen(
    user: User, api: ApiClient, other_api: ApiClient
) -> None:
    api.post("/archive")
    assert other_api.get("/archive").status_code == 404
