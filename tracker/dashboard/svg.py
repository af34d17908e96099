"""Server-rendered SVG and table markup for the heatmap and the weekly chart.

Built in Python rather than in template loops: a year is 371 cells, and rendering each
through template tags and the localised ``date`` filter cost most of the page's time.
Every interpolated value is a number or goes through ``escape``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CELL = 11
STEP = 13
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def long_date(day: dt.date) -> str:
    """``Fri 20 Nov 2026`` without the (slow, locale-aware) template filter."""
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}"


def heatmap_svg(hm: Any, today: dt.date, labelledby: str) -> SafeString:
    width = len(hm.weeks) * STEP
    parts = [
        f'<svg class="heatmap" viewBox="0 0 {width} 112" role="img" '
        f'aria-labelledby="{escape(labelledby)}">'
    ]
    for x, column in enumerate(hm.weeks):
        for y, cell in enumerate(column):
            if cell.future:
                continue
            today_class = " heat-today" if cell.day == today else ""
            parts.append(
                f'<rect class="heat heat-l{cell.level}{today_class}" x="{x * STEP}" '
                f'y="{y * STEP}" width="{CELL}" height="{CELL}" rx="2" '
                f'data-date="{cell.day.isoformat()}" data-level="{cell.level}">'
                f"<title>{long_date(cell.day)}: {escape(cell.summary)}</title></rect>"
            )
        first = column[0].day
        if first.day <= 7:
            parts.append(
                f'<text class="heat-month" x="{x * STEP}" y="106">{MONTHS[first.month - 1]}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def heatmap_rows(hm: Any) -> SafeString:
    """Table fallback: one row per week, newest first."""
    rows = []
    for column in reversed(hm.weeks):
        past = [c for c in column if not c.future]
        rows.append(
            f'<tr><th scope="row">{short_date(column[0].day)} {column[0].day.year}</th>'
            f"<td>{sum(c.papers for c in past)}</td><td>{sum(c.minutes for c in past)}</td>"
            f"<td>{sum(1 for c in past if c.score > 0)}</td></tr>"
        )
    return mark_safe("".join(rows))


def chart_svg(chart: Any, labelledby: str) -> SafeString:
    base = chart.TOP + chart.PLOT_H
    parts = [
        # A few bars keep their natural size (2 px a unit) instead of stretching wide.
        f'<svg class="chart{" chart-few" if len(chart.bars) < 16 else ""}" '
        f'viewBox="0 0 {chart.width} {chart.height}" width="{chart.width * 2}" '
        f'height="{chart.height * 2}" role="img" '
        f'aria-labelledby="{escape(labelledby)}">',
        f'<text class="axis" x="0" y="16">{chart.max_value}</text>',
        f'<text class="axis" x="0" y="{base}">0</text>',
        f'<line class="baseline" x1="{chart.LEFT - 2}" x2="{chart.width}" y1="{base}" '
        f'y2="{base}"/>',
    ]
    for i, b in enumerate(chart.bars):
        classes = (
            "bar" + (" bar-met" if b.bar.met else "") + (" bar-current" if b.bar.is_current else "")
        )
        parts.append(
            f'<rect class="{classes}" x="{b.x}" y="{b.y}" width="{chart.BAR_W}" '
            f'height="{b.height}"><title>{escape(b.label)}</title></rect>'
        )
        if i % 4 == 0:
            parts.append(
                f'<text class="axis" x="{b.x}" y="{base + 16}">'
                f"{short_date(b.bar.week.start)}</text>"
            )
    if chart.target_path:
        parts.append(
            f'<path class="target-line" d="{escape(chart.target_path)}">'
            "<title>Target</title></path>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def chart_rows(bars: list[Any]) -> SafeString:
    rows = [
        f'<tr><th scope="row">{escape(b.week.label)}</th><td>{b.count}</td>'
        f"<td>{'–' if b.target is None else b.target}</td></tr>"
        for b in bars
    ]
    return mark_safe("".join(rows))
