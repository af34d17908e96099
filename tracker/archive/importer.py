"""Read, check and import an account archive (all or nothing).

Three steps, each usable alone (the settings page, ``manage.py import_account``):

1. :func:`read_archive` turns the uploaded bytes into the archive document, refusing
   anything over the limits (:data:`LIMITS`), a broken or truncated ZIP, a ZIP bomb (the
   declared and the actual uncompressed sizes are both checked), path traversal names,
   an unknown format or version, and rows of the wrong shape or JSON type
   (:class:`ArchiveError`, a message for the user).
2. :func:`plan_import` sorts every row into create / duplicate / rejected (with why),
   against the account it goes into; it writes nothing.
3. :func:`apply_plan` writes the rows to create in one transaction, ids remapped, with
   their dates and timestamps exactly as archived.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from accounts.activity import bump_data_version
from tracker.archive.export import FORMAT, JSON_NAME, VERSION
from tracker.archive.schema import PROFILE_FIELDS, Table, table, tables
from tracker.progress import rollups


@dataclass(frozen=True)
class Limits:
    upload_bytes: int = 20 * 1024 * 1024  # the file as uploaded (ZIP or JSON)
    json_bytes: int = 50 * 1024 * 1024  # paperstreak.json uncompressed
    total_bytes: int = 200 * 1024 * 1024  # every ZIP entry uncompressed, declared
    entries: int = 100  # ZIP entries
    rows: int = 200_000  # rows over all tables


def limits() -> Limits:
    return getattr(settings, "ARCHIVE_LIMITS", None) or Limits()


class ArchiveError(ValueError):
    """The archive is refused as a whole; the message is for the user."""


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


def _bounded_read(z: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """Read an entry, stopping as soon as it inflates past ``cap`` (whatever it declares)."""
    out = io.BytesIO()
    with z.open(info) as f:
        while chunk := f.read(1024 * 1024):
            out.write(chunk)
            if out.tell() > cap:
                raise ArchiveError(
                    f"{info.filename} inflates to more than {_mb(cap)}; refused (zip bomb?)."
                )
    return out.getvalue()


def _safe_name(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return not (
        name.startswith(("/", "\\"))
        or ".." in parts
        or (len(name) > 1 and name[1] == ":")
        or "\x00" in name
    )


def read_archive(data: bytes) -> dict[str, Any]:
    """The archive document from an uploaded ZIP (or a bare ``paperstreak.json``)."""
    lim = limits()
    if len(data) > lim.upload_bytes:
        raise ArchiveError(
            f"The file is {_mb(len(data))}; archives up to {_mb(lim.upload_bytes)} are accepted."
        )
    if data[:1] in (b"{", b" ", b"\n", b"\r", b"\t") or data.startswith(b"\xef\xbb\xbf{"):
        raw = data
    else:
        if not data.startswith(b"PK"):
            raise ArchiveError("This is neither a Paperstreak archive (ZIP) nor its JSON file.")
        try:
            z = zipfile.ZipFile(io.BytesIO(data))
            infos = z.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
            raise ArchiveError(f"The ZIP file is damaged or truncated ({exc}).") from exc
        if len(infos) > lim.entries:
            raise ArchiveError(f"The ZIP holds {len(infos)} files; at most {lim.entries}.")
        bad = [i.filename for i in infos if not _safe_name(i.filename)]
        if bad:
            raise ArchiveError(f"The ZIP holds unsafe file names: {', '.join(bad[:3])}.")
        declared = sum(i.file_size for i in infos)
        if declared > lim.total_bytes:
            raise ArchiveError(
                f"The ZIP unpacks to {_mb(declared)}; at most {_mb(lim.total_bytes)}."
            )
        wanted = [i for i in infos if i.filename == JSON_NAME]
        if not wanted:
            raise ArchiveError(f"The ZIP has no {JSON_NAME}; is it a Paperstreak archive?")
        (info,) = wanted[:1]
        if info.file_size > lim.json_bytes:
            raise ArchiveError(
                f"{JSON_NAME} is {_mb(info.file_size)}; at most {_mb(lim.json_bytes)}."
            )
        try:
            raw = _bounded_read(z, info, lim.json_bytes)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
            if isinstance(exc, ArchiveError):
                raise
            raise ArchiveError(f"The ZIP file is damaged or truncated ({exc}).") from exc
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArchiveError(f"{JSON_NAME} is not valid JSON ({exc}).") from exc
    check_document(doc)
    return doc  # type: ignore[no-any-return]


# JSON types a column of each kind accepts (None too where the column is nullable).
_STR = (str,)
_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "CharField": _STR,
    "TextField": _STR,
    "URLField": _STR,
    "EmailField": _STR,
    "SlugField": _STR,
    "DateField": _STR,
    "DateTimeField": _STR,
    "TimeField": _STR,
    "DecimalField": (str, int),
    "FloatField": (int, float),
    "BooleanField": (bool,),
}


def _json_types(f: models.Field) -> tuple[type, ...] | None:  # type: ignore[type-arg]
    kind = f.get_internal_type()
    if kind in _JSON_TYPES:
        return _JSON_TYPES[kind]
    if "Integer" in kind or kind == "AutoField":
        return (int,)
    return None  # JSONField and others: any JSON value


def check_document(doc: Any) -> None:
    """Shape and JSON types of every row; raises :class:`ArchiveError` naming the place."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ArchiveError(
            'This is not a Paperstreak archive (no "format": "paperstreak-archive").'
        )
    version = doc.get("version")
    if version != VERSION:
        raise ArchiveError(
            f"Archive version {version!r} is not supported; this instance reads version {VERSION}."
        )
    if not isinstance(doc.get("profile", {}), dict):
        raise ArchiveError('"profile" must be an object.')
    tabs = doc.get("tables")
    if not isinstance(tabs, dict):
        raise ArchiveError('"tables" must be an object of table name → list of rows.')
    total = 0
    for label, rows in tabs.items():
        if not isinstance(rows, list):
            raise ArchiveError(f"Table {label}: expected a list of rows.")
        total += len(rows)
        if total > limits().rows:
            raise ArchiveError(f"The archive holds more than {limits().rows} rows.")
        t = table(label)
        seen: set[int] = set()
        for n, row in enumerate(rows, start=1):
            where = f"{label}, row {n}"
            if not isinstance(row, dict):
                raise ArchiveError(f"{where}: expected an object.")
            rid = row.get("id")
            if not isinstance(rid, int) or isinstance(rid, bool) or rid in seen:
                raise ArchiveError(f'{where}: "id" must be a whole number, unique in its table.')
            seen.add(rid)
            if t is None:
                continue
            for f in t.value_fields():
                if f.name not in row:
                    continue
                value = row[f.name]
                types = _json_types(f)
                if value is None or types is None:
                    continue
                if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
                    wanted = " or ".join(x.__name__ for x in types)
                    raise ArchiveError(
                        f"{where}, field {f.name}: expected {wanted}, got {type(value).__name__}."
                    )
            for name in t.refs:
                value = row.get(name)
                if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                    raise ArchiveError(f"{where}, field {name}: expected an id, got {value!r}.")
            for name in t.m2m:
                value = row.get(name, [])
                if not isinstance(value, list) or not all(
                    isinstance(v, int) and not isinstance(v, bool) for v in value
                ):
                    raise ArchiveError(f"{where}, field {name}: expected a list of ids.")


