"""Every htmx event a template waits for is sent by a view, and every event sent is heard."""

import ast
import re
from pathlib import Path

from tracker import events

ROOT = Path(__file__).resolve().parent.parent
# `data-hx-trigger="paperLogged from:body, goalsChanged from:body"` (or hx-trigger).
TRIGGER_ATTR = re.compile(r"""\b(?:data-)?hx-trigger\s*=\s*(["'])(.*?)\1""", re.DOTALL)
FROM_BODY = re.compile(r"(\w+)\s+from:body\b")


def listened() -> set[str]:
    names: set[str] = set()
    for template in (ROOT / "templates").rglob("*.html"):
        for _quote, value in TRIGGER_ATTR.findall(template.read_text()):
            names.update(FROM_BODY.findall(value))
    return names


def declared() -> set[str]:
    return {
        value for name, value in vars(events).items() if name.isupper() and isinstance(value, str)
    }


def _python_sources() -> list[Path]:
    return [p for p in (ROOT / "tracker").rglob("*.py") if p != ROOT / "tracker/events.py"]


def used() -> set[str]:
    """Constants of tracker.events that code outside it refers to (`events.X`)."""
    names: set[str] = set()
    for source in _python_sources():
        for node in ast.walk(ast.parse(source.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "events"
            ):
                names.add(getattr(events, node.attr))
    return names


def test_the_templates_listen_for_events():
    # Guards the scan itself: a changed attribute spelling must not make the checks vacuous.
    assert {events.PAPER_LOGGED, events.ACTIVITY_LOGGED} <= listened()


def test_every_listened_event_is_declared_and_sent():
    assert listened() - declared() == set()
    assert listened() - used() == set()


def test_every_declared_event_is_sent_and_listened_for():
    assert declared() - used() == set()
    assert declared() - listened() == set()


def test_event_names_are_camel_case_past_tense():
    for name in declared():
        assert re.fullmatch(r"[a-z]+(?:[A-Z][a-z]+)*(?:ed)", name), name


def test_no_code_spells_an_event_name_as_a_literal():
    """Views pass tracker.events constants, so the checks above see every event sent."""
    names = declared() | listened()
    offenders = []
    for source in _python_sources():
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == (
                "trigger_client_event"
            ):
                event = node.args[1] if len(node.args) > 1 else None
                if isinstance(event, ast.Constant):
                    offenders.append(f"{source.relative_to(ROOT)}:{node.lineno}")
            elif isinstance(node, ast.Constant) and node.value in names:
                offenders.append(f"{source.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
