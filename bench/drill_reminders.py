"""Fault drills of the weekly reminder: a mail-server outage and a worker killed mid-batch.

    uv run python bench/drill_reminders.py [--users 200] [--scenario outage|kill|all]
                                           [--outage 60] [--concurrency 2] [--deadline 900]
                                           [--kills 1]

Real pipeline: dispatcher ticks run in this process (what the beat entry runs every 5
minutes), `celery -A tracker worker` subprocesses send through Redis to an aiosmtpd server
in this process. Prints figures — emails per user, duplicates (same Message-ID twice),
users without an email, delays from the slot — and never asserts anything.

outage: N users due now; the SMTP port refuses connections for --outage seconds, then the
        server comes up. Beat ticks every 5 minutes of real time until every user has the
        email or --deadline passes, or nothing is left in flight.
kill:   N users due now, a slow-ish server (20 ms per message); the worker and its pool
        children are SIGKILLed a third of the way through and a new worker starts at once.
        While nothing moves, the clock of the dispatcher skips ahead to its next 5-minute
        tick (the worker's stamps stay real: nothing happens in the skipped time), so a
        15-minute re-queue shows as 15+ minutes of delay without waiting for it.

Uses DATABASE_URL if set (e.g. postgres://postgres@127.0.0.1:5432/ps_rel_mail), else a
SQLite file in a temporary directory; Redis from DRILL_REDIS_URL (default db 14).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import email.parser
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.reminders.smtp_sink import free_port  # noqa: E402

TICK = dt.timedelta(minutes=5)


class DrillSink:
    """aiosmtpd server recording (arrival instant, To, Message-ID) of each accepted message."""

    def __init__(self, port: int, delay: float) -> None:
        self.port = port
        self.delay = delay
        self.lock = threading.Lock()
        self.arrivals: list[tuple[dt.datetime, str, str]] = []
        self.offset = dt.timedelta()  # the drill's clock skip, to stamp arrivals with it
        self.controller: Controller | None = None

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)  # before DATA: a kill here loses no message
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        headers = email.parser.BytesHeaderParser().parsebytes(envelope.content)
        with self.lock:
            self.arrivals.append(
                (dt.datetime.now(dt.UTC) + self.offset, headers["To"], headers["Message-ID"])
            )
        return "250 2.0.0 OK"

    @property
    def count(self) -> int:
        with self.lock:
            return len(self.arrivals)

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, ready_timeout=10)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


class Drill:
    def __init__(self, args: argparse.Namespace, tmp: Path) -> None:
        self.args = args
        self.tmp = tmp
        self.workers: list[subprocess.Popen[bytes]] = []
        self.offset = dt.timedelta()

    def clock(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self.offset

    def start_worker(self, name: str) -> subprocess.Popen[bytes]:
        log = self.tmp / f"{name}.log"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tracker",
                "worker",
                "--loglevel=INFO",
                f"--concurrency={self.args.concurrency}",
                f"--hostname={name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env={**os.environ},
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.workers.append(process)
        deadline = time.monotonic() + 60
        while b" ready." not in log.read_bytes() and time.monotonic() < deadline:
            time.sleep(0.1)  # connected to Redis and consuming: the drill clock starts now
        return process

    def stop_workers(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.workers:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.workers = []


def make_users(n: int, slot: dt.datetime) -> list[Any]:
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from tracker.reminders.models import Reminder

    Reminder.objects.all().delete()
    User.objects.filter(email__startswith="drill-").delete()
    User.objects.bulk_create(
        [
            User(
                email=f"drill-{i}@example.com",
                password="!",
                timezone="UTC",
                reminder_weekday=slot.weekday(),
                reminder_time=slot.time(),
                next_reminder_at=slot,
            )
            for i in range(n)
        ],
        batch_size=1000,
    )
    users = list(User.objects.filter(email__startswith="drill-"))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=1000,
    )
    return users


def in_flight() -> int:
    from tracker.reminders.models import Reminder, ReminderStatus

    return Reminder.objects.filter(
        status__in=[ReminderStatus.PENDING, ReminderStatus.SENDING]
    ).count()


def last_change() -> object:
    from django.db.models import Max

    from tracker.reminders.models import Reminder

    return Reminder.objects.aggregate(latest=Max("updated_at"), attempts=Max("attempts"))


def report(name: str, users: list[Any], sink: DrillSink, start: dt.datetime, extra: str) -> None:
    from tracker.reminders.models import Reminder

    per_user = Counter(to for _, to, _ in sink.arrivals)
    copies = Counter((to, mid) for _, to, mid in sink.arrivals)
    first: dict[str, dt.datetime] = {}
    for at, to, _ in sorted(sink.arrivals):
        first.setdefault(to, at)
    emails = [u.email for u in users]
    histogram = Counter(per_user.get(address, 0) for address in emails)
    delays = sorted((first[a] - start).total_seconds() for a in emails if a in first)
    statuses = Counter(Reminder.objects.values_list("status", flat=True))
    errors = Counter(
        e.split(":")[0][:70]
        for e in Reminder.objects.exclude(status="sent").values_list("error", flat=True)
    )
    print(f"\n== {name}: {len(users)} due users {extra}")
    print(f"  emails per user: {dict(sorted(histogram.items()))}  (count of users by emails)")
    print(f"  users with no email: {histogram.get(0, 0)}")
    print(
        f"  duplicates: {sum(n - 1 for n in per_user.values() if n > 1)} extra email(s) "
        f"to {sum(1 for n in per_user.values() if n > 1)} user(s); "
        f"same Message-ID: {sum(n - 1 for n in copies.values() if n > 1)}"
    )
    if delays:
        late = [d for d in delays if d > 60]
        print(
            f"  delay from the dispatch: median {statistics.median(delays):.0f}s, "
            f"max {delays[-1]:.0f}s ({delays[-1] / 60:.1f} min); "
            f"{len(late)} user(s) waited more than a minute"
        )
    print(f"  rows: {dict(statuses)}")
    if errors:
        print(f"  reasons on rows not sent: {dict(errors)}")


def run_outage(drill: Drill, args: argparse.Namespace) -> None:
    from tracker.reminders.dispatch import dispatch
    from tracker.reminders.tasks import publish_send_batches

    slot = drill.clock().replace(second=0, microsecond=0)
    users = make_users(args.users, slot)
    sink = DrillSink(free_port(), delay=0)
    os.environ["REMINDER_SMTP_URL"] = f"smtp://127.0.0.1:{sink.port}?timeout=5"
    drill.start_worker("outage")
    start = time.monotonic()
    dispatched_at = drill.clock()
    next_tick = dispatched_at
    up = False
    try:
        while time.monotonic() - start < args.deadline:
            if not up and time.monotonic() - start >= args.outage:
                sink.start()
                up = True
                print(f"  SMTP up after {time.monotonic() - start:.0f}s")
            if drill.clock() >= next_tick:
                print(f"  tick: {dispatch(drill.clock(), publish=publish_send_batches).as_log()}")
                next_tick += TICK
            if up and (sink.count >= len(users) or not in_flight()):
                time.sleep(3)  # late duplicates, if any
                break
            time.sleep(0.2)
    finally:
        drill.stop_workers()
        sink.stop()
    report(
        "outage",
        users,
        sink,
        dispatched_at,
        f"(SMTP refusing connections for {args.outage}s, then up; "
        f"stopped {time.monotonic() - start:.0f}s after the dispatch)",
    )


def run_kill(drill: Drill, args: argparse.Namespace) -> None:
    from tracker.reminders.dispatch import dispatch
    from tracker.reminders.tasks import publish_send_batches

    slot = drill.clock().replace(second=0, microsecond=0)
    users = make_users(args.users, slot)
    sink = DrillSink(free_port(), delay=0.02)
    sink.start()
    os.environ["REMINDER_SMTP_URL"] = f"smtp://127.0.0.1:{sink.port}?timeout=5"
    first = drill.start_worker("kill-1")
    start = time.monotonic()
    dispatched_at = drill.clock()
    try:
        print(f"  tick: {dispatch(dispatched_at, publish=publish_send_batches).as_log()}")
        next_tick = dispatched_at + TICK
        while sink.count < len(users) // 3:
            time.sleep(0.01)
        # At a moment unrelated to the last acceptance (the loop ends right after one).
        time.sleep(random.uniform(0, 2 * sink.delay))
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
        killed_at = sink.count
        print(f"  worker SIGKILLed after {killed_at} emails")
        drill.start_worker("kill-2")
        idle_since, seen = time.monotonic(), (sink.count, last_change())
        while time.monotonic() - start < args.deadline:
            if drill.clock() >= next_tick:
                at = drill.clock()
                tick = dispatch(at, publish=publish_send_batches)
                print(f"  tick at +{at - dispatched_at}: {tick.as_log()}")
                next_tick += TICK
            if sink.count >= len(users) or not in_flight():
                time.sleep(3)
                break
            now_seen = (sink.count, last_change())
            if now_seen != seen:
                idle_since, seen = time.monotonic(), now_seen
            elif time.monotonic() - idle_since > 5:
                # Nothing moves: skip the dispatcher's clock to its next tick.
                drill.offset += next_tick - drill.clock()
                sink.offset = drill.offset
                idle_since = time.monotonic()
            time.sleep(0.1)
    finally:
        drill.stop_workers()
        sink.stop()
    report("kill", users, sink, dispatched_at, f"(worker SIGKILLed after {killed_at} emails)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--scenario", choices=["outage", "kill", "all"], default="all")
    parser.add_argument("--outage", type=float, default=60, help="seconds the SMTP port is down")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--kills", type=int, default=1, help="repeat the kill drill N times")
    parser.add_argument("--deadline", type=float, default=900, help="real seconds per drill")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="drill-reminders-"))
    env = {
        "SECRET_KEY": os.environ.get("SECRET_KEY", "drill-only-secret-key-0123456789abcdefghij"),
        "HTTPS": "0",
        "STATIC_MANIFEST": "0",
        "SITE_URL": "https://paperstreak.drill",
        "REDIS_URL": os.environ.get("DRILL_REDIS_URL", "redis://127.0.0.1:6379/14"),
        "REMINDER_SMTP_URL": "smtp://127.0.0.1:1",
        "LOG_LEVEL": "WARNING",
    }
    if not os.environ.get("DATABASE_URL"):
        env["VAR_DIR"] = str(tmp)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

    import django

    django.setup()
    import redis
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; logs in {tmp}")
    drill = Drill(args, tmp)
    runs = [("outage", run_outage)] + [("kill", run_kill)] * args.kills
    for name, run in runs:
        if args.scenario in (name, "all"):
            redis.Redis.from_url(env["REDIS_URL"]).flushdb()
            drill.offset = dt.timedelta()
            run(drill, args)
    from accounts.models import User
    from tracker.reminders.models import Reminder

    Reminder.objects.all().delete()
    User.objects.filter(email__startswith="drill-").delete()


if __name__ == "__main__":
    main()
