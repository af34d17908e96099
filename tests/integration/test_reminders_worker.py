"""Weekly reminders end to end: real Redis, real Celery worker processes, real SMTP (aiosmtpd).

The dispatcher runs as `manage.py dispatch_reminders --now …` in its own process (what the
beat entry runs), workers are `celery -A tracker worker` subprocesses and the SMTP server
runs in this process. All share one database: PostgreSQL's test database, or on SQLite a
file database this test builds (the default in-memory test database is invisible to
other processes).
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db import connection, connections
from django.db.utils import load_backend

from accounts.models import User
from tests.integration.conftest import redis_url_for_tests, worker_argv
from tests.reminders.conftest import make_learner, schedule_after
from tests.reminders.smtp_sink import SmtpSink, _Handler, free_port
from tracker.reminders.dispatch import MAX_RETRIES, REQUEUE_SENDING_AFTER
from tracker.reminders.models import Reminder, ReminderStatus
from tracker.reminders.schedule import next_send_at

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
# Parallel runs on one Redis (several checkouts, CI shards) each pick their own database.
REDIS_DB = int(os.environ.get("REMINDER_WORKER_REDIS_DB", "5"))
# Monday 09:00 in Berlin, the next one on the real clock. The dispatcher runs as if at SLOT
# while the workers stamp rows with the real time; the re-queue tick (SLOT + 16 min) must see
# those stamps as more than 15 minutes old, so SLOT may not lie in the real past.
SLOT = next_send_at("Europe/Berlin", 0, 0, dt.time(9), dt.datetime.now(dt.UTC))


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def redis_url() -> Iterator[str]:
    url = redis_url_for_tests(REDIS_DB)
    client = redis.Redis.from_url(url)
    client.flushdb()  # fails loudly when Redis is not there: this suite never skips
    yield url
    client.flushdb()


@pytest.fixture
def shared_db(transactional_db: None, tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment that points a subprocess at the database this test uses."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        yield {"DATABASE_URL": f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"}
        return
    # SQLite: swap this thread's default connection to a migrated file the workers can open.
    original = connections["default"]
    settings_dict = copy.deepcopy(original.settings_dict)
    settings_dict["NAME"] = str(tmp_path / "db.sqlite3")
    shared = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")
    connections["default"] = shared
    try:
        call_command("migrate", verbosity=0)
        yield {"DATABASE_URL": "", "VAR_DIR": str(tmp_path)}
    finally:
        shared.close()
        connections["default"] = original


class Stack:
    """Worker processes and dispatcher runs sharing one environment."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = {**os.environ, **env}
        self.workers: list[subprocess.Popen[bytes]] = []
        self.logs: list[Path] = []

    def start_worker(self, log: Path, concurrency: int = 2) -> subprocess.Popen[bytes]:
        self.logs.append(log)
        process = subprocess.Popen(
            worker_argv(self.env["CELERY_TASK_DEFAULT_QUEUE"], f"--concurrency={concurrency}"),
            cwd=ROOT,
            env=self.env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so a kill takes the children too
        )
        self.workers.append(process)
        return process

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()

    def dispatch(self, now: dt.datetime) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", "dispatch_reminders", "--now", now.isoformat()],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def output(self) -> str:
        return "\n".join(log.read_text(errors="replace") for log in self.logs if log.exists())


class _SlowHandler(_Handler):
    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        await asyncio.sleep(self.sink.delay)  # before DATA: a kill now loses no message
        envelope.rcpt_tos.append(address)
        return "250 OK"


class SlowSink(SmtpSink):
    """The SMTP sink taking ``delay`` seconds per message, so a kill lands mid-batch."""

    def __init__(self, delay: float) -> None:
        super().__init__(delay=delay)
        self.controller = Controller(
            _SlowHandler(self), hostname="127.0.0.1", port=self.port, ready_timeout=10
        )


@pytest.fixture
def stack_factory(
    redis_url: str, shared_db: dict[str, str], task_queue: str, tmp_path: Path
) -> Iterator[Callable[..., Stack]]:
    stacks: list[Stack] = []

    def factory(smtp_port: int, **env: str) -> Stack:
        stack = Stack(
            {
                **shared_db,
                "REDIS_URL": redis_url,
                # Workers and dispatcher runs: this test's queue only (-Q and the default).
                "CELERY_TASK_DEFAULT_QUEUE": task_queue,
                "REMINDER_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}?timeout=5",
                "CELERY_TASK_TIME_LIMIT": "60",
                **env,
            }
        )
        stacks.append(stack)
        return stack

    yield factory
    for stack in stacks:
        stack.stop_all()


