"""A worker keeps a healthy database connection from one task to the next.

Celery's Django fixup would close every connection after every task (a new PostgreSQL
backend per reminder email); CELERY_DB_REUSE_MAX turns that off and tracker/celery.py
applies CONN_MAX_AGE / CONN_HEALTH_CHECKS around each task instead, as for a web request.
SQLite's in-memory test database ignores close(), so this runs on PostgreSQL only.
"""

import time
from types import SimpleNamespace

import pytest
from celery.fixups.django import DjangoWorkerFixup
from celery.signals import task_postrun, task_prerun
from django.db import connection

from tracker.celery import app, ping

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://…)"
    ),
]


class FakeTask:
    """What the task signals see of a task running in a worker (not eagerly)."""

    def __init__(self, eager: bool = False) -> None:
        self.request = SimpleNamespace(is_eager=eager)
        self.name = ping.name


def run_task_signals(task: FakeTask) -> None:
    """The signals a worker sends around one task, with Celery's own Django fixup."""
    fixup = DjangoWorkerFixup(app)
    task_prerun.send(sender=task, task_id="t", task=task, args=(), kwargs={})
    fixup.on_task_prerun(sender=task)
    fixup.on_task_postrun(sender=task)
    task_postrun.send(sender=task, task_id="t", task=task, args=(), kwargs={})


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_the_fixup_is_told_to_keep_connections() -> None:
    assert DjangoWorkerFixup(app).db_reuse_max


def test_a_healthy_connection_survives_tasks() -> None:
    before = backend_pid()
    for _ in range(3):
        run_task_signals(FakeTask())
    assert connection.connection is not None
    assert backend_pid() == before


def test_a_connection_past_conn_max_age_is_replaced() -> None:
    before = backend_pid()
    connection.close_at = time.monotonic() - 1
    run_task_signals(FakeTask())
    assert connection.connection is None
    assert backend_pid() != before


def test_a_broken_connection_is_replaced() -> None:
    before = backend_pid()
    connection.errors_occurred = True
    connection.connection.close()  # the server went away under us
    run_task_signals(FakeTask())
    assert backend_pid() != before


def test_an_eager_task_leaves_its_callers_connection_alone() -> None:
    before = backend_pid()
    connection.close_at = time.monotonic() - 1
    run_task_signals(FakeTask(eager=True))
    assert connection.connection is not None
    assert backend_pid() == before
