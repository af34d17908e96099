import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def redis_url_for_tests(db: int) -> str:
    """A dedicated Redis database; CI's REDIS_URL names the host, the number is ours."""
    base = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    return base.rsplit("/", 1)[0] + f"/{db}"


def per_run_queue() -> str:
    """A queue name no other process uses: this pid and a random part.

    Workers of other checkouts or CI shards on the same Redis consume their own queues (or
    Celery's default ``celery``), so none of them can take a task this test sends.
    """
    return f"ps-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def worker_argv(queue: str, *extra: str) -> list[str]:
    """``celery -A tracker worker`` consuming only ``queue``."""
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "tracker",
        "worker",
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-Q",
        queue,
        *extra,
    ]


def start_worker(env_overrides: dict[str, str], queue: str, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, **env_overrides, "CELERY_TASK_DEFAULT_QUEUE": queue}
    return subprocess.Popen(
        worker_argv(queue, *extra),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop_worker(process: subprocess.Popen[str]) -> str:
    process.terminate()
    try:
        out, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
    return out or ""


@pytest.fixture
def task_queue() -> Iterator[str]:
    """This test's own queue, also the default queue of this process's Celery app meanwhile.

    Pass it to the processes a test starts as ``CELERY_TASK_DEFAULT_QUEUE`` (settings read
    it) and to workers with ``-Q``, so whatever the test, its subprocesses or its workers
    enqueue lands where only its own workers listen.
    """
    from tracker.celery import app

    name = per_run_queue()
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = name
    try:
        yield name
    finally:
        app.conf.task_default_queue = previous


@pytest.fixture
def worker_factory(task_queue: str) -> Iterator[object]:
    started: list[subprocess.Popen[str]] = []

    def factory(env: dict[str, str], *extra: str) -> subprocess.Popen[str]:
        process = start_worker(env, task_queue, *extra)
        started.append(process)
        time.sleep(0.5)
        return process

    yield factory
    for process in started:
        if process.poll() is None:
            stop_worker(process)
