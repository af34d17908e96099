import datetime as dt

import factory

from tests.factories import UserFactory
from tracker.papers.models import Paper
from tracker.projects.models import Project, ProjectKind, ProjectStatus, WorkSession


def make_paper(owner, title: str = "Attention Is All You Need", **fields) -> Paper:
    """A paper in `owner`'s library (only the fields our apps rely on)."""
    fields.setdefault("added_on", dt.date(2025, 1, 2))
    return Paper.objects.create(owner=owner, title=title, **fields)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    kind = ProjectKind.PROJECT
    title = factory.Sequence(lambda n: f"Project {n}")
    status = ProjectStatus.ACTIVE
    started_on = dt.date(2025, 1, 6)


class WorkSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkSession

    project = factory.SubFactory(ProjectFactory)
    date = dt.date(2025, 1, 7)
    minutes = 45
    note = "trained the baseline"
