"""Issue 17.5: large confirms run in a Celery task, followed on a polled progress page."""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.papers.test_import_caps import bib
from tests.papers.util import events
from tracker.papers import imports
from tracker.papers.models import ImportStatus, Paper, PendingImport, Topic
from tracker.papers.tasks import run_import

LARGE = imports.LARGE_IMPORT


@pytest.fixture
def eager_celery() -> Iterator[None]:
    from tracker.celery import app

    old = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = old


def stage(client, data: bytes) -> PendingImport:
    response = client.post(reverse("papers:import"), {"file": SimpleUploadedFile("big.bib", data)})
    assert response.status_code == 302, response.content
    return PendingImport.objects.latest("pk")


def urls(pending: PendingImport) -> tuple[str, str]:
    return (
        reverse("papers:import_confirm", args=[pending.pk]),
        reverse("papers:import_progress", args=[pending.pk]),
    )


def test_large_confirm_queues_a_task_after_commit_and_imports_nothing_in_the_request(
    client_logged_in, django_capture_on_commit_callbacks
):
    pending = stage(client_logged_in, bib(LARGE, keywords=2))
    confirm, progress = urls(pending)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_logged_in.post(confirm)
    assert response.status_code == 302
    assert response["Location"] == progress
    assert len(callbacks) == 1  # enqueued on commit, never before
    assert not Paper.objects.exists()
    pending.refresh_from_db()
    assert pending.status == ImportStatus.QUEUED


def test_small_confirm_stays_inline(client_logged_in, user):
    pending = stage(client_logged_in, bib(LARGE - 1))
    response = client_logged_in.post(urls(pending)[0])
    assert response["Location"] == reverse("papers:library")
    assert Paper.objects.filter(owner=user).count() == LARGE - 1
    assert not PendingImport.objects.exists()


def test_the_queued_task_imports_everything(
    client_logged_in, user, eager_celery, django_capture_on_commit_callbacks
):
    pending = stage(client_logged_in, bib(LARGE, keywords=3))
    with django_capture_on_commit_callbacks(execute=True):
        client_logged_in.post(urls(pending)[0])
    pending.refresh_from_db()
    assert pending.status == ImportStatus.DONE
    assert pending.imported == LARGE
    assert pending.plan is None  # the plan is dropped once used
    assert Paper.objects.filter(owner=user).count() == LARGE
    assert Topic.objects.filter(owner=user).count() == LARGE * 3
    assert sorted(Paper.objects.get(title="Paper 7").topics.values_list("name", flat=True)) == [
        "kw7-0",
        "kw7-1",
        "kw7-2",
    ]


def test_running_the_task_twice_imports_once(client_logged_in, user):
    pending = stage(client_logged_in, bib(LARGE))
    client_logged_in.post(urls(pending)[0])
    run_import(pending.pk)
    run_import(pending.pk)
    assert Paper.objects.filter(owner=user).count() == LARGE
    pending.refresh_from_db()
    assert (pending.status, pending.attempts) == (ImportStatus.DONE, 1)


def test_a_second_confirm_queues_nothing_more(client_logged_in, django_capture_on_commit_callbacks):
    pending = stage(client_logged_in, bib(LARGE))
    confirm, progress = urls(pending)
    with django_capture_on_commit_callbacks() as callbacks:
        client_logged_in.post(confirm)
        again = client_logged_in.post(confirm)
    assert again["Location"] == progress
    assert len(callbacks) == 1


def test_a_task_for_an_unconfirmed_or_deleted_import_does_nothing(client_logged_in, user):
    pending = stage(client_logged_in, bib(LARGE))
    run_import(pending.pk)  # still planned: the user has not confirmed
    run_import(pending.pk + 1000)
    assert not Paper.objects.exists()
    pending.refresh_from_db()
    assert pending.status == ImportStatus.PLANNED


def test_progress_partial_polls_while_queued_and_shows_the_figures(client_logged_in, htmx):
    pending = stage(client_logged_in, bib(LARGE))
    confirm, progress = urls(pending)
    client_logged_in.post(confirm)
    partial = client_logged_in.get(progress, **htmx).content.decode()
    assert partial.lstrip().startswith('<section id="import-progress"')
    assert f'hx-get="{progress}"' in partial
    assert 'hx-trigger="every 1s"' in partial
    assert "<progress>" in partial  # not started: an indeterminate bar
    imports.report_progress(pending.pk)(300, LARGE)
    partial = client_logged_in.get(progress, **htmx).content.decode()
    assert f'<progress max="{LARGE}" value="300">' in partial
    assert f"300 of {LARGE} papers written" in partial


def test_progress_page_works_without_javascript(client_logged_in):
    pending = stage(client_logged_in, bib(LARGE))
    confirm, progress = urls(pending)
    page = client_logged_in.get(client_logged_in.post(confirm)["Location"]).content.decode()
    assert "<html" in page
    assert f'<a href="{progress}">Reload this page</a>' in page
    assert "http-equiv" not in page
    assert "style=" not in page


