"""Projects and replications in real Chromium: checklist ticks, work sessions and claims
change in place (htmx), without a page reload."""

import datetime as dt

import pytest

from tests.factories import PASSWORD, UserFactory
from tracker.papers.models import Paper
from tracker.projects.models import Project, WorkSession
from tracker.replications.models import Claim, ClaimResult

pytestmark = pytest.mark.browser


def log_in(page: object, email: str) -> None:
    page.goto("/accounts/login/")  # type: ignore[attr-defined]
    page.fill("input[name=login]", email)  # type: ignore[attr-defined]
    page.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
    page.click("form button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_url(page.base_url + "/")  # type: ignore[attr-defined]


def test_project_checklist_and_sessions_update_in_place(page: object) -> None:
    user = UserFactory(email="hopper@example.com", timezone="Europe/Berlin")
    log_in(page, user.email)

    page.goto("/projects/")  # type: ignore[attr-defined]
    page.click("text=Start your first project")  # type: ignore[attr-defined]
    page.fill("input[name=title]", "Tiny ResNet")  # type: ignore[attr-defined]
    page.click("#project-form button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("h1 >> text=Tiny ResNet")  # type: ignore[attr-defined]
    project = Project.objects.get(owner=user)

    page.evaluate("window.__noReload = true")  # type: ignore[attr-defined]
    page.click("#checklist >> text=Exploratory data analysis")  # type: ignore[attr-defined]
    page.wait_for_selector("#checklist h2 >> text=1 of 8")  # type: ignore[attr-defined]
    page.click("#checklist >> text=Compared with a baseline")  # type: ignore[attr-defined]
    page.wait_for_selector("#checklist h2 >> text=2 of 8")  # type: ignore[attr-defined]
    project.refresh_from_db()
    assert project.has_eda and project.has_baseline

    page.fill("#sessions input[name=minutes]", "45")  # type: ignore[attr-defined]
    page.fill("#sessions input[name=note]", "baseline run")  # type: ignore[attr-defined]
    page.click("#sessions button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("#sessions >> text=45 min in total")  # type: ignore[attr-defined]
    page.fill("#sessions input[name=minutes]", "0")  # type: ignore[attr-defined]
    page.click("#sessions button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("#sessions .errorlist")  # type: ignore[attr-defined]
    assert WorkSession.objects.filter(project=project).count() == 1
    assert page.evaluate("window.__noReload") is True  # type: ignore[attr-defined]


def test_claims_are_added_and_edited_inline(page: object) -> None:
    user = UserFactory(email="lovelace@example.com", timezone="Europe/Berlin")
    Paper.objects.create(owner=user, title="Dropout", added_on=dt.date(2026, 1, 5))
    log_in(page, user.email)

    page.goto("/replications/")  # type: ignore[attr-defined]
    page.select_option("#new-replication select[name=paper]", label="Dropout")  # type: ignore[attr-defined]
    page.click("#new-replication button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("h1 >> text=Replication: Dropout")  # type: ignore[attr-defined]

    page.evaluate("window.__noReload = true")  # type: ignore[attr-defined]
    page.fill("#claims textarea[name=text]", "Dropout reduces overfitting")  # type: ignore[attr-defined]
    page.click("#claims >> text=Add claim")  # type: ignore[attr-defined]
    page.wait_for_selector("#claims li >> text=Dropout reduces overfitting")  # type: ignore[attr-defined]

    page.click("#claims li >> text=Edit")  # type: ignore[attr-defined]
    page.select_option("#claims li select[name=result]", "reproduced")  # type: ignore[attr-defined]
    page.click("#claims li >> text=Save claim")  # type: ignore[attr-defined]
    page.wait_for_selector("#claims h2 >> text=1 of 1 reproduced")  # type: ignore[attr-defined]
    assert Claim.objects.get().result == ClaimResult.REPRODUCED
    assert page.evaluate("window.__noReload") is True  # type: ignore[attr-defined]