def wait_for(condition: Callable[[], bool], timeout: float, what: str, stack: Stack) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}\n--- worker output ---\n{stack.output()}")


def sent_rows() -> int:
    return Reminder.objects.filter(status=ReminderStatus.SENT).count()


def make_due_users(n: int, prefix: str) -> list[User]:
    users = []
    for i in range(n):
        user = make_learner(email=f"{prefix}{i}@example.com", timezone="Europe/Berlin")
        schedule_after(user, SLOT - dt.timedelta(days=3))
        users.append(user)
    return users


def test_due_users_get_exactly_one_email_with_headers_and_content(
    stack_factory: Callable[..., Stack], tmp_path: Path, settings: Any
) -> None:
    due = [
        make_learner(email="berlin@example.com", timezone="Europe/Berlin"),
        make_learner(email="kathmandu@example.com", timezone="Asia/Kathmandu"),
        make_learner(email="lordhowe@example.com", timezone="Australia/Lord_Howe"),
    ]
    not_yet = make_learner(email="newyork@example.com", timezone="America/New_York")
    unverified = make_learner(
        email="unverified@example.com", timezone="Europe/Berlin", verified=False
    )
    off = make_learner(email="off@example.com", timezone="Europe/Berlin")
    for user in [*due, not_yet, unverified, off]:
        schedule_after(user, SLOT - dt.timedelta(days=3))
    User.objects.filter(pk=off.pk).update(reminders_enabled=False)

    with SmtpSink() as sink:
        stack = stack_factory(sink.port)
        stack.start_worker(tmp_path / "worker.log")
        out = stack.dispatch(SLOT)
        assert "claimed=3" in out
        wait_for(lambda: sink.count >= 3, 60, "three emails", stack)
        wait_for(lambda: sent_rows() == 3, 30, "three sent rows", stack)
        # A second tick (a duplicate beat) sends nothing more.
        assert "claimed=0" in stack.dispatch(SLOT)
        time.sleep(2)

    assert sorted(m["To"] for m in sink.messages) == sorted(u.email for u in due)
    for message in sink.messages:
        reminder = Reminder.objects.get(user__email=message["To"])
        assert message["From"] == settings.REMINDER_FROM_EMAIL
        assert message["Message-ID"] == reminder.message_id
        assert message["List-Unsubscribe"].startswith("<https://paperstreak.test/reminders/")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["List-Id"] == "Paperstreak weekly reminders <reminders.paperstreak.test>"
        assert message.get_content_type() == "multipart/alternative"
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert "Welcome to Paperstreak" in text
        assert "Welcome to Paperstreak" in html
        assert re.fullmatch(
            r"Week \d+: log your first paper and start a streak", message["Subject"]
        )
    assert not Reminder.objects.filter(user__in=[not_yet, unverified, off]).exists()


def test_smtp_refusing_connections_at_first_delivers_after_retries(
    stack_factory: Callable[..., Stack], tmp_path: Path
) -> None:
    users = make_due_users(3, "retry")
    port = free_port()  # nothing listens here yet: connections are refused
    stack = stack_factory(port)
    stack.start_worker(tmp_path / "worker.log")
    assert "claimed=3" in stack.dispatch(SLOT)
    wait_for(
        lambda: Reminder.objects.filter(error__icontains="refused").count() == 3,
        60,
        "the first refused attempts",
        stack,
    )
    assert sent_rows() == 0
    with SmtpSink(port) as sink:
        wait_for(lambda: sent_rows() == 3, 90, "delivery after retries", stack)
        time.sleep(1)
    assert Counter(m["To"] for m in sink.messages) == {u.email: 1 for u in users}
    assert all(r.attempts >= 2 for r in Reminder.objects.all())


