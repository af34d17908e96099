"""A real Celery worker process takes a task through each broker and returns the result."""

import os
from pathlib import Path

import pytest
import redis
from celery import Celery

from tests.integration.conftest import redis_url_for_tests, stop_worker

pytestmark = pytest.mark.integration

# Parallel runs on one Redis (several checkouts, CI shards) each pick their own database.
REDIS_DB = int(os.environ.get("CELERY_WORKER_TEST_REDIS_DB", "11"))


def test_worker_round_trip_through_real_redis(worker_factory: object, task_queue: str) -> None:
    url = redis_url_for_tests(REDIS_DB)
    redis.Redis.from_url(url).flushdb()
    worker = worker_factory({"REDIS_URL": url}, "--concurrency=1")  # type: ignore[operator]
    client = Celery("tracker-test", broker=url, backend=url)
    try:
        result = client.send_task("tracker.ping", args=["through redis"], queue=task_queue)
        assert result.get(timeout=60) == "through redis"
    finally:
        output = stop_worker(worker)
    assert "tracker.ping" in output
    assert task_queue in output  # the worker consumed this run's queue only


def test_worker_round_trip_through_filesystem_transport(
    worker_factory: object, task_queue: str, tmp_path: Path
) -> None:
    celery_dir = tmp_path / "celery"
    for sub in ("queue", "processed", "results", "control"):
        (celery_dir / sub).mkdir(parents=True)
    worker = worker_factory(  # type: ignore[operator]
        {"REDIS_URL": "", "VAR_DIR": str(tmp_path)}, "--concurrency=1"
    )
    client = Celery(
        "tracker-test", broker="filesystem://", backend=f"file://{celery_dir / 'results'}"
    )
    client.conf.broker_transport_options = {
        "data_folder_in": str(celery_dir / "queue"),
        "data_folder_out": str(celery_dir / "queue"),
        "processed_folder": str(celery_dir / "processed"),
        "control_folder": str(celery_dir / "control"),
        "store_processed": False,
    }
    try:
        result = client.send_task("tracker.ping", args=["through files"], queue=task_queue)
        assert result.get(timeout=60) == "through files"
    finally:
        output = stop_worker(worker)
    assert "tracker.ping" in output
    assert task_queue in output  # the worker consumed this run's queue only
