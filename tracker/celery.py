import os

from celery import Celery

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


@app.task(name="tracker.ping")
def ping(value: str = "pong") -> str:
    """Round-trip task used by /healthz tests and the worker integration test."""
    return value
