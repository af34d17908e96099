"""BibTeX import of a generated 5,000-entry file vs bibtexparser's parse alone.

    uv run python bench/bench_import.py                      # temporary SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ps_papers uv run python bench/bench_import.py

The file mixes what Zotero (Better BibTeX), Mendeley and JabRef write: @string and
month macros, # concatenation, LaTeX accents, braces, comments, eprint/arXiv, DOI, URL,
keywords and file fields. "Whole import" is everything the confirm button does:
parse, LaTeX decoding, duplicate detection against the library and the bulk insert of
papers, topics and their links, in one transaction. Times are the best of --repeat runs;
peak memory is measured separately with tracemalloc. Goal: whole import <= 2x
bibtexparser.parse_string on the same text. Run by hand; never part of the test suite.

The keyword-heavy part (issue 17) times the web path for files with many keywords:
a 10,000 x 50-keyword file (refused at upload: over the entry cap), and the largest
file the caps allow, 5,000 entries x 20 keywords from 2,000 names: upload (parse, plan,
caps, store the plan), preview GET (no parse), the confirm request (only enqueues) and
the worker task (the import itself), then the first page of /papers/topics/.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EMAIL = "bench-import@example.com"

ACCENTED = [r"Sch{\"o}n", r"Go{\v s}nik", r"Stra{\ss}er", r"Mu{\~n}oz", r"{\'E}mile", r"Kaiser"]
TOPICS = ["deep learning", "vision", "nlp", "rl", "graphs", "optimisation", "theory"]


def generate(n: int) -> str:
    parts = [
        "% Generated for bench_import.py\n",
        "@comment{jabref-meta: databaseType:bibtex;}\n",
        '@string{neurips = "Advances in Neural Information Processing Systems"}\n',
        "@string{icml = {International Conference on Machine Learning}}\n",
    ]
    for i in range(n):
        style = i % 3
        last = ACCENTED[i % len(ACCENTED)]
        kw = ", ".join(TOPICS[(i + k) % len(TOPICS)] for k in range(2))
        if style == 0:  # Zotero / Better BibTeX
            parts.append(
                f"@inproceedings{{key{i},\n"
                f'  title = {{Scaling {{Transformers}} to Task {i}: {{\\"U}}ber \\& More}},\n'
                f"  booktitle = neurips,\n"
                f"  author = {{{last}, Anna and Vaswani, Ashish and Kaiser, {{\\L}}ukasz}},\n"
                f"  year = {{{1990 + i % 35}}},\n  month = jun,\n"
                f"  eprint = {{{1501 + i % 900 // 100 * 100 % 1000:04d}.{i:05d}}},\n"
                f"  archiveprefix = {{arXiv}},\n  primaryclass = {{cs}},\n"
                f"  abstract = {{We study problem {i} with {{attention}} -- and show gains.}},\n"
                f"  keywords = {{{kw}}},\n"
                f"  file = {{Full Text PDF:/home/u/Zotero/storage/K{i}/p.pdf:application/pdf}}\n"
                f"}}\n\n"
            )
        elif style == 1:  # Mendeley
            parts.append(
                f"@article{{Mendeley{i},\n"
                f"abstract = {{Deeper networks for case {i} are harder to train.}},\n"
                f"author = {{He, Kaiming and {last}, Xiangyu and Sun, Jian}},\n"
                f"doi = {{10.{1000 + i % 9000}/bench.{i}}},\n"
                f"file = {{:C$\\backslash$:/Users/u/Mendeley/p{i}.pdf:pdf}},\n"
                f"journal = {{Journal of Benchmarks}},\n"
                f"keywords = {{{kw.replace(', ', ';')}}},\n"
                f"pages = {{770--778}},\n"
                f"title = {{{{Residual learning for image recognition, part {i}}}}},\n"
                f"year = {{{1990 + i % 35}}}\n}}\n"
            )
        else:  # JabRef
            parts.append(
                f"@InProceedings{{JabRef{i},\n"
                f"  author    = {{Ian Goodfellow and {last} Pouget-Abadie and others}},\n"
                f'  title     = "Generative adversarial nets, variant {i} --- a {{GAN}} story",\n'
                f'  booktitle = icml # " Workshop",\n'
                f"  date      = {{{1990 + i % 35}-12-08}},\n"
                f"  url       = {{https://example.org/papers/{i}}},\n"
                f"  keywords  = {{{kw}}},\n}}\n\n"
            )
    return "".join(parts)


def keyword_heavy(n: int, per_entry: int, vocabulary: int | None = None) -> str:
    """n entries with per_entry keywords each, distinct across the file unless a vocabulary."""
    vocabulary = vocabulary or n * per_entry
    return "".join(
        f"@article{{e{i}, title={{Keyword paper {i}}}, year={{2020}}, keywords={{"
        + ", ".join(f"{(i * per_entry + j) % vocabulary:x}" for j in range(per_entry))
        + "}}\n"
        for i in range(n)
    )


def _timed(label: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    print(f"  {label:<44}{(time.perf_counter() - start) * 1000:>8.0f}ms")
    return result


def _one_keyword_file(client: Any, user: Any, n: int, k: int, vocabulary: int | None) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tracker.papers.models import PendingImport, Topic
    from tracker.papers.tasks import run_import

    data = keyword_heavy(n, k, vocabulary).encode()
    print(f" {n:,} entries x {k} keywords, {len(data) / 1024 / 1024:.2f} MB")
    upload = {"file": SimpleUploadedFile("kw.bib", data)}
    response = _timed(
        "upload (parse, plan, caps)", client.post, "/papers/import/", upload, secure=True
    )
    if response.status_code != 302:
        found = re.search(r'class="errorlist[^>]*>\s*<li>(.*?)</li>', response.content.decode())
        error = found.group(1) if found else "?"
        print(f"  refused ({response.status_code}): {error}")
        return
    url = response["Location"]
    page = _timed("preview GET (stored plan, no parse)", client.get, url, secure=True)
    print(f"  {'preview size':<44}{len(page.content) / 1024:>8.0f}KB")
    _timed("confirm POST (enqueues only)", client.post, url + "confirm/", secure=True)
    pending = PendingImport.objects.get(owner=user)
    _timed("worker task (the import)", run_import, pending.pk)
    pending.refresh_from_db()
    topics = Topic.objects.filter(owner=user).count()
    print(f"  status {pending.status}, {pending.imported} papers, {topics} topics")
    listing = _timed("GET /papers/topics/ (page 1)", client.get, "/papers/topics/", secure=True)
    print(f"  {'topics page size':<44}{len(listing.content) / 1024:>8.0f}KB")


def bench_keyword_heavy(user: Any) -> None:
    from django.conf import settings
    from django.test import Client

    from tracker.papers.models import Paper, PendingImport, Topic

    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(user)

    def clean() -> None:
        Paper.objects.filter(owner=user).delete()
        Topic.objects.filter(owner=user).delete()
        PendingImport.objects.filter(owner=user).delete()

    print("keyword-heavy files through the web path (one run each):")
    for n, k, vocabulary in ((10_000, 50, None), (5_000, 20, 2_000)):
        clean()
        _one_keyword_file(client, user, n, k, vocabulary)
    clean()


def best_time(
    fn: Callable[[], object], repeat: int, before: Callable[[], None] | None = None
) -> float:
    best = float("inf")
    for _ in range(repeat):
        if before:
            before()
        gc.collect()
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def peak_memory(fn: Callable[[], object], before: Callable[[], None] | None = None) -> int:
    if before:
        before()
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--keywords-only", action="store_true", help="only the keyword-heavy web-path part"
    )
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="bench-import-")
    if not os.environ.get("DATABASE_URL"):
        os.environ["VAR_DIR"] = tmp.name  # a throwaway SQLite database
    os.environ.setdefault(
        "SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
    )
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("HTTPS", "0")
    os.environ.setdefault("STATIC_MANIFEST", "0")  # pages render without collectstatic
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    import bibtexparser
    from django.conf import settings
    from django.core.management import call_command

    from accounts.models import User
    from tracker.papers import bibtex, imports
    from tracker.papers.models import Paper, Topic

    call_command("migrate", verbosity=0)
    user, _ = User.objects.get_or_create(email=EMAIL, defaults={"timezone": "UTC"})

    if args.keywords_only:
        bench_keyword_heavy(user)
        tmp.cleanup()
        return

    def reset() -> None:
        Paper.objects.filter(owner=user).delete()
        Topic.objects.filter(owner=user).delete()

    text = generate(args.entries)
    data = text.encode()
    print(
        f"{args.entries} entries, {len(data) / 1024 / 1024:.2f} MB, "
        f"database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
    )

    # Sanity: both parsers see every entry.
    library = bibtexparser.parse_string(text)
    entries = bibtex.parse_bibtex(data)
    assert len(library.entries) == args.entries, len(library.entries)
    assert sum(e.ok for e in entries) == args.entries, [e.error for e in entries if not e.ok][:3]

    def whole_import() -> None:
        plan = imports.import_entries(user, bibtex.parse_bibtex(data))
        assert plan.counts["created"] == args.entries, plan.counts

    t_ref = best_time(lambda: bibtexparser.parse_string(text), args.repeat)
    t_parse = best_time(lambda: bibtex.parse_bibtex(data), args.repeat)
    t_import = best_time(whole_import, args.repeat, before=reset)
    m_ref = peak_memory(lambda: bibtexparser.parse_string(text))
    m_parse = peak_memory(lambda: bibtex.parse_bibtex(data))
    m_import = peak_memory(whole_import, before=reset)
    reset()

    mb = 1024 * 1024
    print(f"{'':34}{'time':>10}{'ratio':>8}{'peak memory':>14}{'ratio':>8}")
    rows = [
        ("bibtexparser.parse_string", t_ref, m_ref),
        ("papers.bibtex.parse_bibtex", t_parse, m_parse),
        ("whole import (parse+plan+insert)", t_import, m_import),
    ]
    for name, t, m in rows:
        print(f"{name:<34}{t * 1000:>8.0f}ms{t / t_ref:>7.2f}x{m / mb:>11.1f} MB{m / m_ref:>7.2f}x")
    verdict = "met" if t_import <= 2 * t_ref and m_import <= 2 * m_ref else "NOT met"
    print(f"goal (whole import <= 2x bibtexparser parse, time and memory): {verdict}")
    bench_keyword_heavy(user)
    tmp.cleanup()


if __name__ == "__main__":
    main()
