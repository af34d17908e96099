import datetime as dt

import factory

from tests.factories import UserFactory
from tests.projects.factories import make_paper
from tracker.replications.models import Claim, ClaimResult, Replication, ReplicationStatus

__all__ = ["ClaimFactory", "ReplicationFactory", "make_paper"]


class ReplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Replication

    owner = factory.SubFactory(UserFactory)
    paper = factory.LazyAttributeSequence(lambda o, n: make_paper(o.owner, title=f"Paper {n}"))
    status = ReplicationStatus.IN_PROGRESS
    started_on = dt.date(2025, 1, 6)


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    replication = factory.SubFactory(ReplicationFactory)
    text = factory.Sequence(lambda n: f"Claim {n}: the model beats the baseline")
    result = ClaimResult.PENDING
