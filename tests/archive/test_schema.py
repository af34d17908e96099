"""Every model that belongs to a user is in the archive (or excluded with a reason), and
account deletion leaves no row of any of them behind."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from accounts.models import User
from tests.goals.factories import CounterEventFactory, GoalFactory, WeekBreakFactory
from tests.papers.factories import ReadingSessionFactory, TopicFactory
from tests.projects.factories import WorkSessionFactory
from tests.replications.factories import ClaimFactory
from tracker.archive.schema import EXCLUDED, tables, user_foreign_keys


def _owned_models() -> set[str]:
    """Models with a foreign key to the user, or to such a model (transitively)."""
    user = apps.get_model(settings.AUTH_USER_MODEL)
    owned = {m._meta.label_lower for m in apps.get_models() if user_foreign_keys(m)}
    grew = True
    while grew:
        grew = False
        for m in apps.get_models():
            label = m._meta.label_lower
            if label in owned or m is user:
                continue
            for f in m._meta.concrete_fields:
                if (
                    isinstance(f, models.ForeignKey)
                    and not f.null
                    and f.related_model._meta.label_lower in owned  # type: ignore[union-attr]
                    and f.related_model._meta.label_lower not in EXCLUDED  # type: ignore[union-attr]
                ):
                    owned.add(label)
                    grew = True
                    break
    return owned


def test_every_owned_model_is_archived_or_excluded_with_a_reason() -> None:
    archived = {t.label for t in tables()}
    missing = _owned_models() - archived - set(EXCLUDED)
    assert not missing, f"add to the archive or to schema.EXCLUDED with a reason: {missing}"
    assert archived & set(EXCLUDED) == set()
    assert all(reason.strip() for reason in EXCLUDED.values())


def test_the_archive_holds_the_domain_tables() -> None:
    archived = {t.label for t in tables()}
    assert {
        "papers.paper",
        "papers.readingsession",
        "papers.topic",
        "replications.replication",
        "replications.claim",
        "projects.project",
        "projects.worksession",
        "goals.goal",
        "goals.goaltarget",
        "goals.counterevent",
        "goals.weekbreak",
    } <= archived


def test_tables_come_after_the_tables_they_reference() -> None:
    seen: set[str] = set()
    for t in tables():
        assert set(t.refs.values()) - {t.label} <= seen, t.label
        assert set(t.m2m.values()) <= seen, t.label
        seen.add(t.label)


def test_every_foreign_key_to_the_user_cascades() -> None:
    """So deleting the account deletes the row: a new model cannot escape deletion."""
    for model in apps.get_models():
        for f in user_foreign_keys(model):
            assert f.remote_field.on_delete is models.CASCADE, f"{model._meta.label}.{f.name}"


@pytest.mark.django_db
def test_account_deletion_leaves_no_owned_row(user: User, other_user: User) -> None:
    from tracker.demo.management.commands.seed_demo import seed

    seeded = seed("demo@example.com", 1, "x")
    for owner in (seeded, user):
        ReadingSessionFactory(paper__owner=owner, paper__topics=[TopicFactory(owner=owner)])
        ClaimFactory(replication__owner=owner)
        WorkSessionFactory(project__owner=owner)
        CounterEventFactory(goal=GoalFactory(owner=owner, metric="custom", name="c"))
        WeekBreakFactory(owner=owner)
    keep = {
        t.label: t.model._default_manager.filter(**{t.owner_path: other_user.pk}).count()
        for t in tables()
    }
    for owner in (seeded, user):
        pks = owner.pk
        owner.delete()
        for t in tables():
            assert not t.model._default_manager.filter(**{t.owner_path: pks}).exists(), t.label
        for model in apps.get_models():
            for f in user_foreign_keys(model):
                assert not model._default_manager.filter(**{f.attname: pks}).exists()
    assert keep == {
        t.label: t.model._default_manager.filter(**{t.owner_path: other_user.pk}).count()
        for t in tables()
    }
