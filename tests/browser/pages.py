"""The app's main pages, filled with a little of everything, for the width, axe-core and
Nu HTML checks. `main_pages(user)` returns (name, path, logged_in) triples."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings as django_settings
from django.test import Client

from tests.factories import UserFactory
from tests.goals.factories import GoalFactory
from tests.papers.factories import PaperFactory, TopicFactory
from tests.projects.factories import ProjectFactory
from tests.replications.factories import ReplicationFactory
from tracker.goals.actions import adopt_article_targets
from tracker.papers import services

ROOT = Path(__file__).resolve().parents[2]
NODE = ROOT / "var" / "node" / "node_modules"
AXE = NODE / "axe-core" / "axe.min.js"
VNU = NODE / "vnu-jar" / "build" / "dist" / "vnu.jar"
TOOLS_HINT = "run `make a11y-tools` (npm axe-core and vnu-jar under var/node, a headless JRE)"


def tool_missing(reason: str) -> None:
    """Skip on a developer's machine without the tool; in CI (CI=true) a missing tool fails,
    so the checks cannot silently stop running."""
    import os

    import pytest

    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must install it: .ci/run runs `make a11y-tools`)")
    pytest.skip(reason)


def learner_with_data() -> Any:
    user = UserFactory(email="pages@example.com", display_name="Ada", timezone="Europe/Berlin")
    today = user.local_today()
    adopt_article_targets(user, today - dt.timedelta(days=21))
    GoalFactory(owner=user, name="Blog posts", metric="custom", target=1)
    nlp = TopicFactory(owner=user, name="NLP")
    read = PaperFactory(
        owner=user,
        title="Attention Is All You Need: a rather long title that has to wrap on a phone",
        authors="Ashish Vaswani, Noam Shazeer, Niki Parmar",
        year=2017,
        venue="NeurIPS",
    )
    read.topics.add(nlp)
    services.mark_read(read, finished_on=today, minutes=45, depth=2, summary="Attention only.")
    for i in range(3):
        PaperFactory(owner=user, title=f"Queued paper {i}", year=2020 + i)
    ReplicationFactory(owner=user, paper=read)
    ProjectFactory(owner=user, title="Bird sounds")
    from tests.portfolio.util import publish_everything

    publish_everything(user)  # its public portfolio, /u/walker<pk>/
    return user


def main_pages(user: Any) -> list[tuple[str, str, bool]]:
    paper = user.papers.order_by("pk").first()
    return [
        ("landing", "/", False),
        ("login", "/accounts/login/", False),
        ("signup", "/accounts/signup/", False),
        ("reset", "/accounts/password/reset/", False),
        ("dashboard", "/", True),
        ("library", "/papers/", True),
        ("paper", f"/papers/{paper.pk}/", True),
        ("goals", "/goals/", True),
        ("projects", "/projects/", True),
        ("replications", "/replications/", True),
        ("settings", "/account/settings/", True),
        ("archive-export", "/account/archive/export/status/", True),
        ("archive-import", "/account/archive/import/", True),
        ("calendar", "/calendar/settings/", True),
        ("topics", "/papers/topics/", True),
        ("queue", "/papers/queue/", True),
        ("api tokens", "/account/api-tokens/", True),
        ("add from any page", "/papers/add/?q=https%3A%2F%2Fexample.org%2Fpaper", True),
        ("portfolio", f"/u/walker{user.pk}/", False),
        ("portfolio-settings", "/portfolio/settings/", True),
    ]


def session_cookie(user: Any, base_url: str) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    return {
        "name": django_settings.SESSION_COOKIE_NAME,
        "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }
