"""Import: duplicates, rejected rows, and bad archives refused with nothing written (P4)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from tests.goals.factories import GoalFactory
from tests.papers.factories import PaperFactory, ReadingSessionFactory, TopicFactory
from tracker.archive.export import build, write_zip
from tracker.archive.importer import ArchiveError, Limits, apply_plan, plan_import, read_archive
from tracker.archive.schema import tables
from tracker.goals.models import Goal, GoalTarget
from tracker.papers.models import Paper, ReadingSession, Topic


def _counts(user: User) -> dict[str, int]:
    return {
        t.label: t.model._default_manager.filter(**{t.owner_path: user.pk}).count()
        for t in tables()
    }


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def archive(user: User) -> bytes:
    topic = TopicFactory(owner=user, name="NLP", is_focus=True)
    paper = PaperFactory(owner=user, title="Attention", arxiv_id="1706.03762", topics=[topic])
    ReadingSessionFactory(paper=paper, minutes=40)
    PaperFactory(owner=user, title="Other", year=2020)
    GoalFactory(owner=user)
    buffer = io.BytesIO()
    write_zip(user, buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_import_into_a_non_empty_account_skips_duplicates(archive: bytes, other_user: User) -> None:
    TopicFactory(owner=other_user, name="nlp", is_focus=True)
    PaperFactory(owner=other_user, title="Something else", arxiv_id="1706.03762")
    plan = plan_import(read_archive(archive), other_user)
    summary = {name: (c, d, r) for name, c, d, r in plan.summary()}
    assert summary["papers"] == (1, 1, 0)
    assert summary["topics"] == (0, 1, 0)
    assert summary["reading sessions"] == (0, 1, 0)  # belongs to the duplicate paper
    assert not plan.apply_profile  # the account has data: its own settings stay
    apply_plan(plan, other_user)
    assert Paper.objects.filter(owner=other_user).count() == 2
    assert Topic.objects.filter(owner=other_user).count() == 1
    # The new paper had no topic; links to a duplicate topic go to the existing one.
    assert ReadingSession.objects.filter(paper__owner=other_user).count() == 0


@pytest.mark.django_db
def test_a_row_breaking_a_rule_is_rejected_with_the_reason(user: User, other_user: User) -> None:
    PaperFactory(owner=user, title="Good")
    doc = build(user)
    bad = dict(doc["tables"]["papers.paper"][0], id=99, title="Bad", understanding=9)
    doc["tables"]["papers.paper"].append(bad)
    doc["tables"]["papers.readingsession"].append(
        {"id": 5, "paper": 99, "date": "2026-01-01", "minutes": 5}
    )
    plan = plan_import(read_archive(json.dumps(doc).encode()), other_user)
    reasons = {(r.label, r.row_id): r.reason for r in plan.rejected}
    assert "understanding" in reasons[("papers.paper", 99)]
    assert "not in the archive or rejected" in reasons[("papers.readingsession", 5)]
    apply_plan(plan, other_user)
    assert list(Paper.objects.filter(owner=other_user).values_list("title", flat=True)) == ["Good"]


@pytest.mark.django_db
def test_goal_target_history_is_kept(user: User, other_user: User) -> None:
    goal = GoalFactory(owner=user, target=2)
    GoalTarget.objects.filter(goal=goal).delete()
    GoalTarget.objects.create(goal=goal, effective_from="2025-01-06", target=2)
    GoalTarget.objects.create(goal=goal, effective_from="2025-06-02", target=3)
    apply_plan(plan_import(build(user), other_user), other_user)
    copy = Goal.objects.get(owner=other_user)
    assert list(copy.targets.values_list("effective_from", "target")) == list(
        goal.targets.values_list("effective_from", "target")
    )


def _bad_archives(good: bytes) -> dict[str, tuple[bytes, str]]:
    doc = json.loads(zipfile.ZipFile(io.BytesIO(good)).read("paperstreak.json"))
    wrong_type = json.loads(json.dumps(doc))
    wrong_type["tables"]["papers.paper"][0]["year"] = "nineteen"
    wrong_row = json.loads(json.dumps(doc))
    wrong_row["tables"]["papers.paper"][0] = ["not", "an", "object"]
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("paperstreak.json", b" " * (60 * 1024 * 1024))
    return {
        "truncated": (good[: len(good) // 2], "damaged or truncated"),
        "unknown version": (
            _zip({"paperstreak.json": json.dumps({**doc, "version": 7}).encode()}),
            "version 7",
        ),
        "not an archive": (
            _zip({"paperstreak.json": b'{"hello": 1}'}),
            "not a Paperstreak archive",
        ),
        "oversized": (b"PK" + b"\0" * (50 * 1024 * 1024), "archives up to 20 MB"),
        "zip bomb": (bomb.getvalue(), "50 MB"),
        "path traversal": (
            _zip({"paperstreak.json": good[:0] + json.dumps(doc).encode(), "../../etc/x": b"x"}),
            "unsafe file names",
        ),
        "absolute path": (
            _zip({"/etc/passwd": b"x", "paperstreak.json": json.dumps(doc).encode()}),
            "unsafe file names",
        ),
        "too many entries": (_zip({f"f{i}": b"" for i in range(101)}), "at most 100"),
        "wrong type": (json.dumps(wrong_type).encode(), "field year: expected int, got str"),
        "row not an object": (json.dumps(wrong_row).encode(), "expected an object"),
        "not json": (_zip({"paperstreak.json": b"{oops"}), "not valid JSON"),
        "no json inside": (_zip({"readme.txt": b"hi"}), "no paperstreak.json"),
        "garbage": (b"\x00\x01garbage", "neither a Paperstreak archive"),
    }


@pytest.mark.django_db
def test_every_bad_archive_is_refused_with_a_message_and_writes_nothing(
    archive: bytes, other_user: User, tmp_path: Path
) -> None:
    before = _counts(other_user)
    for name, (data, message) in _bad_archives(archive).items():
        with pytest.raises(ArchiveError) as caught:
            read_archive(data)
        assert message in str(caught.value), (name, str(caught.value))
        path = tmp_path / "bad.zip"
        path.write_bytes(data)
        with pytest.raises(CommandError, match="nothing imported"):
            call_command("import_account", str(path), user=other_user.email, verbosity=0)
        assert _counts(other_user) == before, name


@pytest.mark.django_db
def test_a_declared_size_that_lies_is_caught_while_reading(
    archive: bytes, settings: object
) -> None:
    """A ZIP whose header understates the size still stops at the limit while inflating."""
    settings.ARCHIVE_LIMITS = Limits(json_bytes=10_000_000, total_bytes=10**9)  # type: ignore[attr-defined]
    data = bytearray(_zip({"paperstreak.json": b" " * 11_000_000}))
    # Patch the central directory's uncompressed size (offset 24 in the entry) to 1 byte.
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24 : cd + 28] = (1).to_bytes(4, "little")
    with pytest.raises(ArchiveError, match=r"damaged|inflates"):
        read_archive(bytes(data))


@pytest.mark.django_db
def test_commands_export_then_import_with_dry_run(
    user: User, other_user: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    PaperFactory(owner=user, title="One")
    out = tmp_path / "a.zip"
    call_command("export_account", user=user.email, out=str(out))
    call_command("import_account", str(out), user=other_user.email, dry_run=True)
    assert "papers: 1 to create" in capsys.readouterr().out
    assert not Paper.objects.filter(owner=other_user).exists()
    call_command("import_account", str(out), user=other_user.email)
    assert Paper.objects.filter(owner=other_user).count() == 1
