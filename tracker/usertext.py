"""The one way templates show user-written text (S6, P5).

Registered as a template builtin (``TEMPLATES[...]["OPTIONS"]["builtins"]``), so every
template can write ``{{ paper.title|usertext }}`` without a ``{% load %}``:

- the value is escaped even when it arrives as a ``SafeString`` (``render_to_string``
  returns one, and a text email rendered with autoescape off is exactly such a string);
- it is wrapped in ``<span data-hx-disable>``, so htmx processes nothing inside it, whatever
  markup a future mistake lets through.

``tests/test_injection.py`` renders every route with a payload in every user text field
and fails on any such text outside an ``hx-disable`` container, so a template that prints
``{{ paper.title }}`` bare cannot land.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString

register = template.Library()
# Browsers drop tabs and newlines inside URLs, so 'java\tscript:' is still a script URL.
_CONTROL = re.compile(r"[\x00-\x20]")


@register.filter
def usertext(value: Any) -> SafeString | str:
    """One line of user text, escaped and inert to htmx."""
    if value is None or value == "":
        return ""
    return format_html("<span data-hx-disable>{}</span>", escape(value))


def http_url(value: Any) -> str:
    """``value`` when it is an http(s) URL, else "": a stored ``javascript:`` or ``data:``
    URL (an old import, an admin edit, a direct UPDATE) never becomes a link (P5)."""
    text = str(value or "").strip()
    if urlsplit(text).scheme.lower() in ("http", "https") and not _CONTROL.search(text):
        return text
    return ""


register.filter("http_url", http_url)