def test_worker_killed_mid_batch_loses_no_reminder_and_sends_each_once(
    stack_factory: Callable[..., Stack], tmp_path: Path
) -> None:
    users = make_due_users(40, "batch")
    with SlowSink(delay=0.05) as sink:
        stack = stack_factory(sink.port)
        first = stack.start_worker(tmp_path / "worker-1.log")
        assert "claimed=40" in stack.dispatch(SLOT)
        wait_for(lambda: sink.count >= 8, 60, "the batch to be under way", stack)
        # At a moment unrelated to the last acceptance (the wait above ends right after
        # one, inside the duplicate window), so the duplicates counted are representative.
        time.sleep(random.uniform(0, 0.1))
        stack.kill(first)  # SIGKILL the worker and its pool children mid-batch
        killed = dt.datetime.now(dt.UTC)
        killed_at = sink.count
        assert killed_at < 40
        stranded = Reminder.objects.filter(status=ReminderStatus.SENDING).count()
        assert stranded >= 1

        stack.start_worker(tmp_path / "worker-2.log")
        # The dead worker's messages stay unacked in Redis until the visibility timeout, and
        # its rows stay sending. A tick within the send task's time limit (plus margin) of
        # the kill leaves them alone, since a live worker could still be on them; the first
        # tick after it queues them again from the database (C3, C7). The ticks' clocks run
        # ahead of the real one: the rows carry the real instants of their claims.
        early = stack.dispatch(killed + dt.timedelta(minutes=1))
        assert "requeued=0" in early
        assert Reminder.objects.filter(status=ReminderStatus.SENDING).count() == stranded
        out = stack.dispatch(killed + REQUEUE_SENDING_AFTER + dt.timedelta(seconds=5))
        requeued = int(re.search(r"requeued=(\d+)", out).group(1))  # type: ignore[union-attr]
        assert requeued == stranded
        wait_for(lambda: sent_rows() == 40, 120, "every reminder sent", stack)
        time.sleep(2)
        received = list(sink.messages)

    # C7: each due user has exactly one sent row.
    rows = Counter(Reminder.objects.values_list("user__email", flat=True))
    assert rows == {u.email: 1 for u in users}
    assert sent_rows() == 40
    # Every user got the email; a copy can only repeat when the kill landed between the
    # server's 250 and the row update, and then it carries the same Message-ID.
    by_user: dict[str, set[str]] = {}
    for message in received:
        by_user.setdefault(message["To"], set()).add(message["Message-ID"])
    assert set(by_user) == {u.email for u in users}
    assert all(len(ids) == 1 for ids in by_user.values())
    duplicates = len(received) - len(users)
    assert duplicates <= 2, f"{duplicates} duplicate deliveries (at most one per pool process)"
    print(
        f"\nkill drill: 40 due users, worker SIGKILLed after {killed_at} emails with "
        f"{stranded} rows sending; {requeued} re-queued by the tick "
        f"{REQUEUE_SENDING_AFTER.total_seconds():.0f}s after the kill (was 15 min); "
        f"emails per user {dict(Counter(Counter(m['To'] for m in received).values()))}; "
        f"{duplicates} duplicate(s)"
    )


def test_smtp_down_longer_than_the_whole_retry_ladder_then_up_sends_each_user_one_email(
    stack_factory: Callable[..., Stack], tmp_path: Path
) -> None:
    users = make_due_users(30, "outage")  # two send tasks: 25 rows and 5
    port = free_port()  # nothing listens here yet: connections are refused
    # The same code with a ladder of seconds (fast_retry_settings), worker and dispatcher.
    stack = stack_factory(port, DJANGO_SETTINGS_MODULE="tests.integration.fast_retry_settings")
    stack.start_worker(tmp_path / "worker.log")
    assert "claimed=30" in stack.dispatch(SLOT)

    def ladders_spent(attempts: int) -> bool:
        rows = Reminder.objects.filter(
            status=ReminderStatus.PENDING,
            attempts=attempts,
            error__contains="retries used up",
        )
        return rows.count() == 30

    ladder = MAX_RETRIES + 1
    wait_for(lambda: ladders_spent(ladder), 90, "the whole retry ladder to be spent", stack)
    # Still down on the next tick: queued again, another ladder, handed back again; a
    # transient outage never turns a row failed within the lateness window.
    assert "requeued=30" in stack.dispatch(SLOT + dt.timedelta(minutes=5))
    wait_for(lambda: ladders_spent(2 * ladder), 90, "the second ladder to be spent", stack)
    assert not Reminder.objects.exclude(status=ReminderStatus.PENDING).exists()
    assert "refused" in Reminder.objects.first().error.lower()  # type: ignore[union-attr]

    with SmtpSink(port) as sink:
        assert "requeued=30" in stack.dispatch(SLOT + dt.timedelta(minutes=10))
        wait_for(lambda: sent_rows() == 30, 90, "delivery after the outage", stack)
        time.sleep(2)
        received = list(sink.messages)
    assert Counter(m["To"] for m in received) == {u.email: 1 for u in users}
    message_ids = dict(Reminder.objects.values_list("user__email", "message_id"))
    assert {m["To"]: m["Message-ID"] for m in received} == message_ids
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {2 * ladder + 1}
    print(
        f"\noutage drill: 30 due users, SMTP refusing through two retry ladders of "
        f"{ladder} attempts and a re-queue, then up: emails per user "
        f"{dict(Counter(Counter(m['To'] for m in received).values()))}, 0 lost"
    )
