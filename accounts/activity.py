"""A per-user data version in the cache, for views that cache what they compute.

Anything cached per user (the dashboard's cards) puts :func:`data_version` in its key.
:func:`bump_data_version` moves the version on, which orphans every such entry at once;
the orphans then expire on their own TTL. ``tracker.middleware`` bumps after every
non-GET request of a signed-in user, so views need not remember to; code that changes a
user's data outside a request (management commands, imports) calls it itself.

Lives in ``accounts`` so every app may import it (nothing may import the dashboard).
"""

from __future__ import annotations

import secrets

from django.core.cache import cache

# Longer than any entry keyed by it, so a version never expires under live entries.
VERSION_TTL = 24 * 60 * 60


def _key(user_id: int) -> str:
    return f"data-version:{user_id}"


def data_version(user_id: int) -> str:
    """The user's current data version (a random token, created on first use).

    Random rather than a counter: if the version is evicted or lost, the new one can
    never coincide with an old one, so no stale entry comes back to life.
    """
    key = _key(user_id)
    version = cache.get(key)
    if version is None:
        cache.add(key, secrets.token_hex(8), VERSION_TTL)
        version = cache.get(key)
    return str(version)


def bump_data_version(user_id: int) -> None:
    """Invalidate everything cached for the user. Call after their data changed."""
    cache.set(_key(user_id), secrets.token_hex(8), VERSION_TTL)
