"""Library list/search with 10,000 papers vs /healthz, side by side on one gunicorn server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ps_papers uv run python bench/bench_library.py

Seeds a bench user with 10,000 papers (once), counts the SQL queries per request for the
library page at 1 and 10,000 papers (full page, htmx partial, search, filters, last page),
then starts gunicorn on a free loopback port and times each URL against /healthz,
printing p50/p95 latency and the ratio. Queries per request must not grow with the
library. Run by hand; never part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EMAIL = "bench-library@example.com"
SMALL_EMAIL = "bench-library-small@example.com"
N_PAPERS = 10_000


def bench_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ps_papers")
    env.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    env.setdefault("DEBUG", "0")
    env.setdefault("HTTPS", "0")
    env.setdefault("STATIC_MANIFEST", "0")
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    return env


def ensure_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def seed(user, n: int) -> None:
    from tracker.papers.models import Paper, Status, Topic

    have = Paper.objects.filter(owner=user).count()
    if have >= n:
        return
    topics = [Topic.objects.get_or_create(owner=user, name=f"topic {i}")[0] for i in range(20)]
    words = [
        "attention",
        "graph",
        "residual",
        "diffusion",
        "contrastive",
        "sparse",
        "bayesian",
        "kernel",
    ]
    statuses = [Status.TO_READ, Status.READING, Status.READ]
    today = dt.date(2026, 11, 1)
    batch = []
    for i in range(have, n):
        status = statuses[i % 3]
        batch.append(
            Paper(
                owner=user,
                title=f"{words[i % 8].title()} networks for task {i}",
                authors=f"Author {i}\nSecond {i % 97}",
                year=1990 + i % 36,
                venue="NeurIPS" if i % 2 else "ICML",
                abstract=f"We study {words[(i * 3) % 8]} methods. " * 5,
                notes=f"note {words[(i * 5) % 8]}" if i % 4 == 0 else "",
                summary="explained" if i % 5 == 0 else "",
                status=status,
                added_on=today - dt.timedelta(days=i % 1000),
                finished_on=today - dt.timedelta(days=i % 900) if status == Status.READ else None,
                depth=(i % 3) + 1 if status == Status.READ else None,
                queue_position=i,
            )
        )
    created = Paper.objects.bulk_create(batch, batch_size=1000)
    through = Paper.topics.through
    through.objects.bulk_create(
        [
            through(paper_id=p.pk, topic_id=topics[(p.pk + k) % 20].pk)
            for p in created
            for k in range(2)
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )


URLS = [
    ("list", "/papers/", {}),
    ("list htmx", "/papers/", {"HX-Request": "true"}),
    ("search", "/papers/?q=attention+networks", {"HX-Request": "true"}),
    ("filters", "/papers/?status=read&explained=yes&depth=2&sort=finished", {}),
    ("topic+sort", "/papers/?topic=TOPIC&sort=title", {}),
    ("last page", "/papers/?page=400", {}),
]


def count_queries(user, topic_pk: int) -> list[tuple[str, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    client.get("/papers/")
    out = []
    for name, url, headers in URLS:
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url.replace("TOPIC", str(topic_pk)), **extra)
        assert response.status_code == 200, (url, response.status_code)
        out.append((name, len(ctx.captured_queries)))
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(port: int, path: str, headers: dict[str, str], n: int) -> list[float]:
    times = []
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(n):
        start = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        times.append((time.perf_counter() - start) * 1000)
        if response.status != 200:
            raise SystemExit(f"{path} answered {response.status}")
    conn.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    env = bench_env()
    os.environ.update(env)
    ensure_database(env["DATABASE_URL"])
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from accounts.models import User
    from tracker.papers.models import Topic

    user, _ = User.objects.get_or_create(email=EMAIL, defaults={"timezone": "UTC"})
    small, _ = User.objects.get_or_create(email=SMALL_EMAIL, defaults={"timezone": "UTC"})
    t0 = time.perf_counter()
    seed(user, N_PAPERS)
    seed(small, 1)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh planner statistics after the bulk seed
            cursor.execute("ANALYZE papers_paper; ANALYZE papers_paper_topics")
    print(
        f"seeded in {time.perf_counter() - t0:.1f}s; "
        f"database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
    )

    big_counts = count_queries(user, Topic.objects.filter(owner=user).first().pk)
    small_topic = Topic.objects.filter(owner=small, papers__isnull=False).first()
    small_counts = count_queries(small, small_topic.pk)
    print("\nqueries per request       1 paper   10,000 papers")
    for (name, small_n), (_, big_n) in zip(small_counts, big_counts, strict=True):
        flag = "" if small_n == big_n else "   <-- grows!"
        print(f"  {name:<20} {small_n:>9} {big_n:>15}{flag}")

    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "tracker.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                timed(port, "/healthz", {}, 1)
                break
            except (ConnectionRefusedError, OSError):
                time.sleep(0.1)
        topic_pk = Topic.objects.filter(owner=user).first().pk
        health = timed(port, "/healthz", {}, args.requests)
        h50 = statistics.median(health)
        print(f"\nresponse time, {args.requests} sequential requests each, 1 gunicorn worker")
        print(
            f"  {'/healthz':<20} p50 {h50:7.2f} ms"
            f"  p95 {sorted(health)[int(len(health) * 0.95) - 1]:7.2f} ms"
        )
        for name, url, headers in URLS:
            t = timed(
                port,
                url.replace("TOPIC", str(topic_pk)),
                {"Cookie": cookie, **headers},
                args.requests,
            )
            p50 = statistics.median(t)
            p95 = sorted(t)[int(len(t) * 0.95) - 1]
            print(
                f"  {name:<20} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms"
                f"  ratio vs healthz {p50 / h50:5.1f}x"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
