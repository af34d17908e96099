"""BibTeX import: plan (new, duplicate, rejected), caps, the raw insert, and the worker hand-off."""

from __future__ import annotations

import datetime as dt
import logging
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.activity import bump_data_version
from tracker.papers import bibtex
from tracker.papers.bibtex import ParsedEntry
from tracker.papers.models import ImportStatus, Paper, PendingImport, Status, Topic
from tracker.papers.services import next_queue_position, topics_for

logger = logging.getLogger(__name__)

# Caps on one upload (S8 and issue 17): each bounds a cost that grows with the file.
# 5,000 entries: the whole import (parse, plan, insert) stays a few seconds in a worker and
# the stored plan a few MB; 20 topics per entry and 2,000 per user keep the links and
# every page that lists a user's topics (topics page, library filter) small.
MAX_IMPORT_ENTRIES = 5_000
MAX_TOPICS_PER_ENTRY = bibtex.MAX_TOPICS_PER_ENTRY
MAX_TOPICS_PER_USER = 2_000
# Confirmed imports creating at least this many papers run in a worker, not the request.
LARGE_IMPORT = 500
# A worker killed mid-import gets its message again (acks_late); give up after this many.
MAX_IMPORT_ATTEMPTS = 3
PLAN_VERSION = 1
PROGRESS_TIMEOUT = 3600
INSERT_CHUNK = 1_000
# A confirmed import still queued after this (message lost, no worker up) may be re-queued.
STALE_QUEUE = dt.timedelta(minutes=10)

ProgressCallback = Callable[[int, int], None]


class ImportRefused(ValueError):
    """The file is over one of the caps; the message says which and what to do."""


@dataclass
class ImportPlan:
    create: list[ParsedEntry] = field(default_factory=list)
    duplicates: list[tuple[ParsedEntry, str]] = field(default_factory=list)  # (entry, why)
    rejected: list[ParsedEntry] = field(default_factory=list)
    existing: dict[int, Paper] = field(default_factory=dict)  # entry index -> paper

    @property
    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.create),
            "duplicate": len(self.duplicates),
            "rejected": len(self.rejected),
        }

    def entries(self) -> list[ParsedEntry]:
        """Every entry of the plan, in file order."""
        found = [*self.create, *(e for e, _ in self.duplicates), *self.rejected]
        return sorted(found, key=lambda e: e.index)


def plan_import(owner: Any, entries: Iterable[ParsedEntry]) -> ImportPlan:
    """Sort entries into new, duplicate (of the library or of an earlier entry) and rejected.

    Three queries whatever the file size.
    """
    entries = list(entries)
    plan = ImportPlan()
    good = [e for e in entries if e.paper is not None]
    arxiv_ids = {e.paper["arxiv_id"] for e in good if e.paper and e.paper["arxiv_id"]}
    dois = {e.paper["doi"] for e in good if e.paper and e.paper["doi"]}
    titles = {e.paper["title"].lower() for e in good if e.paper}
    mine = Paper.objects.owned_by(owner)
    by_arxiv = {p.arxiv_id: p for p in mine.filter(arxiv_id__in=arxiv_ids)} if arxiv_ids else {}
    by_doi = {p.doi: p for p in mine.filter(doi__in=dois)} if dois else {}
    by_title: dict[str, Paper] = {}
    for chunk_start in range(0, len(titles), 500):
        chunk = list(titles)[chunk_start : chunk_start + 500]
        for match in mine.annotate(ltitle=Lower("title")).filter(ltitle__in=chunk):
            by_title.setdefault(match.title.lower(), match)
    seen_arxiv: dict[str, int] = {}
    seen_doi: dict[str, int] = {}
    seen_title: dict[str, int] = {}
    for entry in entries:
        p = entry.paper
        if p is None:
            plan.rejected.append(entry)
            continue
        a, d, t = p["arxiv_id"], p["doi"], p["title"].lower()
        found = (a and by_arxiv.get(a)) or (d and by_doi.get(d))
        if not found and not a and not d:
            found = by_title.get(t)
        if found:
            plan.duplicates.append((entry, f"already in your library as “{found.title}”"))
            plan.existing[entry.index] = found
            continue
        earlier = (a and seen_arxiv.get(a)) or (d and seen_doi.get(d))
        if not earlier and not a and not d:
            earlier = seen_title.get(t)
        if earlier:
            plan.duplicates.append((entry, f"same paper as entry {earlier} in this file"))
            continue
        if a:
            seen_arxiv[a] = entry.index
        if d:
            seen_doi[d] = entry.index
        seen_title[t] = entry.index
        plan.create.append(entry)
    return plan


