"""Account archive export and import of a 5-year seed_demo user vs dumpdata of the same rows.

    python3 -m uv run python bench/bench_archive.py                # temporary SQLite database
    DATABASE_URL=postgres://… python3 -m uv run python bench/bench_archive.py

"dumpdata" is ``manage.py dumpdata``'s own serializer (``serializers.serialize("json", …)``,
what the command runs) over exactly the rows the archive holds: every archived table
filtered to the user, the user row itself included. dumpdata cannot filter by owner from
the command line, so its serializer is called on those querysets. "Export" is the whole
ZIP: paperstreak.json, papers.bib and one CSV per table. "Import" is read + check +
plan + the all-or-nothing write into a new, empty account. Times are the best of --repeat
runs; peak memory (tracemalloc) is measured in a separate run. Goal: each <= 2x dumpdata.
Run by hand; never part of the test suite.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def peak(fn: Callable[[], Any]) -> int:
    gc.collect()
    tracemalloc.start()
    fn()
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="bench-archive-")
    if not os.environ.get("DATABASE_URL"):
        os.environ["VAR_DIR"] = tmp.name
    os.environ.setdefault(
        "SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
    )
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("HTTPS", "0")
    os.environ.setdefault("STATIC_MANIFEST", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core import serializers
    from django.core.management import call_command
    from django.db import transaction

    from accounts.models import User
    from tracker.archive.export import write_zip
    from tracker.archive.importer import apply_plan, plan_import, read_archive
    from tracker.archive.schema import tables
    from tracker.demo.management.commands.seed_demo import seed

    call_command("migrate", verbosity=0)
    user = seed("bench-archive@example.com", args.years, "x")
    rows = sum(t.model._default_manager.filter(**{t.owner_path: user.pk}).count() for t in tables())

    def dumpdata() -> bytes:
        querysets = [User.objects.filter(pk=user.pk)] + [
            t.model._default_manager.filter(**{t.owner_path: user.pk}).order_by("pk")
            for t in tables()
        ]
        out = io.StringIO()
        for qs in querysets:
            serializers.serialize("json", qs, stream=out)
        return out.getvalue().encode()

    archive = io.BytesIO()

    def export() -> None:
        archive.seek(0)
        archive.truncate()
        write_zip(user, archive)

    n = 0

    class Rollback(Exception):
        pass

    def import_() -> None:
        nonlocal n
        n += 1
        try:
            with transaction.atomic():
                target = User.objects.create_user(email=f"import-{n}@example.com")
                apply_plan(plan_import(read_archive(archive.getvalue()), target), target)
                raise Rollback
        except Rollback:
            pass

    export()
    dump_size = len(dumpdata())
    t_dump = best(dumpdata, args.repeat)
    t_export = best(export, args.repeat)
    t_import = best(import_, args.repeat)
    m_dump, m_export, m_import = peak(dumpdata), peak(export), peak(import_)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"{args.years}-year seed_demo user: {rows} rows, database {engine}")
    print(
        f"  archive ZIP {len(archive.getvalue()) / 1024:.0f} KiB, "
        f"dumpdata JSON {dump_size / 1024:.0f} KiB"
    )
    print(f"  {'':10} {'time s':>8} {'ratio':>6} {'peak MiB':>9} {'ratio':>6}")
    for name, t, m in (
        ("dumpdata", t_dump, m_dump),
        ("export", t_export, m_export),
        ("import", t_import, m_import),
    ):
        print(f"  {name:10} {t:8.3f} {t / t_dump:6.2f} {m / 2**20:9.1f} {m / m_dump:6.2f}")
    print("  goal: export and import each <= 2x dumpdata (time and peak memory)")
    tmp.cleanup()


if __name__ == "__main__":
    main()
