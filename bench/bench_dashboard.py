"""Dashboard vs /healthz, side by side on one gunicorn server: many users, or one.

Realistic mode (the default): 50 seeded users (1 to 5 years each, ``seed_demo``), 8 client
threads; "warm" views come from the card cache, "cold" ones follow a paper the user just
logged through the app (POST /papers/new/, which bumps their data version), "mixed" logs a
paper before one view in four. Each is printed as views/s (the writes' time included)
against /healthz req/s, measured in alternating rounds, once with REDIS_URL (cache on)
and once without (the embedded default: no dashboard cache). Then the gunicorn workers'
peak RSS after the run and their RSS growth between two consecutive mixed runs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ps_dash \
    BENCH_REDIS_URL=redis://127.0.0.1:6379/6 uv run python bench/bench_dashboard.py

``--single`` runs the older one-user measurement below instead.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ps_progress \
    REDIS_URL=redis://127.0.0.1:6379/4 uv run python bench/bench_dashboard.py

Seeds (or refills) a demo user with ``seed_demo --years 5``, starts gunicorn on a free
loopback port, logs in by creating a session, then runs a bounded threaded load against
the two URLs in alternating rounds and prints requests/s, p50/p95 latency and the
dashboard/healthz ratio. The goal is a ratio of at least 0.5. Never run as part of the
test suite.

Every dashboard request comes from the one demo user, as a user reloading their own
dashboard would: after the first request the cards come from the per-user card cache
(tracker/dashboard/cache.py). A few cold requests (the user's data version bumped just
before each, as after any change of theirs) are timed after the load and printed too.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
EMAIL = "bench-dashboard@example.com"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ps_progress")
    env.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    env.setdefault("DEBUG", "0")
    env.setdefault("HTTPS", "0")  # loopback HTTP: no SSL redirect, no secure-only cookies
    env.setdefault("STATIC_MANIFEST", "0")
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    return env


def manage(env: dict[str, str], *args: str) -> str:
    out = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout


def session_cookie(env: dict[str, str]) -> tuple[str, str]:
    code = (
        "from django.test import Client; from django.conf import settings; "
        "from accounts.models import User; c = Client(); "
        f"c.force_login(User.objects.get(email={EMAIL!r})); "
        "n = settings.SESSION_COOKIE_NAME; print(n, c.cookies[n].value)"
    )
    name, value = manage(env, "shell", "-c", code).split()[-2:]
    return name, value


def bump_version(env: dict[str, str]) -> None:
    code = (
        "from accounts.activity import bump_data_version; from accounts.models import User; "
        f"bump_data_version(User.objects.get(email={EMAIL!r}).pk)"
    )
    manage(env, "shell", "-c", code)


def fetch(port: int, path: str, cookie: str) -> tuple[int, float, bytes]:
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = conn.getresponse()
        body = response.read()
        return response.status, time.perf_counter() - start, body
    finally:
        conn.close()


def load(port: int, path: str, cookie: str, requests: int, threads: int, seconds: float):
    """Up to ``requests`` GETs from ``threads`` threads, stopping after ``seconds``."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    remaining = [requests]
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        nonlocal errors
        while time.perf_counter() < deadline:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            status, elapsed, _ = fetch(port, path, cookie)
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    errors += 1

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return {"latencies": latencies, "errors": errors, "wall": time.perf_counter() - started}


def summary(runs: list[dict]) -> dict:
    """Requests/s and percentiles over several runs of one URL."""
    latencies = sorted(x for r in runs for x in r["latencies"])
    return {
        "n": len(latencies),
        "errors": sum(r["errors"] for r in runs),
        "rps": len(latencies) / sum(r["wall"] for r in runs),
        "p50": statistics.median(latencies),
        "p95": latencies[max(0, round(len(latencies) * 0.95) - 1)],
    }


# --- realistic mode --------------------------------------------------------------------

USERS_EMAIL = "bench-dash-{}@example.com"
CSRF = "benchcsrfbenchcsrfbenchcsrfbench"  # an unmasked 32-character secret: cookie = form


def seed_users(env: dict[str, str], n: int) -> None:
    """Seed the users that do not exist yet (1..5 years each), in one process."""
    code = (
        "from accounts.models import User\n"
        "from tracker.demo.management.commands.seed_demo import seed\n"
        f"for i in range({n}):\n"
        f"    email = {USERS_EMAIL!r}.format(i)\n"
        "    if not User.objects.filter(email=email).exists():\n"
        "        seed(email, 1 + i % 5, 'bench-password-1')\n"
    )
    manage(env, "shell", "-c", code)


