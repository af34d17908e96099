"""Build an account archive: ``paperstreak.json`` (every owned row, by :mod:`schema`),
``papers.bib`` and one CSV per table, in one ZIP."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.utils import timezone

from tracker.archive.schema import PROFILE_FIELDS, Table, tables
from tracker.papers.bibtex import write_bibtex
from tracker.papers.export import _cell
from tracker.papers.models import Paper

FORMAT = "paperstreak-archive"
VERSION = 1
JSON_NAME = "paperstreak.json"
BIB_NAME = "papers.bib"


def encode(value: Any) -> Any:
    """A column value as JSON: dates and times in ISO 8601 (instants in UTC), decimals as
    strings (no float rounding), everything else as is."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _rows(t: Table, user: Any, ids: dict[str, dict[int, int]]) -> Iterator[dict[str, Any]]:
    """Rows of one table with archive-local ids (1, 2, … in primary-key order)."""
    fields = t.value_fields()
    columns = [f.attname for f in fields]
    refs = {name: t.model._meta.get_field(name).attname for name in t.refs}  # type: ignore[union-attr]
    qs = t.model._default_manager.filter(**{t.owner_path: user.pk}).order_by("pk")
    local: dict[int, int] = {}
    ids[t.label] = local
    m2m_values: dict[str, dict[int, list[int]]] = {}
    for name in t.m2m:
        m2m = t.model._meta.get_field(name)
        through = m2m.remote_field.through  # type: ignore[union-attr]
        src = m2m.m2m_column_name()  # type: ignore[union-attr]
        dst = m2m.m2m_reverse_name()  # type: ignore[union-attr]
        links: dict[int, list[int]] = {}
        pairs = through._default_manager.filter(**{f"{src}__in": qs.values("pk")})
        for a, b in pairs.order_by(src, dst).values_list(src, dst):
            links.setdefault(a, []).append(b)
        m2m_values[name] = links
    for n, values in enumerate(qs.values_list("pk", *columns, *refs.values()), start=1):
        pk = values[0]
        local[pk] = n
        row: dict[str, Any] = {"id": n}
        for f, value in zip(fields, values[1 : 1 + len(columns)], strict=True):
            row[f.name] = encode(value)
        for (name, target), value in zip(t.refs.items(), values[1 + len(columns) :], strict=True):
            row[name] = None if value is None else ids[target].get(value)
        for name, target in t.m2m.items():
            row[name] = sorted(
                ids[target][b] for b in m2m_values[name].get(pk, ()) if b in ids[target]
            )
        yield row


def build(user: Any, progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """The archive document for ``user``."""
    ids: dict[str, dict[int, int]] = {}
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": encode(timezone.now()),
        "profile": {name: encode(getattr(user, name)) for name in PROFILE_FIELDS},
        "tables": {},
    }
    doc["profile"]["date_joined"] = encode(user.date_joined)
    all_tables = tables()
    for i, t in enumerate(all_tables, start=1):
        doc["tables"][t.label] = list(_rows(t, user, ids))
        if progress:
            progress(int(80 * i / len(all_tables)))
    return doc


def _csv(rows: list[dict[str, Any]]) -> str:
    columns: list[str] = []
    for row in rows[:1]:
        columns = list(row)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def bibtex_for(user: Any) -> str:
    papers = Paper.objects.owned_by(user).prefetch_related("topics").order_by("added_on", "pk")
    return write_bibtex(p.as_export() for p in papers)


def write_zip(
    user: Any, out: Path | io.BytesIO, progress: Callable[[int], None] | None = None
) -> None:
    doc = build(user, progress)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr(JSON_NAME, json.dumps(doc, ensure_ascii=False, separators=(",", ":")))
        z.writestr(BIB_NAME, bibtex_for(user))
        for label, rows in doc["tables"].items():
            z.writestr(f"csv/{label.replace('.', '_')}.csv", _csv(rows))
    if progress:
        progress(100)
