"""A shields.io-style two-part badge ("papers read | 143") as a standalone SVG.

Text width is estimated from a per-character table (Verdana 11 px, as shields does), so no
font metrics are needed. The label and value are our own strings and numbers, escaped anyway.
"""

from __future__ import annotations

from django.utils.html import escape

NARROW = set("fijlrt1I.,:;'|! ")
WIDE = set("mwMW")


def text_width(text: str) -> int:
    return sum(4 if ch in NARROW else 10 if ch in WIDE else 7 for ch in text)


def badge_svg(label: str, value: str, color: str = "#4c1") -> str:
    lw, vw = text_width(label) + 10, text_width(value) + 10
    w = lw + vw
    label, value = escape(label), escape(value)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="20" role="img" '
        f'aria-label="{label}: {value}"><title>{label}: {value}</title>'
        '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" '
        'stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{w}" height="20" rx="3" fill="#fff"/></clipPath>'
        f'<g clip-path="url(#r)"><rect width="{lw}" height="20" fill="#555"/>'
        f'<rect x="{lw}" width="{vw}" height="20" fill="{color}"/>'
        f'<rect width="{w}" height="20" fill="url(#s)"/></g>'
        '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" '
        'font-size="11">'
        f'<text x="{lw / 2:g}" y="15" fill="#010101" fill-opacity=".3">{label}</text>'
        f'<text x="{lw / 2:g}" y="14">{label}</text>'
        f'<text x="{lw + vw / 2:g}" y="15" fill="#010101" fill-opacity=".3">{value}</text>'
        f'<text x="{lw + vw / 2:g}" y="14">{value}</text></g></svg>'
    )
