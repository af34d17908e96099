"""P4: a 5-year seed_demo account exported and imported into a new account renders the
same dashboard cards and the same reminder email, apart from names and ids."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from accounts.models import User
from tests.factories import UserFactory
from tracker.archive.export import build, write_zip
from tracker.archive.importer import apply_plan, plan_import, read_archive
from tracker.dashboard.cache import render_cards
from tracker.dashboard.queries import CARDS, Dashboard
from tracker.demo.management.commands.seed_demo import seed
from tracker.reminders.emails import weekly_reminder_email

NOW = dt.datetime(2026, 11, 18, 10, 30, tzinfo=dt.UTC)


def _normalise(text: str, user: User) -> str:
    text = text.replace(user.email, "EMAIL").replace(user.display_name or "\0", "NAME")
    text = re.sub(r"/\d+/", "/ID/", text)  # object URLs
    text = re.sub(r"<option value=\"\d+\"", '<option value="ID"', text)  # paper choices
    text = re.sub(r"data-(goal|paper|project|id)=\"\d+\"", r'data-\1="ID"', text)
    text = re.sub(r"(id|for|aria-[a-z]+)=\"([a-z_-]*?)\d+\"", r'\1="\2N"', text)
    text = re.sub(r"csrfmiddlewaretoken\" value=\"[^\"]+\"", "csrf", text)
    text = re.sub(r"unsubscribe/[^/\s\"<>]+", "unsubscribe/TOKEN", text)
    return re.sub(r"<reminder\.[^>]+>", "<MSGID>", text)


def _rendered(user: User) -> dict[str, str]:
    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    request.htmx = False  # type: ignore[attr-defined]
    cards = render_cards(request, Dashboard(user), list(CARDS))
    out = {name: _normalise(str(html), user) for name, html in cards.items()}
    email = weekly_reminder_email(user, now=NOW)
    out["email.subject"] = _normalise(email.subject, user)
    out["email.text"] = _normalise(email.body, user)
    out["email.html"] = _normalise(str(email.alternatives[0][0]), user)
    return out


def _round_trip() -> tuple[User, User]:
    with time_machine.travel(NOW, tick=False):
        original = seed("demo@example.com", 5, "x", "Europe/Berlin")
        buffer = io.BytesIO()
        write_zip(original, buffer)
        copy = UserFactory(email="copy@example.com", display_name="Copy")
        plan = plan_import(read_archive(buffer.getvalue()), copy)
        assert not plan.rejected and plan.duplicates == 0
        apply_plan(plan, copy)
        copy.refresh_from_db()
        return original, copy


@pytest.mark.django_db(transaction=True)
def test_five_year_account_round_trips_to_identical_dashboard_and_email() -> None:
    original, copy = _round_trip()
    with time_machine.travel(NOW, tick=False):
        a, b = _rendered(original), _rendered(copy)
    assert set(a) == set(b)
    for name in a:
        assert a[name] == b[name], name
    # The cards really hold five years of data, not two empty pages.
    assert len(a) == len(CARDS) + 3
    assert re.search(r"\(\d+\)</", "".join(a.values()))  # seeded paper titles "… (123)"


@pytest.mark.django_db(transaction=True)
def test_export_of_the_import_is_the_same_archive() -> None:
    """Ids remapped, every value (dates, instants, target history, breaks) kept exactly."""
    original, copy = _round_trip()
    first, second = build(original), build(copy)
    assert first["tables"] == second["tables"]
    assert first["profile"] == second["profile"]
    counts = {label: len(rows) for label, rows in first["tables"].items()}
    assert counts["papers.paper"] > 500
    assert counts["goals.goaltarget"] > 0 and counts["goals.weekbreak"] > 0


@pytest.mark.django_db
def test_zip_holds_json_bibtex_and_one_csv_per_table() -> None:
    with time_machine.travel(NOW, tick=False):
        user = seed("demo@example.com", 1, "x")
        buffer = io.BytesIO()
        write_zip(user, buffer)
    z = zipfile.ZipFile(buffer)
    names = set(z.namelist())
    doc = json.loads(z.read("paperstreak.json"))
    assert doc["format"] == "paperstreak-archive" and doc["version"] == 1
    assert "papers.bib" in names
    for label in doc["tables"]:
        assert f"csv/{label.replace('.', '_')}.csv" in names
    assert z.read("papers.bib").decode().count("@") == len(doc["tables"]["papers.paper"])
