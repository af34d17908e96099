"""API paper list with 10,000 papers vs /healthz, side by side on one gunicorn server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ps_api \\
        python3 -m uv run python bench/bench_api.py

Seeds the library benchmark's user with 10,000 papers (once, shared with bench_library.py),
counts the SQL queries per API request at 1 and 10,000 papers (token auth, a page of 50:
first page, search, filters, last page), then times each against /healthz under gunicorn
and prints p50/p95 and the ratio. Run by hand; never part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from bench_library import (
    EMAIL,
    N_PAPERS,
    ROOT,
    SMALL_EMAIL,
    bench_env,
    ensure_database,
    free_port,
    seed,
    timed,
)

URLS = [
    ("list", "/api/v1/papers"),
    ("list 200", "/api/v1/papers?page_size=200"),
    ("search", "/api/v1/papers?q=attention+networks"),
    ("filters", "/api/v1/papers?status=read&explained=yes&depth=2&sort=finished"),
    ("last page", "/api/v1/papers?page=200"),
]


def count_queries(secret: str) -> list[tuple[str, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    out = []
    for name, url in URLS:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code == 200, (url, response.status_code, response.content[:200])
        out.append((name, len(ctx.captured_queries)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    env = bench_env()
    env.setdefault("API_RATE_LIMIT", "1000000/m")  # the benchmark is not about the limit
    env["DATABASE_URL"] = os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ps_api"
    )
    os.environ.update(env)
    ensure_database(env["DATABASE_URL"])
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from accounts.models import User
    from tracker.api.tokens import create_token

    user, _ = User.objects.get_or_create(email=EMAIL, defaults={"timezone": "UTC"})
    small, _ = User.objects.get_or_create(email=SMALL_EMAIL, defaults={"timezone": "UTC"})
    t0 = time.perf_counter()
    seed(user, N_PAPERS)
    seed(small, 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE papers_paper; ANALYZE papers_paper_topics")
    print(
        f"seeded in {time.perf_counter() - t0:.1f}s; "
        f"database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
    )
    secret = create_token(user, "bench", "read")[1]
    small_secret = create_token(small, "bench", "read")[1]
    # Once each first, so last_used_at is fresh and the timed requests write nothing.
    count_queries(secret)
    count_queries(small_secret)
    small_counts = count_queries(small_secret)
    big_counts = count_queries(secret)
    print("\nqueries per API request   1 paper   10,000 papers")
    for (name, small_n), (_, big_n) in zip(small_counts, big_counts, strict=True):
        # The 1-paper user's last page is empty, so it skips the topics prefetch (one less).
        flag = "" if small_n >= big_n - (name == "last page") else "   <-- grows!"
        print(f"  {name:<20} {small_n:>9} {big_n:>15}{flag}")

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
        headers = {"Authorization": f"Bearer {secret}"}
        for _name, url in URLS:  # warm-up
            timed(port, url, headers, 2)
        health = timed(port, "/healthz", {}, args.requests)
        h50 = statistics.median(health)
        print(f"\nresponse time, {args.requests} sequential requests each, 1 gunicorn worker")
        print(
            f"  {'/healthz':<20} p50 {h50:7.2f} ms"
            f"  p95 {sorted(health)[int(len(health) * 0.95) - 1]:7.2f} ms"
        )
        for name, url in URLS:
            t = timed(port, url, headers, args.requests)
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
