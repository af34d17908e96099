"""The rollups equal a recomputation from scratch after any history of writes."""

import datetime as dt

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import UserFactory
from tracker.goals.models import CounterEvent, Goal, Metric, Period
from tracker.papers.models import Paper, ReadingSession, Status
from tracker.progress import rollups
from tracker.progress.models import COLUMNS, DayRollup, WeekRollup
from tracker.projects.models import Project, ProjectKind, ProjectStatus
from tracker.replications.models import Replication, ReplicationStatus

DAY0 = dt.date(2026, 3, 2)
days = st.integers(0, 24).map(lambda n: DAY0 + dt.timedelta(days=n))
maybe_days = st.none() | days
index = st.integers(0, 5)

ops = st.one_of(
    st.tuples(st.just("paper"), st.sampled_from(Status), maybe_days, st.booleans()),
    st.tuples(st.just("edit_paper"), index, st.sampled_from(Status), maybe_days, st.booleans()),
    st.tuples(st.just("delete_paper"), index),
    st.tuples(st.just("session"), index, days, st.integers(1, 90)),
    st.tuples(st.just("move_session"), index, days),
    st.tuples(st.just("delete_session"), index),
    st.tuples(st.just("replication"), index, st.sampled_from(ReplicationStatus), maybe_days),
    st.tuples(st.just("delete_replication"), index),
    st.tuples(
        st.just("project"),
        st.sampled_from(ProjectKind),
        st.sampled_from(ProjectStatus),
        maybe_days,
        maybe_days,
        maybe_days,
    ),
    st.tuples(st.just("edit_project"), index, st.sampled_from(ProjectStatus), maybe_days),
    st.tuples(st.just("delete_project"), index),
    st.tuples(st.just("event"), days),
    st.tuples(st.just("delete_event"), index),
    st.tuples(st.just("delete_goal"), index),
    st.tuples(st.just("week_start"), st.sampled_from([0, 6, 3])),
    st.tuples(st.just("bulk_delete_papers"), days),
)


def snapshot(user) -> tuple[set, set]:
    day_rows = {(r.day, r.goal_id, r.amounts()) for r in DayRollup.objects.filter(owner=user)}
    week_rows = {
        (r.week_start, r.week, r.goal_id, r.amounts())
        for r in WeekRollup.objects.filter(owner=user)
    }
    return day_rows, week_rows


def nth(qs, i):
    rows = list(qs.order_by("pk"))
    return rows[i % len(rows)] if rows else None


def apply(user, op) -> None:  # one branch per kind of write
    kind, *args = op
    papers = Paper.objects.filter(owner=user)
    if kind == "paper":
        status, day, explained = args
        Paper.objects.create(
            owner=user,
            title="p",
            status=status,
            added_on=DAY0,
            finished_on=day,
            summary="mine" if explained else "",
        )
    elif kind == "edit_paper" and (paper := nth(papers, args[0])):
        paper.status, paper.finished_on = args[1], args[2]
        paper.summary = "mine" if args[3] else ""
        paper.save()
    elif kind == "delete_paper" and (paper := nth(papers, args[0])):
        paper.delete()
    elif kind == "session" and (paper := nth(papers, args[0])):
        ReadingSession.objects.create(paper=paper, date=args[1], minutes=args[2])
    elif kind == "move_session" and (
        s := nth(ReadingSession.objects.filter(paper__owner=user), args[0])
    ):
        s.date = args[1]
        s.save()
    elif kind == "delete_session" and (
        s := nth(ReadingSession.objects.filter(paper__owner=user), args[0])
    ):
        s.delete()
    elif kind == "replication" and (paper := nth(papers, args[0])):
        if not Replication.objects.filter(paper=paper).exists():
            Replication.objects.create(owner=user, paper=paper, status=args[1], finished_on=args[2])
    elif kind == "delete_replication" and (r := nth(Replication.objects.filter(owner=user), 0)):
        r.delete()
    elif kind == "project":
        p_kind, status, started, finished, published = args
        Project.objects.create(
            owner=user,
            title="x",
            kind=p_kind,
            status=status,
            started_on=started,
            finished_on=finished,
            has_writeup=published is not None,
            writeup_url="https://example.com/w" if published else "",
            writeup_published_on=published,
        )
    elif kind == "edit_project" and (p := nth(Project.objects.filter(owner=user), args[0])):
        p.status, p.finished_on = args[1], args[2]
        p.save()
    elif kind == "delete_project" and (p := nth(Project.objects.filter(owner=user), args[0])):
        p.delete()
    elif kind == "event":
        goal = Goal.objects.filter(owner=user, metric=Metric.CUSTOM).first() or Goal.objects.create(
            owner=user,
            metric=Metric.CUSTOM,
            name="c",
            period=Period.WEEKLY,
            target=1,
            start_date=DAY0,
        )
        CounterEvent.objects.create(goal=goal, date=args[0])
    elif kind == "delete_event" and (
        e := nth(CounterEvent.objects.filter(goal__owner=user), args[0])
    ):
        e.delete()
    elif kind == "delete_goal" and (g := nth(Goal.objects.filter(owner=user), args[0])):
        g.delete()
    elif kind == "week_start":
        user.week_start = args[0]
        user.save()
    elif kind == "bulk_delete_papers":
        papers.filter(finished_on=args[0]).delete()


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=st.lists(ops, max_size=25))
def test_rollups_equal_a_recomputation_after_any_history(history) -> None:
    user = UserFactory()
    for op in history:
        apply(user, op)
    kept = snapshot(user)
    rollups.rebuild(user.pk)
    assert kept == snapshot(user)


def test_deferred_refreshes_once_at_the_end(user, django_assert_max_num_queries) -> None:
    with rollups.deferred():
        for i in range(5):
            Paper.objects.create(
                owner=user, title=f"p{i}", status=Status.READ, added_on=DAY0, finished_on=DAY0
            )
        assert not DayRollup.objects.filter(owner=user).exists()
    assert DayRollup.objects.get(owner=user, day=DAY0).papers_read == 5


def test_deleting_the_user_deletes_their_rollups(user) -> None:
    Paper.objects.create(owner=user, title="p", status=Status.READ, added_on=DAY0, finished_on=DAY0)
    assert DayRollup.objects.filter(owner=user).exists()
    user.delete()
    assert not DayRollup.objects.exists()
    assert not WeekRollup.objects.exists()


def test_rebuild_rollups_command_recomputes_after_raw_writes(user) -> None:
    with rollups.paused():
        Paper.objects.create(
            owner=user, title="p", status=Status.READ, added_on=DAY0, finished_on=DAY0
        )
    assert not DayRollup.objects.filter(owner=user).exists()
    call_command("rebuild_rollups", user=user.email, verbosity=0)
    row = DayRollup.objects.get(owner=user, day=DAY0)
    assert dict(zip(COLUMNS, row.amounts(), strict=True))["papers_read"] == 1
    assert WeekRollup.objects.get(owner=user, week_start=user.week_start).papers_read == 1
