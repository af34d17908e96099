"""A fixed-window request limit per API token, counted in the Django cache.

The same cache that holds allauth's login throttles (Redis in production, so every web
process shares the count). A fixed window is one ``add`` and one ``incr`` per request;
allauth's own limiter keeps a list of timestamps per key, which is too heavy per API call.
"""

from __future__ import annotations

import re
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


def parse_rate(rate: str) -> tuple[int, int]:
    """ "120/m" -> (120, 60); "1000/5m" -> (1000, 300)."""
    m = _RATE.match(rate)
    if not m:
        raise ImproperlyConfigured(f"API_RATE_LIMIT {rate!r}: expected e.g. 120/m or 1000/h")
    amount, count, unit = m.groups()
    return int(amount), int(count or 1) * _UNITS[unit]


def hit(key: str, rate: str | None = None) -> tuple[bool, int]:
    """Count one request for ``key``; (allowed, seconds until the window resets)."""
    amount, window = parse_rate(rate or settings.API_RATE_LIMIT)
    now = int(time.time())
    start = now - now % window
    cache_key = f"api-rate:{key}:{start}"
    cache.add(cache_key, 0, window + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr
        cache.add(cache_key, 1, window + 5)
        count = 1
    return count <= amount, start + window - now
