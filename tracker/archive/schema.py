"""Which tables an account archive holds, found by walking the models.

A model is *owned* when it has a foreign key to the user (``Paper.owner``) or a foreign key
to an owned model (``ReadingSession.paper``): every such model goes into the archive unless
it is listed in :data:`EXCLUDED` with the reason, so a table added later (recall prompts,
contacts) is exported and imported with no change here. ``tests/archive/test_schema.py``
fails on an owned model that is neither archived nor excluded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.conf import settings
from django.db import models

# label_lower → why it stays out of the archive.
EXCLUDED: dict[str, str] = {
    "admin.logentry": "the admin's audit log of this instance",
    "account.emailaddress": "login addresses: the importing account keeps its own",
    "account.emailconfirmation": "one-time verification keys",
    "mfa.authenticator": "two-factor secrets never leave the instance",
    "reminders.reminder": "this instance's send ledger (one email a week), not the user's data",
    "papers.pendingimport": "a BibTeX upload waiting for confirmation",
    "archive.archiveexport": "the archive jobs themselves",
    "archive.archiveimport": "an uploaded archive waiting for confirmation",
    "ical.calendarfeed": "a secret URL: the new account makes its own",
    "progress.dayrollup": "derived counts, rebuilt from the imported rows (rollups.rebuild)",
    "progress.weekrollup": "derived counts, rebuilt from the imported rows (rollups.rebuild)",
    "api.apitoken": "a credential: an imported digest would let the old token into the new "
    "account; the importing user makes new tokens",
    "portfolio.portfoliosettings": "the handle is unique per instance and the share link a "
    "secret; the importing user sets up their public page again",
    "portfolio.publicpaper": "published switches: nothing becomes public on the new instance "
    "until its owner chooses it",
    "portfolio.publicreplication": "as portfolio.publicpaper",
    "portfolio.publicproject": "as portfolio.publicpaper",
    "sessions.session": "login sessions",
    "usersessions.usersession": "login sessions",
}


@dataclass(frozen=True)
class Table:
    model: type[models.Model]
    # Path from this model to the user id, for .filter(**{owner_path: user.pk}).
    owner_path: str
    # The foreign key to the user, when direct (set to the importing user on import).
    owner_field: str | None
    # Foreign keys to other archived tables: field name → table label.
    refs: dict[str, str] = field(default_factory=dict)
    # Many-to-many fields to other archived tables: field name → table label.
    m2m: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def value_fields(self) -> list[models.Field]:  # type: ignore[type-arg]
        """Concrete columns written as values: not the pk, not the owner, not references."""
        return [
            f
            for f in self.model._meta.concrete_fields
            if not f.primary_key and f.name != self.owner_field and f.name not in self.refs
        ]

    @property
    def parent(self) -> str | None:
        """The reference a row belongs to (a session's paper), for indirect tables."""
        if self.owner_field:
            return None
        return next(iter(self.refs))


def _user_model() -> type[models.Model]:
    return apps.get_model(settings.AUTH_USER_MODEL)


def user_foreign_keys(model: type[models.Model]) -> list[models.ForeignKey]:  # type: ignore[type-arg]
    user = _user_model()
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is user
    ]


@cache
def tables() -> tuple[Table, ...]:
    """Archived tables in dependency order (a table after every table it references)."""
    found: dict[str, Table] = {}
    candidates = [
        m
        for m in apps.get_models()
        if m._meta.label_lower not in EXCLUDED and m is not _user_model()
    ]
    for model in candidates:
        fks = user_foreign_keys(model)
        if fks:
            found[model._meta.label_lower] = Table(model, fks[0].name, fks[0].name)
    # Indirect tables: a non-null foreign key to a table already found, until none is added.
    added = True
    while added:
        added = False
        for model in candidates:
            label = model._meta.label_lower
            if label in found:
                continue
            for f in model._meta.concrete_fields:
                target = f.related_model
                if (
                    isinstance(f, models.ForeignKey)
                    and not f.null
                    and target is not None
                    and target._meta.label_lower in found
                ):
                    parent = found[target._meta.label_lower]
                    found[label] = Table(model, f"{f.name}__{parent.owner_path}", None)
                    added = True
                    break
    # References and many-to-many fields between archived tables.
    for label, t in list(found.items()):
        refs: dict[str, str] = {}
        if t.owner_field is None:
            # The parent first: Table.parent is the first reference.
            parent_name = t.owner_path.split("__", 1)[0]
            parent_fk = t.model._meta.get_field(parent_name)
            refs[parent_name] = parent_fk.related_model._meta.label_lower  # type: ignore[union-attr]
        for f in t.model._meta.concrete_fields:
            target = f.related_model
            if isinstance(f, models.ForeignKey) and target is not None and f.name not in refs:
                target_label = target._meta.label_lower
                if target_label in found:
                    refs[f.name] = target_label
        m2m = {
            f.name: f.related_model._meta.label_lower
            for f in t.model._meta.many_to_many
            if f.related_model._meta.label_lower in found
        }
        found[label] = Table(t.model, t.owner_path, t.owner_field, refs, m2m)
    return tuple(_dependency_order(found))


def _dependency_order(found: dict[str, Table]) -> list[Table]:
    ordered: list[Table] = []
    done: set[str] = set()

    def visit(label: str, stack: frozenset[str]) -> None:
        if label in done or label in stack:
            return
        for target in [*found[label].refs.values(), *found[label].m2m.values()]:
            if target != label:
                visit(target, stack | {label})
        done.add(label)
        ordered.append(found[label])

    for label in sorted(found):
        visit(label, frozenset())
    return ordered


def table(label: str) -> Table | None:
    return next((t for t in tables() if t.label == label), None)


# Profile fields of the user row that travel with the archive (never email or password).
PROFILE_FIELDS = (
    "display_name",
    "timezone",
    "week_start",
    "reminder_weekday",
    "reminder_time",
    "reminders_enabled",
)
