"""CSV export of paper dicts (as ``Paper.as_export`` gives them), safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

__all__ = ["CSV_COLUMNS", "csv_rows", "write_csv"]

CSV_COLUMNS = [
    "title",
    "authors",
    "year",
    "venue",
    "arxiv_id",
    "doi",
    "url",
    "status",
    "added_on",
    "started_on",
    "finished_on",
    "depth",
    "understanding",
    "minutes",
    "explained",
    "summary",
    "notes",
    "topics",
]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    # Spreadsheets run cells that start with these as formulas (CSV injection).
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


def csv_rows(papers: Iterable[Mapping[str, Any]]) -> Iterator[list[str]]:
    yield CSV_COLUMNS
    for paper in papers:
        yield [_cell(paper.get(column)) for column in CSV_COLUMNS]


def write_csv(papers: Iterable[Mapping[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(csv_rows(papers))
    return buffer.getvalue()