def _entry_name(entry: ParsedEntry) -> str:
    return f"“{entry.key}” (line {entry.line})" if entry.key else f"entry {entry.index}"


def check_caps(owner: Any, plan: ImportPlan) -> None:
    """Refuse a plan over the per-entry or per-user topic cap (one query at most).

    Only entries that would be created count: a duplicate adds no topic.
    """
    crowded = [e for e in plan.create if e.topic_count > MAX_TOPICS_PER_ENTRY]
    if crowded:
        named = ", ".join(f"{_entry_name(e)} has {e.topic_count}" for e in crowded[:3])
        more = f" and {len(crowded) - 3:,} more entries" if len(crowded) > 3 else ""
        raise ImportRefused(
            f"Each entry can have at most {MAX_TOPICS_PER_ENTRY} keywords (topics): "
            f"{named}{more}. Trim their keywords field and upload the file again; "
            "nothing was imported."
        )
    names = {n.lower() for e in plan.create if e.paper for n in e.paper["topics"]}
    if len(names) > MAX_TOPICS_PER_USER:
        # However many of them exist already, the user would end up above the cap.
        raise ImportRefused(
            f"This file has {len(names):,} different keywords; you can have at most "
            f"{MAX_TOPICS_PER_USER:,} topics. Remove keywords from the file and upload it "
            "again; nothing was imported."
        )
    mine = Topic.objects.owned_by(owner)
    have = mine.count() if names else 0
    if not have or have + len(names) <= MAX_TOPICS_PER_USER:
        return
    known = mine.annotate(lname=Lower("name")).filter(lname__in=sorted(names)).count()
    new = len(names) - known
    if have + new > MAX_TOPICS_PER_USER:
        raise ImportRefused(
            f"You can have at most {MAX_TOPICS_PER_USER:,} topics: you have {have:,} and "
            f"this file adds {new:,} new ones. Remove keywords from the file (or delete "
            "topics you no longer use) and upload it again; nothing was imported."
        )


def read_upload(owner: Any, data: bytes | str) -> ImportPlan:
    """Parse an upload once and plan it; raises BibtexError or ImportRefused with the reason."""
    entries = bibtex.parse_bibtex(data, max_entries=MAX_IMPORT_ENTRIES)
    plan = plan_import(owner, entries)
    check_caps(owner, plan)
    return plan


def _entry_json(entry: ParsedEntry) -> dict[str, Any]:
    return {
        "index": entry.index,
        "key": entry.key,
        "type": entry.entry_type,
        "line": entry.line,
        "paper": entry.paper,
        "error": entry.error,
        "topics": entry.topic_count,
    }


def _entry_from_json(data: dict[str, Any]) -> ParsedEntry:
    return ParsedEntry(
        index=data["index"],
        key=data["key"],
        entry_type=data["type"],
        line=data["line"],
        paper=data["paper"],
        error=data["error"],
        topic_count=data["topics"],
    )


def plan_to_json(plan: ImportPlan) -> dict[str, Any]:
    """The plan as stored on PendingImport.plan (the raw BibTeX fields are not kept)."""
    return {
        "version": PLAN_VERSION,
        "create": [_entry_json(e) for e in plan.create],
        "duplicates": [[_entry_json(e), why] for e, why in plan.duplicates],
        "rejected": [_entry_json(e) for e in plan.rejected],
    }


def plan_from_json(data: dict[str, Any]) -> ImportPlan:
    return ImportPlan(
        create=[_entry_from_json(e) for e in data["create"]],
        duplicates=[(_entry_from_json(e), why) for e, why in data["duplicates"]],
        rejected=[_entry_from_json(e) for e in data["rejected"]],
    )


def stored_plan(pending: PendingImport) -> ImportPlan:
    """The plan kept at upload; a row from before plans were stored is planned from its text."""
    if pending.plan is not None:
        return plan_from_json(pending.plan)
    return plan_import(pending.owner, bibtex.parse_bibtex(pending.content))


def stage_import(owner: Any, filename: str, data: bytes | str) -> PendingImport:
    """Parse and plan an upload and keep the plan for the preview; nothing else is saved.

    Raises BibtexError or ImportRefused (the message goes next to the file field).
    """
    plan = read_upload(owner, data)
    counts = plan.counts
    pending = PendingImport.objects.create(
        owner=owner,
        filename=filename[:255],
        plan=plan_to_json(plan),
        to_create=counts["created"],
        duplicates=counts["duplicate"],
        rejected=counts["rejected"],
    )
    prune_pending_imports(owner)
    return pending


