import datetime as dt

import factory

from tests.factories import UserFactory
from tests.papers.factories import PaperFactory
from tracker.papers.models import Depth, Status
from tracker.recall.models import Prompt


class ReadPaperFactory(PaperFactory):
    owner = factory.SubFactory(UserFactory)
    status = Status.READ
    finished_on = dt.date(2026, 1, 6)
    depth = Depth.GRASP


class PromptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prompt

    paper = factory.SubFactory(ReadPaperFactory)
    owner = factory.LazyAttribute(lambda o: o.paper.owner)
    question = factory.Sequence(lambda n: f"What problem does paper {n} solve?")
    answer = "It makes attention cheaper."
    position = factory.Sequence(lambda n: n)
    due = dt.datetime(2026, 1, 6, 12, tzinfo=dt.UTC)
    due_on = dt.date(2026, 1, 7)
