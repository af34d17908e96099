"""Multi-step writes of the papers app, each inside one transaction."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.db.models.functions import Lower

from tracker.papers.models import (
    Paper,
    ReadingSession,
    Status,
    Topic,
)

logger = logging.getLogger(__name__)

PAPER_FIELDS = ("title", "year", "venue", "abstract", "url", "arxiv_id", "doi")


def split_topics(text: str) -> list[str]:
    """Topic names typed while tagging: "rl, vision; nlp" -> ["rl", "vision", "nlp"]."""
    seen: set[str] = set()
    names = []
    for raw in text.replace(";", ",").split(","):
        name = " ".join(raw.split())[:60]
        if name and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


def topics_for(owner: Any, names: Sequence[str]) -> list[Topic]:
    """The owner's topics with these names, created when missing (case-insensitive)."""
    if not names:
        return []
    lowered = {n.lower(): n for n in names}
    existing = {
        t.name.lower(): t
        for t in Topic.objects.owned_by(owner)
        .annotate(lname=Lower("name"))
        .filter(lname__in=list(lowered))
    }
    missing = [Topic(owner=owner, name=lowered[k]) for k in lowered if k not in existing]
    if missing:
        Topic.objects.bulk_create(missing)
        # bulk_create returns pks on SQLite >= 3.35 and PostgreSQL; re-read to be sure.
        existing = {
            t.name.lower(): t
            for t in Topic.objects.owned_by(owner)
            .annotate(lname=Lower("name"))
            .filter(lname__in=list(lowered))
        }
    return [existing[k] for k in lowered if k in existing]


def find_duplicate(owner: Any, arxiv_id: str = "", doi: str = "") -> Paper | None:
    condition = Q()
    if arxiv_id:
        condition |= Q(arxiv_id=arxiv_id)
    if doi:
        condition |= Q(doi=doi)
    if not condition:
        return None
    return Paper.objects.owned_by(owner).filter(condition).first()


def next_queue_position(owner: Any) -> int:
    top = Paper.objects.owned_by(owner).aggregate(m=Max("queue_position"))["m"]
    return (top or 0) + 1


def apply_status_dates(paper: Paper, today: dt.date) -> None:
    """Dates that follow from the status: a read paper has a finish date, and so on."""
    if paper.status == Status.READ and paper.finished_on is None:
        paper.finished_on = today
    if paper.status in (Status.READING, Status.READ) and paper.started_on is None:
        paper.started_on = min(today, paper.finished_on or today)
    if paper.status != Status.READ:
        paper.finished_on = None


@transaction.atomic
def save_paper(paper: Paper, topic_names: Sequence[str] | None = None) -> Paper:
    """Create or update a paper and its topics; raises IntegrityError on a duplicate id."""
    today = paper.owner.local_today()
    if paper._state.adding:
        paper.added_on = paper.added_on or today
        if paper.status == Status.TO_READ:
            paper.queue_position = next_queue_position(paper.owner)
    apply_status_dates(paper, today)
    paper.save()
    if topic_names is not None:
        paper.topics.set(topics_for(paper.owner, topic_names))
    return paper


def add_paper(owner: Any, data: dict[str, Any], topic_names: Sequence[str] = ()) -> Paper:
    """A new paper from metadata, or the existing one with the same arXiv ID or DOI."""
    return get_or_add_paper(owner, data, topic_names)[0]


def get_or_add_paper(
    owner: Any, data: dict[str, Any], topic_names: Sequence[str] = ()
) -> tuple[Paper, bool]:
    """(paper, created): a new paper from metadata, or the existing one with its arXiv ID or DOI.

    The one duplicate check of adding a paper; callers need not look first.
    """
    existing = find_duplicate(owner, data.get("arxiv_id", ""), data.get("doi", ""))
    if existing:
        return existing, False
    authors = data.get("authors") or ""
    if isinstance(authors, list | tuple):
        authors = "\n".join(authors)
    paper = Paper(owner=owner, authors=authors, **{k: data.get(k) or "" for k in PAPER_FIELDS})
    paper.year = data.get("year") or None
    try:
        with transaction.atomic():
            return save_paper(paper, list(topic_names)), True
    except IntegrityError:
        # Another request added the same id between our check and the insert.
        existing = find_duplicate(owner, paper.arxiv_id, paper.doi)
        if existing is None:
            raise
        return existing, False


@transaction.atomic
def mark_read(
    paper: Paper,
    finished_on: dt.date,
    minutes: int | None = None,
    depth: int | None = None,
    summary: str = "",
    understanding: int | None = None,
) -> Paper:
    paper.status = Status.READ
    paper.finished_on = finished_on
    if paper.started_on is None or paper.started_on > finished_on:
        paper.started_on = finished_on
    if depth:
        paper.depth = depth
    if understanding:
        paper.understanding = understanding
    if summary.strip():
        paper.summary = summary.strip()
    paper.save()
    if minutes:
        ReadingSession.objects.create(paper=paper, date=finished_on, minutes=minutes)
    return paper


@transaction.atomic
def log_session(paper: Paper, date: dt.date, minutes: int) -> ReadingSession:
    session = ReadingSession.objects.create(paper=paper, date=date, minutes=minutes)
    if paper.status == Status.TO_READ:
        paper.status = Status.READING
        paper.started_on = date
        paper.save(update_fields=["status", "started_on", "updated_at"])
    return session


@transaction.atomic
def set_status(paper: Paper, status: str) -> Paper:
    if paper.status == status:
        return paper
    if status == Status.TO_READ:
        paper.queue_position = next_queue_position(paper.owner)
    paper.status = status
    apply_status_dates(paper, paper.owner.local_today())
    paper.save()
    return paper


@transaction.atomic
def move_in_queue(paper: Paper, direction: str) -> None:
    """Swap a to-read paper with its neighbour in the queue ("up" or "down")."""
    rows = list(
        Paper.objects.queue(paper.owner).select_for_update().values_list("pk", "queue_position")
    )
    ids = [pk for pk, _ in rows]
    if paper.pk not in ids:
        return
    positions = [pos for _, pos in rows]
    if len(set(positions)) != len(positions) or positions != sorted(positions):
        # Imports and old rows can share positions: renumber once, in current order.
        Paper.objects.bulk_update(
            [Paper(pk=pk, queue_position=i) for i, pk in enumerate(ids, 1)], ["queue_position"]
        )
        positions = list(range(1, len(ids) + 1))
    i = ids.index(paper.pk)
    j = i - 1 if direction == "up" else i + 1
    if not 0 <= j < len(ids):
        return
    Paper.objects.filter(pk=ids[i]).update(queue_position=positions[j])
    Paper.objects.filter(pk=ids[j]).update(queue_position=positions[i])
