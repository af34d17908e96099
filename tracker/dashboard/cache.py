"""Per-user cache of the dashboard's rendered cards.

Computing the cards means folding years of activity into streaks, a heatmap and a chart,
and rendering forms field by field; the result only changes when the user changes their
data or their local day turns. So each card's markup is cached under a key made of the
user's data version (:mod:`accounts.activity`, bumped after every non-GET request of
theirs by ``tracker.middleware.DataVersionMiddleware``), their local date, timezone and
week start. The full page and the htmx refresh of a card share the entries.

CSRF tokens differ per browser, so no cached entry contains one: cards are rendered with
``CSRF_HOLE`` as the token, and :func:`fill_csrf` puts the requesting browser's own token
in on the way out.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from accounts.activity import data_version
from tracker.dashboard.queries import CARDS, Dashboard

PAGE = "dashboard/home.html"
# A safety net for changes made outside the user's own requests (an admin's edit); a
# version bump orphans entries long before this.
TTL = 10 * 60
# Bump when a card's markup changes, so a deploy never serves the previous code's HTML.
FORMAT = 2
# Stands in for the CSRF token in cached markup. A user who types it into a paper title
# gets their own token shown in their own page, nothing more.
CSRF_HOLE = "csrf-token-hole-7c1e9a"
SLOT = "mark-read-slot"


def card_key(d: Dashboard, version: str, name: str) -> str:
    user = d.user
    return (
        f"dash:{FORMAT}:{user.pk}:{version}:{d.today.isoformat()}:{user.timezone}:"
        f"{d.week_start}:{name}"
    )


def html_name(name: str) -> str:
    """Context key of a card's markup (template lookups cannot contain hyphens)."""
    return name.replace("-", "_")


def fill_csrf(request: HttpRequest, markup: str) -> SafeString:
    if CSRF_HOLE not in markup:
        return mark_safe(markup)  # our own rendered template output
    return mark_safe(markup.replace(CSRF_HOLE, get_token(request)))


def render_cards(request: HttpRequest, d: Dashboard, names: list[str]) -> dict[str, SafeString]:
    """Markup of the named cards, keyed by :func:`html_name`, from the cache where possible.

    The version is read before anything else: a change committed while a miss is being
    computed bumps it, so the possibly stale result is stored under the old version,
    which no later request asks for.
    """
    enabled = settings.DASHBOARD_CACHE
    version = data_version(d.user.pk) if enabled else ""
    keys = {name: card_key(d, version, name) for name in names}
    hits = cache.get_many(list(keys.values())) if enabled else {}
    out: dict[str, str] = {}
    misses: dict[str, str] = {}
    data: dict[str, Any] = {"dash": d}
    done: set[Any] = set()
    # The mark-read slot sits inside the log card: render it first and hand its markup
    # to the log card, so a cold page renders that form once (it is the costliest part).
    for name in sorted(names, key=lambda n: n != SLOT):
        key = keys[name]
        if key in hits:
            out[name] = hits[key]
            if name == SLOT:
                data["mark_read_slot_html"] = mark_safe(hits[key])
            continue
        for fn in CARDS[name]:
            if fn not in done:  # cards sharing a function run it once
                done.add(fn)
                data.update(fn(d))
        markup = render_to_string(f"{PAGE}#{name}", {**data, "csrf_token": CSRF_HOLE}, request)
        out[name] = misses[key] = str(markup)
        if name == SLOT:
            data["mark_read_slot_html"] = markup
    if misses and enabled:
        cache.set_many(misses, TTL)
    return {html_name(name): fill_csrf(request, markup) for name, markup in out.items()}