# Every concrete field of Paper, by name: the raw import below writes each of them except
# the ones the database fills. A field added to Paper must be added here (and given its
# value in ``apply_import``); tests/papers/test_import.py fails until it is.
IMPORT_LEFT_TO_DATABASE = frozenset({"id"})
IMPORT_WRITES = frozenset(
    {
        "owner", "title", "authors", "year", "venue", "source", "abstract", "url", "arxiv_id",
        "doi", "status", "added_on", "started_on", "finished_on", "depth", "understanding",
        "summary", "notes", "queue_position", "created_at", "updated_at",
    }
)  # fmt: skip
IMPORT_HANDLED = IMPORT_WRITES | IMPORT_LEFT_TO_DATABASE


def import_columns() -> tuple[str, ...]:
    """The Paper fields the raw import writes, in model order: its concrete fields minus the pk.

    Raises ImproperlyConfigured when Paper has a field the import does not know, rather
    than insert rows that leave it to a default nobody chose.
    """
    fields = Paper._meta.concrete_fields
    unknown = sorted(f.name for f in fields if f.name not in IMPORT_HANDLED)
    if unknown:
        raise ImproperlyConfigured(
            f"Paper has fields the BibTeX import does not fill: {', '.join(unknown)}; "
            "add them to IMPORT_WRITES and give them a value in apply_import."
        )
    return tuple(
        f.name for f in fields if not f.primary_key and f.name not in IMPORT_LEFT_TO_DATABASE
    )


def _insert_rows(model: Any, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """INSERT many rows in a few multi-row statements.

    bulk_create spends most of an import building a model instance and preparing every
    value through the ORM; these rows are plain strings, numbers and dates already.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    cols = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
    if connection.vendor == "postgresql":
        # COPY streams rows without building (and client-side quoting) a huge statement.
        with connection.cursor() as cursor, connection.wrap_database_errors:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    group = f"({', '.join(['%s'] * len(columns))})"
    max_params = connection.features.max_query_params or 30000
    batch = max(1, min(1000, max_params // len(columns)))
    with connection.cursor() as cursor:
        # Multi-row VALUES: one round trip per batch on both SQLite and PostgreSQL.
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            sql = f"INSERT INTO {table} ({cols}) VALUES {', '.join([group] * len(chunk))}"
            cursor.execute(sql, [value for row in chunk for value in row])


@transaction.atomic
def apply_import(owner: Any, plan: ImportPlan, progress: ProgressCallback | None = None) -> int:
    """Create every new paper of the plan, or nothing (one transaction). Returns the count.

    ``progress(papers written, papers to write)`` is called after each chunk of rows.
    """
    position = next_queue_position(owner)
    now = timezone.now()
    # Raw rows skip the ORM, so adapt dates the way the ORM would (naive UTC on SQLite).
    today = connection.ops.adapt_datefield_value(owner.local_today())
    stamp = connection.ops.adapt_datetimefield_value(now)
    columns = import_columns()
    # Same for every row: a new paper is queued to read, added today, not started.
    same = {
        "owner": owner.pk,
        "status": Status.TO_READ.value,
        "added_on": today,
        "started_on": None,
        "finished_on": None,
        "depth": None,
        "understanding": None,
        "summary": "",
        "notes": "",
        "source": "",  # BibTeX does not say; the user sets it on the paper
        "created_at": stamp,
        "updated_at": stamp,
    }
    in_column_order = operator.itemgetter(*columns)
    rows: list[tuple[Any, ...]] = []
    for offset, entry in enumerate(plan.create):
        p = entry.paper
        assert p is not None
        year = p["year"] if p["year"] and 0 < p["year"] < 32767 else None
        values = {
            **same,
            "title": p["title"],
            "authors": "\n".join(p["authors"]),
            "year": year,
            "venue": p["venue"][:300],
            "abstract": p["abstract"],
            "url": p["url"][:500],
            "arxiv_id": p["arxiv_id"][:40],
            "doi": p["doi"][:255],
            "queue_position": position + offset,
        }
        rows.append(in_column_order(values))
    # Written in chunks only so that a worker can report progress between them.
    step = INSERT_CHUNK if progress else len(rows) or 1
    for start in range(0, len(rows), step):
        chunk = rows[start : start + step]
        _insert_rows(Paper, columns, chunk)
        if progress:
            progress(start + len(chunk), len(rows))
    # Outside a request (the import_bibtex command) nothing else tells per-user caches.
    transaction.on_commit(lambda: bump_data_version(owner.pk))
    names: dict[str, str] = {}
    for entry in plan.create:
        for name in entry.paper["topics"] if entry.paper else []:
            names.setdefault(name.lower(), name)
    topics = {t.name.lower(): t for t in topics_for(owner, list(names.values()))}
    if topics:
        # The new rows are the owner's papers created at `now` from `position` on.
        pk_at = dict(
            Paper.objects.filter(
                owner=owner, created_at=now, queue_position__gte=position
            ).values_list("queue_position", "pk")
        )
        links = {
            (pk_at[position + offset], topics[name.lower()].pk)
            for offset, entry in enumerate(plan.create)
            for name in (entry.paper["topics"] if entry.paper else [])
            if name.lower() in topics
        }
        _insert_rows(Paper.topics.through, ("paper", "topic"), sorted(links))
    return len(rows)


def import_entries(owner: Any, entries: Iterable[ParsedEntry], dry_run: bool = False) -> ImportPlan:
    plan = plan_import(owner, entries)
    if not dry_run:
        apply_import(owner, plan)
    return plan


def prune_pending_imports(owner: Any, keep: int = 3) -> None:
    """Keep the owner's newest few imports; one a worker is about to run is never dropped."""
    stale = list(
        PendingImport.objects.filter(owner=owner)
        .exclude(status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING])
        .values_list("pk", flat=True)[keep:]
    )
    if stale:
        PendingImport.objects.filter(pk__in=stale).delete()


