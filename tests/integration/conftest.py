import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def redis_url_for_tests(db: int) -> str:
    """A dedicated Redis database; CI's REDIS_URL names the host, the number is ours."""
    base = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    return base.rsplit("/", 1)[0] + f"/{db}"


def start_worker(env_overrides: dict[str, str], *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, **env_overrides}
    return subprocess.Popen(
        [
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
            *extra,
        ],
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
def worker_factory() -> Iterator[object]:
    started: list[subprocess.Popen[str]] = []

    def factory(env: dict[str, str], *extra: str) -> subprocess.Popen[str]:
        process = start_worker(env, *extra)
        started.append(process)
        time.sleep(0.5)
        return process

    yield factory
    for process in started:
        if process.poll() is None:
            stop_worker(process)
