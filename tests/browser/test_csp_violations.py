"""D2 in Chromium: the main pages load without a single Content-Security-Policy violation
(no inline style or script the policy blocks), logged in and out, and after htmx swaps."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from tests.browser.test_dashboard_flow import htmx_idle, live_server  # noqa: F401 (serial server)
from tests.factories import PASSWORD, UserFactory
from tests.goals.factories import GoalFactory
from tests.papers.factories import PaperFactory, TopicFactory
from tests.projects.factories import ProjectFactory
from tests.replications.factories import ReplicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}` +
    ` ${e.sample}`);
});
"""


def watch(page: Any) -> list[str]:
    console: list[str] = []
    page.add_init_script(LISTEN)
    page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return console


def violations(page: Any, console: list[str]) -> list[str]:
    return [*page.evaluate("window.__cspViolations || []"), *console]


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_main_pages_report_no_csp_violation(page: Any, settings: Any, debug: bool) -> None:
    """``debug``: as ``make run`` serves them (DEBUG on loads django-htmx's debug script)."""
    settings.DEBUG = debug
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    console = watch(page)
    for path in ("/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert violations(page, console) == [], path

    user = UserFactory(email="csp@example.com", timezone="Europe/Berlin")
    topic = TopicFactory(owner=user)
    paper = PaperFactory(owner=user, topics=[topic])
    replication = ReplicationFactory(owner=user, paper=paper)
    project = ProjectFactory(owner=user)
    GoalFactory(owner=user)
    EmailAddress.objects.create(user=user, email="new@example.com", verified=False)
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(page.base_url + "/")

    paths = [
        reverse("dashboard:home"),
        reverse("papers:library"),
        paper.get_absolute_url(),
        reverse("papers:queue"),
        reverse("papers:topics"),
        topic.get_absolute_url(),
        reverse("papers:mark_read"),
        reverse("papers:import"),
        reverse("goals:list"),
        reverse("projects:list"),
        project.get_absolute_url(),
        reverse("replications:list"),
        replication.get_absolute_url(),
        reverse("accounts:settings"),
        reverse("reminders:preview"),
        reverse("mfa_index"),
        reverse("account_email"),  # with a pending change: allauth's hidden form
    ]
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert violations(page, console) == [], path

    # An htmx swap: saving the settings re-renders the form and the reminder panel.
    page.goto(reverse("accounts:settings"))
    page.click("#settings-form button[type=submit]")
    page.wait_for_selector("text=Settings saved.")
    assert violations(page, console) == [], "after the settings swap"
    page.fill("input[name=timezone]", "Not/AZone")
    page.click("#settings-form button[type=submit]")
    page.wait_for_selector("#settings-form [aria-invalid=true]")
    page.click("#reminder-panel button[type=submit]")
    page.wait_for_selector("#reminder-panel >> text=Test email queued")
    assert violations(page, console) == [], "after the invalid form and the test email"


def test_dashboard_cards_refresh_without_csp_violation(page: Any, settings: Any) -> None:
    """Marking a paper read refreshes the cards through htmx (``paperLogged``)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    console = watch(page)
    user = UserFactory(email="cards@example.com", timezone="Europe/Berlin")
    GoalFactory(owner=user)
    PaperFactory(owner=user, title="Attention Is All You Need")
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(page.base_url + "/")
    htmx_idle(page)
    page.select_option("#mark-read select[name=paper]", label="Attention Is All You Need")
    page.click("#mark-read button[type=submit]")
    page.wait_for_timeout(300)
    htmx_idle(page)
    page.wait_for_load_state("networkidle")
    assert violations(page, console) == [], "after the cards refreshed"