def progress_key(pending_id: int) -> str:
    return f"papers:import-progress:{pending_id}"


def import_progress(pending_id: int) -> tuple[int, int] | None:
    """(papers written, papers to write) of a running import, from the cache.

    The import writes in one transaction, so its rows are invisible until the commit;
    the cache carries the figures across. None when unknown (not started yet, or a
    per-process cache that the worker does not share).
    """
    value = cache.get(progress_key(pending_id))
    return (int(value[0]), int(value[1])) if value else None


@dataclass
class ImportResult:
    created: int
    duplicates: int
    rejected: int


def execute_import(
    pending_id: int,
    claim_from: str,
    delete_after: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportResult | None:
    """Claim a pending import and import its stored plan, all or nothing in one transaction.

    The claim is a conditional UPDATE from ``claim_from``: a second run (a double submit,
    a redelivered task) waits for the first one's row lock, then finds the row no longer
    in that state and returns None. If anything fails, the claim rolls back with the papers.
    Duplicates are checked again against the library as it is now (no re-parse).
    """
    with transaction.atomic():
        claimed = PendingImport.objects.filter(pk=pending_id, status=claim_from).update(
            status=ImportStatus.RUNNING
        )
        if not claimed:
            return None
        pending = PendingImport.objects.select_related("owner").get(pk=pending_id)
        owner = pending.owner
        plan = plan_import(owner, stored_plan(pending).entries())
        check_caps(owner, plan)
        created = apply_import(owner, plan, progress=progress)
        counts = plan.counts
        result = ImportResult(created, counts["duplicate"], counts["rejected"])
        if delete_after:
            pending.delete()
        else:
            PendingImport.objects.filter(pk=pending_id).update(
                status=ImportStatus.DONE,
                imported=created,
                duplicates=result.duplicates,
                rejected=result.rejected,
                plan=None,
                content="",
                finished_at=timezone.now(),
            )
    return result


def can_requeue(pending: PendingImport) -> bool:
    return (
        pending.status == ImportStatus.QUEUED
        and pending.queued_at is not None
        and pending.queued_at < timezone.now() - STALE_QUEUE
    )


def fail_import(pending_id: int, reason: str) -> None:
    """Record why an import failed; it is not retried (the user sees the reason)."""
    PendingImport.objects.filter(
        pk=pending_id, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]
    ).update(status=ImportStatus.FAILED, error=reason[:2000], plan=None, finished_at=timezone.now())
    cache.delete(progress_key(pending_id))


def report_progress(pending_id: int) -> ProgressCallback:
    def report(done: int, total: int) -> None:
        cache.set(progress_key(pending_id), (done, total), PROGRESS_TIMEOUT)

    return report
