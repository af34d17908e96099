"""Loaded with `-p tests.testenv` before pytest-django imports settings.

Tests run with DEBUG off (as in production) but over plain HTTP and without the
collectstatic manifest; anything set in the environment wins.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("SITE_URL", "https://paperstreak.test")
# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from
# browser tests are made around it, not inside async code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
