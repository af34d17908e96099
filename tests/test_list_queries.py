"""List pages cost the same number of queries for 1 object as for many (no N+1)."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from tests.goals.factories import GoalFactory
from tests.papers.factories import PaperFactory, ReadingSessionFactory, TopicFactory
from tests.projects.factories import ProjectFactory, WorkSessionFactory
from tests.replications.factories import ClaimFactory, ReplicationFactory
from tracker.goals.models import Metric, Period


def _paper_with_topic(user: User) -> None:
    paper = PaperFactory(owner=user, topics=[TopicFactory(owner=user)])
    ReadingSessionFactory(paper=paper)


def _project(user: User) -> None:
    project = ProjectFactory(owner=user)
    WorkSessionFactory(project=project)
    project.papers.add(PaperFactory(owner=user))


def _replication(user: User) -> None:
    ClaimFactory(replication=ReplicationFactory(owner=user))


def _goal(user: User) -> None:
    GoalFactory(owner=user, metric=Metric.READING_MINUTES, period=Period.WEEKLY)
    GoalFactory(owner=user, metric=Metric.REPLICATIONS_DONE, period=Period.TOTAL, target=20)


PAGES: dict[str, tuple[str, Callable[[User], None]]] = {
    "library": ("/papers/", _paper_with_topic),
    "queue": ("/papers/queue/", _paper_with_topic),
    "topics": ("/papers/topics/", _paper_with_topic),
    "projects": ("/projects/", _project),
    "replications": ("/replications/", _replication),
    "goals": ("/goals/", _goal),
}


def count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("page", sorted(PAGES))
def test_queries_do_not_grow_with_rows(page: str, user: User, client_logged_in: Client) -> None:
    url, make = PAGES[page]
    make(user)
    one = count(client_logged_in, url)
    for _ in range(9):
        make(user)
    assert count(client_logged_in, url) == one
