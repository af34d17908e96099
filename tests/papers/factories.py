import datetime as dt

import factory

from tests.factories import UserFactory
from tracker.papers.models import Paper, ReadingSession, Status, Topic


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"topic {n}")


class PaperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paper
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Paper number {n}")
    authors = "Ada Lovelace\nAlan Turing"
    year = 2020
    venue = "NeurIPS"
    status = Status.TO_READ
    added_on = dt.date(2026, 1, 5)
    queue_position = factory.Sequence(lambda n: n + 1)

    @factory.post_generation
    def topics(obj: Paper, create: bool, extracted: list[Topic] | None, **kwargs: object) -> None:
        if create and extracted:
            obj.topics.set(extracted)


class ReadingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReadingSession

    paper = factory.SubFactory(PaperFactory)
    date = dt.date(2026, 1, 6)
    minutes = 30
