import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from accounts.models import User
from tracker.goals.models import Goal
from tracker.papers.models import Paper
from tracker.projects.models import Project
from tracker.replications.models import Replication


def snapshot(user):
    return (
        Paper.objects.filter(owner=user).count(),
        Replication.objects.filter(owner=user).count(),
        Project.objects.filter(owner=user).count(),
        Goal.objects.filter(owner=user).count(),
        sorted(Paper.objects.filter(owner=user).values_list("title", flat=True)),
    )


def test_seed_demo_creates_a_verified_user_and_refills_idempotently(db) -> None:
    call_command("seed_demo", email="demo@example.com", years=2, verbosity=0)
    user = User.objects.get(email="demo@example.com")
    assert EmailAddress.objects.get(user=user).verified
    first = snapshot(user)
    assert first[0] > 150  # about two papers a week for two years
    assert first[1] > 0 and first[2] > 0
    call_command("seed_demo", email="demo@example.com", years=2, verbosity=0)
    assert snapshot(user) == first
    assert User.objects.filter(email="demo@example.com").count() == 1


def test_seed_demo_rejects_silly_years(db) -> None:
    with pytest.raises(CommandError):
        call_command("seed_demo", email="demo@example.com", years=0)
