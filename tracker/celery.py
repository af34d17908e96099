import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_broker_dirs() -> None:
    """Create the filesystem transport's folders; kombu expects them to exist."""
    from pathlib import Path

    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
    result = app.conf.result_backend or ""
    if result.startswith("file://"):
        Path(result.removeprefix("file://")).mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def _prepare(sender: Celery, **kwargs: object) -> None:
    ensure_broker_dirs()


@task_prerun.connect
@task_postrun.connect
def _close_old_db_connections(sender: object = None, **kwargs: object) -> None:
    """Around each task, as around each web request: drop a database connection that is
    past CONN_MAX_AGE or broken (CONN_HEALTH_CHECKS), keep a healthy one for the next task.

    Not for a task run eagerly: it runs inside its caller's connection and transaction.
    """
    if getattr(getattr(sender, "request", None), "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()


@app.task(name="tracker.ping")
def ping(value: str = "pong") -> str:
    """Round-trip task used by /healthz tests and the worker integration test."""
    return value