def session_cookies(env: dict[str, str], n: int) -> list[str]:
    code = (
        "from django.test import Client; from django.conf import settings\n"
        "from accounts.models import User\n"
        f"for i in range({n}):\n"
        "    c = Client()\n"
        f"    c.force_login(User.objects.get(email={USERS_EMAIL!r}.format(i)))\n"
        "    n = settings.SESSION_COOKIE_NAME\n"
        "    print(f'{n}={c.cookies[n].value}')\n"
    )
    lines = manage(env, "shell", "-c", code).split()
    return [f"{line}; csrftoken={CSRF}" for line in lines[-n:]]


def log_paper(port: int, cookie: str, n: int) -> int:
    body = urlencode(
        {"csrfmiddlewaretoken": CSRF, "title": f"Bench paper {n}", "status": "read"}
    ).encode()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "POST",
            "/papers/new/",
            body=body,
            headers={
                "Cookie": cookie,
                "Host": "127.0.0.1",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def user_load(port: int, cookies: list[str], write_every: int, threads: int, seconds: float):
    """Dashboard views by many users for ``seconds``; a paper logged before every
    ``write_every``-th view of a user (0: never)."""
    latencies: list[float] = []
    errors = 0
    views = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    counter = itertools.count()

    def worker(t: int) -> None:
        nonlocal errors
        i = t
        while time.perf_counter() < deadline:
            cookie = cookies[i % len(cookies)]
            i += threads
            n = next(counter)
            if write_every and n % write_every == 0 and log_paper(port, cookie, n) != 302:
                with lock:
                    errors += 1
            status, elapsed, _ = fetch(port, "/", cookie)
            with lock:
                latencies.append(elapsed)
                views[0] += 1
                if status != 200:
                    errors += 1

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return {"latencies": latencies, "errors": errors, "wall": time.perf_counter() - started}


def worker_pids(master: int) -> list[int]:
    try:
        text = Path(f"/proc/{master}/task/{master}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def rss_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def start_server(env: dict[str, str], workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "tracker.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            if fetch(port, "/healthz", "")[0] == 200:
                return server, port
        except OSError:
            pass
        time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz")


def realistic_config(env: dict[str, str], args: argparse.Namespace, cookies: list[str]) -> None:
    server, port = start_server(env, args.workers)
    try:
        status, _, body = fetch(port, "/", cookies[0])
        if status != 200 or b'id="streak-card"' not in body:
            raise SystemExit(f"dashboard not served to a bench user (status {status})")
        if log_paper(port, cookies[0], -1) != 302:
            raise SystemExit("logging a paper through POST /papers/new/ failed")
        load(port, "/healthz", "", args.workers * 10, args.threads, 5)
        user_load(port, cookies, 0, args.threads, 5)  # warm every worker, fill the cache
        modes = {"warm": 0, "cold": 1, "mixed": 4}
        runs: dict[str, list[dict]] = {"healthz": [], **{m: [] for m in modes}}
        per = args.seconds / args.rounds
        for _ in range(args.rounds):
            for mode, every in modes.items():
                runs["healthz"].append(
                    load(port, "/healthz", "", 10**9, args.threads, per / len(modes))
                )
                runs[mode].append(user_load(port, cookies, every, args.threads, per))
        results = {label: summary(r) for label, r in runs.items()}
        pids = worker_pids(server.pid)
        peak = max((rss_kib(p, "VmHWM") for p in pids), default=0)
        before = {p: rss_kib(p, "VmRSS") for p in pids}
        user_load(port, cookies, 4, args.threads, args.seconds / 2)
        after1 = {p: rss_kib(p, "VmRSS") for p in pids}
        user_load(port, cookies, 4, args.threads, args.seconds / 2)
        after2 = {p: rss_kib(p, "VmRSS") for p in pids}
    finally:
        server.terminate()
        server.wait(timeout=10)
    cache = (
        "REDIS_URL set: dashboard cache on"
        if env.get("REDIS_URL")
        else ("no REDIS_URL: embedded default, dashboard cache off")
    )
    print(
        f"\n{len(cookies)} users, {args.threads} client threads, {args.workers} gunicorn "
        f"workers, {args.rounds} alternating rounds; {cache}"
    )
    print(
        f"{'mode':<8} {'views':>6} {'errors':>6} {'views/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'vs healthz':>10}"
    )
    hz = results["healthz"]["rps"]
    for label, r in results.items():
        ratio = "" if label == "healthz" else f"{r['rps'] / hz:.2f}"
        print(
            f"{label:<8} {r['n']:>6} {r['errors']:>6} {r['rps']:>8.1f} "
            f"{r['p50'] * 1000:>8.1f} {r['p95'] * 1000:>8.1f} {ratio:>10}"
        )
    goal = "0.5" if env.get("REDIS_URL") else "0.25"
    print(f"mixed/healthz {results['mixed']['rps'] / hz:.2f} (goal >= {goal})")
    growth = [after2[p] - after1[p] for p in pids if p in after1 and p in after2]
    first = [after1[p] - before[p] for p in pids if p in before and p in after1]
    print(
        f"gunicorn worker peak RSS after the run: {peak / 1024:.1f} MiB (max of {len(pids)}); "
        f"RSS growth per worker over a first extra mixed run {max(first, default=0)} KiB, "
        f"over a second {max(growth, default=0)} KiB (max)"
    )


def realistic(args: argparse.Namespace) -> int:
    env = bench_env()
    env.pop("REDIS_URL", None)
    manage(env, "migrate", "--noinput")
    started = time.perf_counter()
    seed_users(env, args.users)
    print(
        f"{args.users} users seeded or found in {time.perf_counter() - started:.0f} s "
        f"({env['DATABASE_URL'].split('@')[-1]}, {os.cpu_count()} CPUs)"
    )
    cookies = session_cookies(env, args.users)
    redis = os.environ.get("BENCH_REDIS_URL") or os.environ.get("REDIS_URL")
    if redis:
        realistic_config({**env, "REDIS_URL": redis}, args, cookies)
    else:
        print("\n(no BENCH_REDIS_URL/REDIS_URL: the cached configuration is skipped)")
    realistic_config(env, args, cookies)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=600, help="per URL")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30, help="time limit per URL")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds per URL")
    parser.add_argument("--cold", type=int, default=5, help="cold dashboard requests to time")
    parser.add_argument("--single", action="store_true", help="the one-user measurement")
    parser.add_argument("--users", type=int, default=50, help="realistic mode: seeded users")
    args = parser.parse_args()
    if not args.single:
        if args.seconds == 30:  # realistic default: per mode, over all rounds
            args.seconds = 24
        return realistic(args)

    env = bench_env()
    manage(env, "migrate", "--noinput")
    print(manage(env, "seed_demo", "--email", EMAIL, "--years", str(args.years)).strip())
    name, value = session_cookie(env)
    cookie = f"{name}={value}"

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "tracker.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                if fetch(port, "/healthz", "")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            print("gunicorn did not answer /healthz", file=sys.stderr)
            return 1
        status, _, body = fetch(port, "/", cookie)
        if status != 200 or b'id="streak-card"' not in body:
            print(f"dashboard not served to the demo user (status {status})", file=sys.stderr)
            return 1
        for path in ("/healthz", "/"):  # warm every worker
            load(port, path, cookie, args.workers * 10, args.threads, 10)
        # Alternate the two URLs in short rounds so that load from anything else on the
        # machine falls on both alike instead of skewing whichever ran second.
        runs: dict[str, list[dict]] = {"healthz": [], "dashboard": []}
        per_round = max(1, args.requests // args.rounds)
        for _ in range(args.rounds):
            for label, path in (("healthz", "/healthz"), ("dashboard", "/")):
                runs[label].append(
                    load(port, path, cookie, per_round, args.threads, args.seconds / args.rounds)
                )
        results = {label: summary(r) for label, r in runs.items()}
        cold = []
        for _ in range(args.cold):
            bump_version(env)
            cold.append(fetch(port, "/", cookie)[1])
    finally:
        server.terminate()
        server.wait(timeout=10)

    print(
        f"gunicorn sync workers={args.workers}, client threads={args.threads}, "
        f"{args.rounds} alternating rounds, {os.cpu_count()} CPUs, "
        f"{env['DATABASE_URL'].split('@')[-1]}"
    )
    print(f"{'url':<10} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for label, r in results.items():
        print(
            f"{label:<10} {r['n']:>8} {r['errors']:>6} {r['rps']:>8.1f} "
            f"{r['p50'] * 1000:>8.1f} {r['p95'] * 1000:>8.1f}"
        )
    ratio = results["dashboard"]["rps"] / results["healthz"]["rps"]
    p95_ratio = results["dashboard"]["p95"] / results["healthz"]["p95"]
    print(f"dashboard/healthz req/s ratio: {ratio:.2f} (goal >= 0.5); p95 ratio {p95_ratio:.2f}")
    print(
        f"dashboard load: one logged-in user ({EMAIL}) throughout, so cards are served from "
        "the per-user cache after its first request"
    )
    if cold:
        print(
            f"cold dashboard (data version bumped before each, no load): median "
            f"{statistics.median(cold) * 1000:.1f} ms over {len(cold)} requests"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
