"""The activity union counts through the models' own status choices.

A goal's progress comes from one definition of "paper read", "replication done",
"competition entered": the TextChoices and QuerySet methods of the apps that own them. A
status value renamed in one place must show up here as a failing count, not as a goal that
quietly stays at zero.
"""

import ast
import datetime as dt
import inspect

import pytest

from tests.goals.factories import CounterEventFactory, GoalFactory
from tests.niche.factories import InteractionFactory
from tests.papers.factories import PaperFactory, ReadingSessionFactory
from tests.projects.factories import ProjectFactory
from tests.replications.factories import ReplicationFactory
from tracker.dashboard import queries as dashboard_queries
from tracker.goals.models import Metric
from tracker.papers.models import Status
from tracker.progress import queries
from tracker.projects.models import ProjectKind, ProjectStatus
from tracker.replications.models import ReplicationStatus

DAY = dt.date(2026, 11, 18)
SINCE = dt.date(2026, 11, 1)
COUNTED = [m for m in Metric if m != Metric.CUSTOM]


def totals(user) -> dict[str, int]:
    act = queries.activity(user, SINCE)
    return {m: act.total(m, SINCE, DAY) for m in COUNTED}


def test_one_of_each_counts_exactly_one_for_every_metric(user) -> None:
    paper = PaperFactory(owner=user, status=Status.READ, finished_on=DAY, summary="Why it works.")
    ReadingSessionFactory(paper=paper, date=DAY, minutes=1)
    ReplicationFactory(owner=user, status=ReplicationStatus.DONE, finished_on=DAY)
    ProjectFactory(
        owner=user,
        kind=ProjectKind.PROJECT,
        status=ProjectStatus.DONE,
        finished_on=DAY,
        has_writeup=True,
        writeup_published_on=DAY,
    )
    ProjectFactory(
        owner=user, kind=ProjectKind.COMPETITION, status=ProjectStatus.ACTIVE, started_on=DAY
    )
    event = CounterEventFactory(goal=GoalFactory(owner=user, metric=Metric.CUSTOM), date=DAY)
    InteractionFactory(contact__owner=user, date=DAY)  # an expert conversation

    assert totals(user) == dict.fromkeys(COUNTED, 1)
    act = queries.activity(user, SINCE)
    assert act.total(Metric.CUSTOM, SINCE, DAY, goal_id=event.goal_id) == 1


def test_other_statuses_count_nothing(user) -> None:
    for status in (Status.TO_READ, Status.READING):
        PaperFactory(owner=user, status=status, finished_on=DAY, summary="Not yet.")
    for status in set(ReplicationStatus) - {ReplicationStatus.DONE}:
        ReplicationFactory(owner=user, status=status, finished_on=DAY)
    for status in set(ProjectStatus) - {ProjectStatus.DONE}:
        ProjectFactory(owner=user, kind=ProjectKind.PROJECT, status=status, finished_on=DAY)
    # An unstarted idea has not been entered, even with a date on it.
    ProjectFactory(
        owner=user, kind=ProjectKind.COMPETITION, status=ProjectStatus.IDEA, started_on=DAY
    )

    assert totals(user) == dict.fromkeys(COUNTED, 0)


STATUS_VALUES = {
    str(choice)
    for choices in (Status, ReplicationStatus, ProjectKind, ProjectStatus)
    for choice in choices
}


@pytest.mark.parametrize("module", [queries, dashboard_queries])
def test_queries_name_statuses_through_their_choices_not_literals(module) -> None:
    tree = ast.parse(inspect.getsource(module))
    literals = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert not literals & STATUS_VALUES