# --- Planning ------------------------------------------------------------------------------


@dataclass
class Rejected:
    label: str
    row_id: int
    reason: str


@dataclass
class TablePlan:
    label: str
    verbose: str
    create: list[dict[str, Any]] = field(default_factory=list)  # cleaned values, by field name
    duplicates: int = 0


@dataclass
class Plan:
    tables: list[TablePlan]
    rejected: list[Rejected]
    unknown_tables: list[str]
    profile: dict[str, Any]
    apply_profile: bool
    # archive table label → archive id → existing pk (duplicates mapped onto what is there)
    existing: dict[str, dict[int, int]]
    notes: list[str]
    # archive table label → archive id → the earlier archive id of its twin
    aliases: dict[str, dict[int, int]] = field(default_factory=dict)

    @property
    def to_create(self) -> int:
        return sum(len(t.create) for t in self.tables)

    @property
    def duplicates(self) -> int:
        return sum(t.duplicates for t in self.tables)

    def summary(self) -> list[tuple[str, int, int, int]]:
        """(table, to create, duplicates, rejected) for the preview."""
        rejected: dict[str, int] = defaultdict(int)
        for r in self.rejected:
            rejected[r.label] += 1
        return [
            (t.verbose, len(t.create), t.duplicates, rejected[t.label])
            for t in self.tables
            if t.create or t.duplicates or rejected[t.label]
        ]


def _norm(text: Any) -> str:
    return " ".join(str(text or "").lower().split())