def test_progress_partial_stops_polling_when_done(client_logged_in, htmx):
    pending = stage(client_logged_in, bib(LARGE))
    confirm, progress = urls(pending)
    client_logged_in.post(confirm)
    run_import(pending.pk)
    response = client_logged_in.get(progress, **htmx)
    partial = response.content.decode()
    assert "hx-trigger" not in partial
    assert f"Imported {LARGE} papers; 0 duplicates, 0 rejected." in " ".join(partial.split())
    assert events(response) == {"paperLogged"}
    # Preview and confirm of a finished import lead to its result, never to a second run.
    assert (
        client_logged_in.get(reverse("papers:import_preview", args=[pending.pk]))["Location"]
        == progress
    )
    client_logged_in.post(confirm)
    run_import(pending.pk)
    assert Paper.objects.count() == LARGE


def test_a_failing_import_records_its_error_and_is_not_retried(client_logged_in, htmx, monkeypatch):
    pending = stage(client_logged_in, bib(LARGE, keywords=1))
    confirm, progress = urls(pending)
    client_logged_in.post(confirm)
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "apply_import", broken)
    run_import(pending.pk)
    run_import(pending.pk)
    pending.refresh_from_db()
    assert pending.status == ImportStatus.FAILED
    assert "The import failed (RuntimeError); nothing was imported." in pending.error
    assert calls == [1]
    assert not Paper.objects.exists()
    assert not Topic.objects.exists()
    partial = client_logged_in.get(progress, **htmx).content.decode()
    assert "hx-trigger" not in partial
    assert "The import failed (RuntimeError)" in partial
    # Confirming again does not silently queue it once more.
    client_logged_in.post(confirm)
    pending.refresh_from_db()
    assert pending.status == ImportStatus.FAILED


def test_a_cap_passed_after_upload_fails_the_task_with_the_cap_message(client_logged_in, user):
    pending = stage(client_logged_in, bib(LARGE, keywords=2))
    client_logged_in.post(urls(pending)[0])
    Topic.objects.bulk_create(Topic(owner=user, name=f"mine {i}") for i in range(1500))
    run_import(pending.pk)
    pending.refresh_from_db()
    assert pending.status == ImportStatus.FAILED
    assert "you have 1,500 and this file adds 1,000 new ones" in pending.error
    assert not Paper.objects.exists()


def test_an_import_interrupted_too_often_is_failed_not_run_again(client_logged_in):
    pending = stage(client_logged_in, bib(LARGE))
    client_logged_in.post(urls(pending)[0])
    # Each earlier delivery counted its attempt, then its worker died mid-import.
    PendingImport.objects.filter(pk=pending.pk).update(attempts=imports.MAX_IMPORT_ATTEMPTS)
    run_import(pending.pk)
    pending.refresh_from_db()
    assert pending.status == ImportStatus.FAILED
    assert "interrupted 3 times" in pending.error
    assert not Paper.objects.exists()


def test_an_import_queued_too_long_can_be_queued_again(
    client_logged_in, django_capture_on_commit_callbacks
):
    pending = stage(client_logged_in, bib(LARGE))
    confirm, progress = urls(pending)
    client_logged_in.post(confirm)
    assert b"Queue it again" not in client_logged_in.get(progress).content
    PendingImport.objects.filter(pk=pending.pk).update(
        queued_at=timezone.now() - dt.timedelta(minutes=11)
    )
    assert b"Queue it again" in client_logged_in.get(progress).content
    with django_capture_on_commit_callbacks() as callbacks:
        client_logged_in.post(confirm)
    assert len(callbacks) == 1
    run_import(pending.pk)
    assert Paper.objects.count() == LARGE


def test_a_queued_import_is_not_pruned_by_later_uploads(client_logged_in):
    pending = stage(client_logged_in, bib(LARGE))
    client_logged_in.post(urls(pending)[0])
    for i in range(4):
        stage(client_logged_in, bib(1, start=10_000 + i))
    assert PendingImport.objects.filter(pk=pending.pk).exists()
    assert PendingImport.objects.count() == 4  # the queued one and the newest three


@pytest.mark.parametrize("htmx_headers", [{}, {"HTTP_HX_REQUEST": "true"}])
def test_another_users_import_is_404_on_every_import_route(
    client_logged_in, other_client, htmx_headers
):
    pending = stage(client_logged_in, bib(LARGE))
    confirm, progress = urls(pending)
    preview = reverse("papers:import_preview", args=[pending.pk])
    for url in (preview, progress):
        assert other_client.get(url, **htmx_headers).status_code == 404
    assert other_client.post(confirm, **htmx_headers).status_code == 404
    pending.refresh_from_db()
    assert pending.status == ImportStatus.PLANNED
    client_logged_in.post(confirm)
    assert other_client.get(progress, **htmx_headers).status_code == 404
