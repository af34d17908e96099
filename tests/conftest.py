import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.servers.basehttp import WSGIServer
from django.test import Client
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler

from accounts.models import User
from tests.factories import PASSWORD, UserFactory


class _OneRequestAtATimeServer(WSGIServer):
    """The live server for an in-memory SQLite test database: one request at a time.

    Django hands every live-server thread the test's one in-memory connection, and sqlite3
    refuses concurrent use of a connection ("bad parameter or other API misuse"): a page
    whose htmx sections load in parallel (the settings page) then got a random 500. On
    PostgreSQL each thread has its own connection and the threaded server stays.
    """

    def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


_threaded_create_server = LiveServerThread._create_server


def _create_server(self: LiveServerThread, connections_override: Any = None) -> Any:
    if connections_override:
        return _OneRequestAtATimeServer(
            (self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=False
        )
    return _threaded_create_server(self, connections_override)


LiveServerThread._create_server = _create_server  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    # PBKDF2's million rounds dominate a suite that creates thousands of users; the
    # hasher is Django's, not ours, so the tests lose nothing by a cheap one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    # allauth's rate limits live in the cache; one test's failures must not throttle the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def user(db: None) -> User:
    return UserFactory(email="ada@example.com", display_name="Ada", timezone="Europe/Berlin")


@pytest.fixture
def other_user(db: None) -> User:
    return UserFactory(email="mallory@example.com", display_name="Mallory")


@pytest.fixture
def client_logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def other_client(other_user: User) -> Client:
    client = Client()
    client.force_login(other_user)
    return client


@pytest.fixture
def htmx() -> dict[str, str]:
    """Extra headers of a request made by htmx."""
    return {"HTTP_HX_REQUEST": "true"}


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium through Playwright; missing Chromium fails, never skips."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object, live_server: object, transactional_db: None) -> Iterator[object]:
    """A fresh browser context and page; `page.base_url` is the live server."""
    context = browser.new_context(base_url=live_server.url, timezone_id="Europe/Berlin")  # type: ignore[attr-defined]
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture
def live_browser(page: object) -> object:
    """Alias kept for the team contract."""
    return page