def _duplicate_keys(t: Table, values: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Keys that make a row a duplicate of one already in the account (or the archive)."""
    label = t.label
    if label == "papers.paper":
        keys: list[tuple[Any, ...]] = []
        if values.get("arxiv_id"):
            keys.append(("arxiv", values["arxiv_id"].lower()))
        if values.get("doi"):
            keys.append(("doi", values["doi"].lower()))
        keys.append(("title", _norm(values.get("title")), values.get("year")))
        return keys
    if label == "papers.topic":
        return [("name", _norm(values.get("name")))]
    if label == "goals.goal":
        return [(values.get("metric"), _norm(values.get("name")), values.get("period"))]
    if label == "goals.weekbreak":
        return [("week", values.get("week_start"))]
    return []


def _existing_keys(t: Table, user: Any) -> dict[tuple[Any, ...], int]:
    if t.owner_field is None or t.label not in {
        "papers.paper",
        "papers.topic",
        "goals.goal",
        "goals.weekbreak",
    }:
        return {}
    names = [f.name for f in t.value_fields()]
    out: dict[tuple[Any, ...], int] = {}
    for row in t.model._default_manager.filter(**{t.owner_field: user}).values("pk", *names):
        for key in _duplicate_keys(t, row):
            out.setdefault(key, row["pk"])
    return out


def _clean(t: Table, row: dict[str, Any]) -> dict[str, Any]:
    """Python values of a row's columns, validated like the model does; ValidationError
    (with the field named) when a value breaks a rule. Missing columns get their default."""
    out: dict[str, Any] = {}
    for f in t.value_fields():
        if f.name not in row:
            out[f.name] = (
                timezone.now()
                if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)
                else f.get_default()
            )
            continue
        value = row[f.name]
        try:
            if value is None:
                if not f.null:
                    raise ValidationError("may not be empty")
                out[f.name] = None
                continue
            python = f.to_python(value)
            if isinstance(python, dt.datetime) and timezone.is_naive(python):
                python = python.replace(tzinfo=dt.UTC)
            f.validate(python, None)
            f.run_validators(python)
            if isinstance(f, models.CharField) and f.max_length and len(python) > f.max_length:
                raise ValidationError(f"longer than {f.max_length} characters")
            if isinstance(python, str) and "\x00" in python:
                raise ValidationError("contains a NUL character")
        except ValidationError as exc:
            raise ValidationError(f"{f.name}: {'; '.join(exc.messages)}") from exc
        out[f.name] = python
    return out


def _is_empty_account(user: Any) -> bool:
    return not any(
        t.model._default_manager.filter(**{t.owner_field: user}).exists()
        for t in tables()
        if t.owner_field
    )


def plan_import(doc: dict[str, Any], user: Any) -> Plan:
    """Sort every archived row into create / duplicate / rejected; writes nothing."""
    tabs = doc["tables"]
    rejected: list[Rejected] = []
    existing: dict[str, dict[int, int]] = defaultdict(dict)
    creating: dict[str, set[int]] = defaultdict(set)
    aliases: dict[str, dict[int, int]] = defaultdict(dict)
    plans: list[TablePlan] = []
    notes: list[str] = []
    has_focus = _has_focus(user)
    for t in tables():
        rows = tabs.get(t.label, [])
        tp = TablePlan(t.label, str(t.model._meta.verbose_name_plural))
        plans.append(tp)
        known = _existing_keys(t, user)
        in_archive: dict[tuple[Any, ...], int] = {}
        for row in rows:
            rid = row["id"]
            try:
                values = _clean(t, row)
            except ValidationError as exc:
                rejected.append(Rejected(t.label, rid, "; ".join(exc.messages)))
                continue
            # References: to a row being created, or to one already in the account.
            refs: dict[str, tuple[str, int | None]] = {}
            dup_parent = False
            problem = ""
            for name, target in t.refs.items():
                value = row.get(name)
                fk = t.model._meta.get_field(name)
                if value is None:
                    if not fk.null:
                        problem = f"{name}: missing"
                    refs[name] = (target, None)
                    continue
                if value in existing[target] or value in aliases[target]:
                    if name == t.parent or getattr(fk, "one_to_one", False):
                        dup_parent = True
                    refs[name] = (target, aliases[target].get(value, value))
                elif value in creating[target]:
                    refs[name] = (target, value)
                else:
                    problem = f"{name}: refers to {target} {value}, not in the archive or rejected"
            if problem:
                rejected.append(Rejected(t.label, rid, problem))
                continue
            if dup_parent:
                tp.duplicates += 1
                continue
            keys = _duplicate_keys(t, values)
            match = next((known[k] for k in keys if k in known), None)
            if match is not None:
                existing[t.label][rid] = match
                tp.duplicates += 1
                continue
            twin = next((in_archive[k] for k in keys if k in in_archive), None)
            if twin is not None:
                # Twice in the archive itself: the first one stands for both.
                aliases[t.label][rid] = twin
                tp.duplicates += 1
                continue
            for k in keys:
                in_archive[k] = rid
            if t.label == "papers.topic" and values.get("is_focus"):
                if has_focus:
                    values["is_focus"] = False
                    notes.append(f"Topic “{values['name']}” is not made your focus: you have one.")
                has_focus = True
            values["__id"] = rid
            values["__refs"] = refs
            values["__m2m"] = {name: row.get(name, []) for name in t.m2m}
            tp.create.append(values)
            creating[t.label].add(rid)
    known_labels = {t.label for t in tables()}
    unknown = sorted(label for label in tabs if label not in known_labels)
    for label in unknown:
        rejected.append(
            Rejected(label, 0, f"this instance has no table {label}; its rows are left out")
        )
    empty = _is_empty_account(user)
    return Plan(
        plans,
        rejected,
        unknown,
        dict(doc.get("profile") or {}),
        empty,
        dict(existing),
        notes,
        {label: dict(m) for label, m in aliases.items()},
    )


def _has_focus(user: Any) -> bool:
    t = table("papers.topic")
    return bool(t and t.model._default_manager.filter(owner=user, is_focus=True).exists())


# --- Writing -------------------------------------------------------------------------------

BATCH = 500


def _auto_fields(t: Table) -> list[str]:
    return [
        f.name
        for f in t.value_fields()
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]


def apply_plan(plan: Plan, user: Any) -> int:
    """Create the planned rows in one transaction; returns how many were created."""
    created = 0
    new_ids: dict[str, dict[int, int]] = defaultdict(dict)
    for label, mapping in plan.existing.items():
        new_ids[label].update(mapping)
    m2m_links: list[tuple[Table, str, int, list[int]]] = []
    with transaction.atomic():
        if plan.apply_profile:
            _apply_profile(plan.profile, user)
        for tp in plan.tables:
            t = table(tp.label)
            assert t is not None
            auto = _auto_fields(t)
            for start in range(0, len(tp.create), BATCH):
                chunk = tp.create[start : start + BATCH]
                objs = []
                for values in chunk:
                    kwargs = {k: v for k, v in values.items() if not k.startswith("__")}
                    if t.owner_field:
                        kwargs[t.model._meta.get_field(t.owner_field).attname] = user.pk  # type: ignore[union-attr]
                    for name, (target, rid) in values["__refs"].items():
                        attname = t.model._meta.get_field(name).attname  # type: ignore[union-attr]
                        kwargs[attname] = None if rid is None else new_ids[target][rid]
                    objs.append(t.model(**kwargs))
                t.model._default_manager.bulk_create(objs)
                for values, obj in zip(chunk, objs, strict=True):
                    new_ids[tp.label][values["__id"]] = obj.pk
                    for name in auto:  # bulk_create stamped now(); put the archived instants back
                        setattr(obj, name, values[name])
                    for name, targets in values["__m2m"].items():
                        m2m_links.append((t, name, obj.pk, targets))
                for rid, twin in plan.aliases.get(tp.label, {}).items():
                    if twin in new_ids[tp.label]:
                        new_ids[tp.label][rid] = new_ids[tp.label][twin]
                if auto:
                    t.model._default_manager.bulk_update(objs, auto)
                created += len(objs)
        _write_m2m(m2m_links, new_ids)
        # bulk_create bypasses the save hooks that keep the rollups; recount this user's.
        rollups.rebuild(user.pk)
        transaction.on_commit(lambda: bump_data_version(user.pk))
    return created


def _write_m2m(
    links: list[tuple[Table, str, int, list[int]]], new_ids: dict[str, dict[int, int]]
) -> None:
    by_through: dict[Any, list[Any]] = defaultdict(list)
    for t, name, pk, targets in links:
        m2m = t.model._meta.get_field(name)
        through = m2m.remote_field.through  # type: ignore[union-attr]
        src, dst = m2m.m2m_column_name(), m2m.m2m_reverse_name()  # type: ignore[union-attr]
        target_label = t.m2m[name]
        for rid in sorted(set(targets)):
            new = new_ids[target_label].get(rid)
            if new is not None:
                by_through[through].append(through(**{src: pk, dst: new}))
    for through, rows in by_through.items():
        through._default_manager.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)


def _apply_profile(profile: dict[str, Any], user: Any) -> None:
    user_model = get_user_model()
    changed = []
    for name in PROFILE_FIELDS:
        if name not in profile:
            continue
        f = user_model._meta.get_field(name)
        try:
            value = f.to_python(profile[name])  # type: ignore[union-attr]
            f.clean(value, user)  # type: ignore[union-attr]
        except ValidationError:
            continue
        setattr(user, name, value)
        changed.append(name)
    joined = profile.get("date_joined")
    if isinstance(joined, str):
        try:
            when = dt.datetime.fromisoformat(joined)
        except ValueError:
            when = None
        if when and timezone.is_aware(when) and when < user.date_joined:
            user.date_joined = when
            changed.append("date_joined")
    if changed:
        user.save(update_fields=changed)
