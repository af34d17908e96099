"""Fan-out of the weekly reminder: N due users through the real pipeline vs a plain loop.

    uv run python bench/bench_fanout.py [--users 10000] [--workers 1] [--concurrency 2]
                                         [--pool prefork|threads|solo] [--floor-runs 3]

Pipeline: one dispatcher tick (claims every due user into a Reminder row, enqueues one
send task per SEND_BATCH rows on Redis), then Celery worker processes claim each row,
render and send through SMTP to a local aiosmtpd sink; timed until the sink has accepted
every message. The default is the deployment's worker (docker-compose.yml: one
`celery worker --concurrency=2`, i.e. two prefork worker processes); `--workers 2
--concurrency 1` runs two separate workers.
Baselines, same sink, same users, one process: (a) the floor the issue names, "sending
the same 10,000 messages with a plain smtplib loop": the messages rendered beforehand and
sent over one connection — THE ratio (goal >= 0.5x) is pipeline / this loop. The floor
swings by +-15% from run to run on a shared 2-core machine, so it is measured
`--floor-runs` times and the fastest run is used: the ratio errs against the pipeline.
(b) for reference, the same loop rendering each user's email as it goes.

Uses DATABASE_URL if set (PostgreSQL recommended, e.g. .../ps_reminders), else a
SQLite file in a temporary directory; Redis db 6 unless BENCH_REDIS_URL is set.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email.policy
import os
import signal
import smtplib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.reminders.smtp_sink import SmtpSink  # noqa: E402

# The slot every bench user is due at: the current hour, from the clock (a fixed date would
# make every claimed row "late" for the workers once that date is more than a grace period old).
SLOT = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=1, help="celery worker commands")
    parser.add_argument("--concurrency", type=int, default=2, help="pool size per worker")
    parser.add_argument("--floor-runs", type=int, default=3, help="fastest of N floor runs")
    parser.add_argument(
        "--pool", default="prefork", choices=["prefork", "threads", "solo"], help="Celery pool"
    )
    args = parser.parse_args()

    sink = SmtpSink(keep_messages=False).start()
    tmp = Path(tempfile.mkdtemp(prefix="bench-fanout-"))
    env = {
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghij"),
        "HTTPS": "0",
        "STATIC_MANIFEST": "0",
        "SITE_URL": "https://paperstreak.bench",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6"),
        "REMINDER_SMTP_URL": f"{sink.url}?timeout=30",
        "LOG_LEVEL": "WARNING",
    }
    if not os.environ.get("DATABASE_URL"):
        env["VAR_DIR"] = str(tmp)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

    import django

    django.setup()
    import redis
    from allauth.account.models import EmailAddress
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from tracker.reminders.dispatch import dispatch
    from tracker.reminders.emails import weekly_reminder_email
    from tracker.reminders.models import Reminder
    from tracker.reminders.tasks import publish_send_batches

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    redis.Redis.from_url(env["REDIS_URL"]).flushdb()

    # --- users ---------------------------------------------------------------------------
    Reminder.objects.all().delete()
    User.objects.filter(email__startswith="bench-fanout-").delete()
    users = [
        User(
            email=f"bench-fanout-{i}@example.com",
            password="!",
            timezone="UTC",
            reminder_weekday=SLOT.weekday(),
            reminder_time=SLOT.time(),
            next_reminder_at=SLOT,
        )
        for i in range(args.users)
    ]
    User.objects.bulk_create(users, batch_size=1000)  # no signals: next_reminder_at as set
    users = list(User.objects.filter(email__startswith="bench-fanout-"))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=1000,
    )
    n = len(users)

    # --- pipeline ------------------------------------------------------------------------
    workers = []
    logs = []
    for i in range(args.workers):
        log = tmp / f"worker-{i}.log"
        logs.append(log)
        workers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "tracker",
                    "worker",
                    "--loglevel=WARNING",
                    f"--concurrency={args.concurrency}",
                    f"--pool={args.pool}",
                    f"--hostname=bench{i}@%h",
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
        )
    time.sleep(6)  # let the workers connect before the clock starts
    try:
        start = time.perf_counter()
        result = dispatch(SLOT, publish=publish_send_batches)
        dispatched = time.perf_counter() - start
        deadline = time.monotonic() + 1800
        while sink.count < n and time.monotonic() < deadline:
            time.sleep(0.05)
        pipeline = time.perf_counter() - start
    finally:
        for process in workers:
            os.killpg(process.pid, signal.SIGTERM)
        for process in workers:
            process.wait(timeout=60)
    if sink.count < n:
        tail = "\n".join(log.read_text()[-2000:] for log in logs)
        raise SystemExit(f"only {sink.count} of {n} emails arrived\n{tail}")
    print(
        f"pipeline: {result.claimed} claimed, dispatcher tick {dispatched:.1f}s, "
        f"all {n} accepted after {pipeline:.1f}s"
    )

    # --- baselines -----------------------------------------------------------------------
    def loop(messages: object) -> float:
        before = sink.count
        start = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", sink.port, timeout=30) as smtp:
            for message in messages:  # type: ignore[attr-defined]
                # Serialised as Django's SMTP backend does (SMTP policy: CRLF, folded lines).
                data = message.message(policy=email.policy.SMTP).as_bytes()
                smtp.sendmail(message.from_email, message.to, data)
        elapsed = time.perf_counter() - start
        assert sink.count - before == n
        return elapsed

    now = SLOT
    rendering = loop(weekly_reminder_email(u, now=now) for u in users)
    prebuilt = [weekly_reminder_email(u, now=now) for u in users]
    floors = [n / loop(prebuilt) for _ in range(max(1, args.floor_runs))]
    sink.stop()

    floor = max(floors)
    rates = {
        "pipeline (dispatcher + Redis + workers)": n / pipeline,
        "plain smtplib loop, rendering each email": n / rendering,
        "plain smtplib loop, emails pre-rendered": floor,
    }
    processes = args.workers * args.concurrency
    print(
        f"\n{n} emails; pipeline: {args.workers} worker command(s) x {args.pool} pool of "
        f"{args.concurrency} = {processes} worker processes"
    )
    for name, rate in rates.items():
        print(f"  {name:<45} {rate:8.0f} emails/s")
    print(f"  (floor runs: {', '.join(f'{rate:.0f}' for rate in floors)} emails/s; fastest used)")
    ratio = n / pipeline / floor
    verdict = "met" if ratio >= 0.5 else "NOT met"
    print(
        f"\nRATIO pipeline / plain smtplib loop of the same messages: {ratio:.2f}x "
        f"(goal >= 0.5x: {verdict})"
    )
    reference = rendering / pipeline
    print(f"(reference) pipeline / loop that also renders each email: {reference:.2f}x")

    Reminder.objects.all().delete()
    User.objects.filter(email__startswith="bench-fanout-").delete()


if __name__ == "__main__":
    main()
