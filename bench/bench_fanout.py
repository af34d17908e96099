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

A share of the users (``--content-share``, 0.2) have real content, the rest are
newcomers: a weekly papers goal and a total replications goal, papers read over the last
8 weeks, three up next, a
replication stalled for six weeks (rollups rebuilt for each user, as after real writes).
The fan-out runs twice with the same worker processes: their peak RSS (VmHWM) after the
first and their RSS growth over the second are printed. Then a separate dispatcher tick
for ``--tick-users`` (100,000) due users, no workers: its time and its query count, with
the chunk size halved too, to show the count does not grow with users per chunk.

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
        "--content-share", type=float, default=0.2, help="share of users with real content"
    )
    parser.add_argument("--tick-users", type=int, default=100_000, help="0 skips the tick")
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
    with_content = users[: round(n * args.content_share)]
    if with_content:
        started = time.perf_counter()
        give_content(with_content)
        print(
            f"real content for {len(with_content)} of {n} users (the rest newcomers) in "
            f"{time.perf_counter() - started:.0f} s"
        )

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
    rss: list[dict[int, int]] = []
    try:
        start = time.perf_counter()
        result = dispatch(SLOT, publish=publish_send_batches)
        dispatched = time.perf_counter() - start
        deadline = time.monotonic() + 1800
        while sink.count < n and time.monotonic() < deadline:
            time.sleep(0.05)
        pipeline = time.perf_counter() - start
        children = [c for w in workers for c in child_pids(w.pid)]
        peak = max((proc_kib(c, "VmHWM") for c in children), default=0)
        rss.append({c: proc_kib(c, "VmRSS") for c in children})
        # The same fan-out again, same worker processes: does their memory grow?
        Reminder.objects.all().delete()
        User.objects.filter(email__startswith="bench-fanout-").update(next_reminder_at=SLOT)
        before = sink.count
        dispatch(SLOT, publish=publish_send_batches)
        while sink.count < before + n and time.monotonic() < deadline:
            time.sleep(0.05)
        rss.append({c: proc_kib(c, "VmRSS") for c in children})
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
    growth = [rss[1][c] - rss[0][c] for c in rss[0] if c in rss[1]]
    print(
        f"celery worker processes: peak RSS {peak / 1024:.1f} MiB (max of {len(rss[0])}) after "
        f"{n} emails; RSS growth over a second {n}-email fan-out {max(growth, default=0)} KiB"
    )
    Reminder.objects.all().delete()

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
    # The pipeline ran twice: the sink's count already holds both.
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
    if args.tick_users:
        tick(args.tick_users)


def child_pids(pid: int) -> list[int]:
    """Every descendant (a celery worker's pool processes)."""
    try:
        kids = [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return kids + [g for k in kids for g in child_pids(k)]


def proc_kib(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def give_content(users: list) -> None:
    """Goals, read papers, an up-next queue and a stalled replication for each user."""
    from django.db import transaction

    from tracker.goals.models import Goal, Metric, Period
    from tracker.papers.models import Paper
    from tracker.progress import rollups
    from tracker.replications.models import Replication

    today = SLOT.date()
    start = today - dt.timedelta(days=180)
    Goal.objects.bulk_create(
        [
            g
            for u in users
            for g in (
                Goal(
                    owner=u,
                    metric=Metric.PAPERS_READ,
                    period=Period.WEEKLY,
                    target=2,
                    start_date=start,
                ),
                Goal(
                    owner=u,
                    metric=Metric.REPLICATIONS_DONE,
                    period=Period.TOTAL,
                    target=20,
                    start_date=start,
                    deadline=start + dt.timedelta(days=365),
                ),
            )
        ],
        batch_size=2000,
    )
    papers = []
    for u in users:
        for k in range(5):
            day = today - dt.timedelta(days=3 + 11 * k)
            papers.append(
                Paper(
                    owner=u,
                    title=f"Read paper {k}",
                    status="read",
                    added_on=day,
                    finished_on=day,
                    summary="In my words." if k % 2 else "",
                )
            )
        for k in range(3):
            papers.append(
                Paper(
                    owner=u,
                    title=f"Up next {k}",
                    status="to_read",
                    added_on=today,
                    queue_position=k,
                )
            )
    Paper.objects.bulk_create(papers, batch_size=2000)
    first_read = {}
    for p in Paper.objects.filter(owner__in=users, title="Read paper 4").only("pk", "owner_id"):
        first_read[p.owner_id] = p.pk
    Replication.objects.bulk_create(
        [
            Replication(
                owner_id=owner,
                paper_id=paper,
                status="in_progress",
                started_on=start,
                metric_name="accuracy",
            )
            for owner, paper in first_read.items()
        ],
        batch_size=2000,
    )
    stale = SLOT - dt.timedelta(weeks=6)
    Replication.objects.filter(owner__in=users).update(updated_at=stale)
    for u in users:  # bulk_create sent no signals: recount as real writes would have
        with transaction.atomic():
            rollups.rebuild(u.pk)


def tick(count: int) -> None:
    """One dispatcher tick for ``count`` due users (no workers): time and queries."""
    from allauth.account.models import EmailAddress
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from tracker.reminders import dispatch as dispatch_module
    from tracker.reminders.models import Reminder

    started = time.perf_counter()
    User.objects.filter(email__startswith="bench-tick-").delete()
    users = User.objects.bulk_create(
        [
            User(
                email=f"bench-tick-{i}@example.com",
                password="!",
                timezone="UTC",
                reminder_weekday=SLOT.weekday(),
                reminder_time=SLOT.time(),
                next_reminder_at=SLOT,
            )
            for i in range(count)
        ],
        batch_size=5000,
    )
    ids = list(User.objects.filter(email__startswith="bench-tick-").values_list("pk", "email"))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user_id=pk, email=e, verified=True, primary=True) for pk, e in ids],
        batch_size=5000,
    )
    del users
    print(f"\n{count} due users created in {time.perf_counter() - started:.0f} s")
    published = [0]

    def publish(rows: list) -> None:  # no broker: count what would be sent
        published[0] += len(rows)

    chunk = getattr(dispatch_module, "BATCH_SIZE", None)
    results = []
    for size in [chunk, chunk // 2] if isinstance(chunk, int) else [None]:
        Reminder.objects.filter(user__email__startswith="bench-tick-").delete()
        User.objects.filter(email__startswith="bench-tick-").update(next_reminder_at=SLOT)
        if size is not None:
            dispatch_module.BATCH_SIZE = size
        published[0] = 0
        connection.force_debug_cursor = True
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            result = dispatch_module.dispatch(SLOT, publish=publish)
            elapsed = time.perf_counter() - start
        connection.force_debug_cursor = False
        chunks = -(-count // size) if size else 1
        results.append((size, elapsed, len(ctx.captured_queries), chunks, result.claimed))
    if isinstance(chunk, int):
        dispatch_module.BATCH_SIZE = chunk
    for size, elapsed, queries, chunks, claimed in results:
        print(
            f"dispatcher tick, {count} due users, chunk {size}: {elapsed:.1f} s (goal <= 60 s), "
            f"{claimed} claimed, {queries} queries over {chunks} chunks "
            f"= {queries / chunks:.1f} per chunk"
        )
    Reminder.objects.filter(user__email__startswith="bench-tick-").delete()
    User.objects.filter(email__startswith="bench-tick-").delete()


if __name__ == "__main__":
    main()
