"""What the weekly email says: last week, streak, this week, up next, pace, stalled, advice."""

import datetime as dt

import pytest

from tests.reminders.conftest import make_learner
from tracker.goals.actions import create_goal
from tracker.goals.models import Metric, Period
from tracker.papers.models import Paper
from tracker.reminders.content import reminder_content
from tracker.reminders.emails import weekly_reminder_email
from tracker.replications.models import Replication, ReplicationStatus

pytestmark = pytest.mark.django_db

# Monday 23 November 2026, 09:00 in Berlin: ISO week 48.
NOW = dt.datetime(2026, 11, 23, 8, tzinfo=dt.UTC)
MONDAY = dt.date(2026, 11, 23)


def read_paper(user: object, day: dt.date, title: str = "A paper") -> Paper:
    return Paper.objects.create(
        owner=user, title=title, added_on=day, status="read", finished_on=day
    )


def html_of(message: object) -> str:
    return next(c for c, m in message.alternatives if m == "text/html")  # type: ignore[attr-defined]


@pytest.fixture
def learner() -> object:
    user = make_learner(timezone="Europe/Berlin", display_name="Ada")
    create_goal(
        user,
        dt.date(2026, 10, 1),
        metric=Metric.PAPERS_READ,
        period=Period.WEEKLY,
        target=2,
        start_date=MONDAY - dt.timedelta(weeks=6),
    )
    # Six met weeks (2 papers each), then 1 paper so far this week.
    for week in range(1, 7):
        for n in range(2):
            read_paper(user, MONDAY - dt.timedelta(weeks=week) + dt.timedelta(days=n))
    read_paper(user, MONDAY, "Attention Is All You Need")
    return user


def test_subject_says_where_the_week_stands_and_the_streak(learner: object) -> None:
    message = weekly_reminder_email(learner, now=NOW)
    assert message.subject == "Week 48: 1 of 2 papers — keep your 6-week streak"


def test_last_week_streak_freezes_and_this_week_in_both_parts(learner: object) -> None:
    message = weekly_reminder_email(learner, now=NOW)
    for body in (message.body, html_of(message)):
        assert "Papers read: 2 of 2 — met" in body
        assert "Current streak:" in body
        assert "6 weeks" in body
        assert "Freezes banked: 1" in body
        assert "Papers read: 1 of 2 papers — 1 to go" in body
        assert "7 days left" in body


def test_up_to_three_papers_up_next_with_links(learner: object) -> None:
    queued = [
        Paper.objects.create(owner=learner, title=f"Queued {i}", added_on=MONDAY, queue_position=i)
        for i in range(5)
    ]
    content = reminder_content(learner, NOW)
    assert [p.title for p in content.up_next] == ["Queued 0", "Queued 1", "Queued 2"]
    message = weekly_reminder_email(learner, now=NOW)
    url = f"https://paperstreak.test/papers/{queued[0].pk}/"
    assert f"Queued 0: {url}" in message.body
    assert f'href="{url}"' in html_of(message)
    assert "Queued 3" not in message.body


def test_total_goal_pace_and_projected_date(learner: object) -> None:
    create_goal(
        learner,
        dt.date(2026, 9, 1),
        metric=Metric.PAPERS_READ,
        name="Papers this year",
        period=Period.TOTAL,
        target=40,
        start_date=dt.date(2026, 9, 28),
        deadline=dt.date(2027, 9, 28),
    )
    content = reminder_content(learner, NOW)
    (total,) = content.totals
    assert (total.title, total.done, total.target) == ("Papers this year", 13, 40)
    assert total.status == "ahead"
    assert total.projected_date is not None
    message = weekly_reminder_email(learner, now=NOW)
    line = f"Papers this year: 13 of 40, ahead ({total.ahead_label}), projected"
    assert line in message.body
    assert line in html_of(message)


def test_stalled_replications_are_listed(learner: object) -> None:
    paper = read_paper(learner, MONDAY - dt.timedelta(weeks=8), "ResNet")
    stalled = Replication.objects.create(
        owner=learner, paper=paper, status=ReplicationStatus.IN_PROGRESS
    )
    Replication.objects.filter(pk=stalled.pk).update(updated_at=NOW - dt.timedelta(weeks=4))
    fresh_paper = read_paper(learner, MONDAY - dt.timedelta(weeks=8), "BERT")
    Replication.objects.create(owner=learner, paper=fresh_paper, status="in_progress")
    content = reminder_content(learner, NOW)
    assert [r.title for r in content.stalled] == ["ResNet"]
    message = weekly_reminder_email(learner, now=NOW)
    assert "STALLED REPLICATIONS" in message.body
    assert f"https://paperstreak.test/replications/{stalled.pk}/" in message.body
    assert "Replicating 20 to 50 papers" in content.advice


def test_advice_fits_the_state(learner: object) -> None:
    assert "summary in your own words" in reminder_content(learner, NOW).advice
    newcomer = make_learner(email="new@example.com")
    assert "2 papers a week" in reminder_content(newcomer, NOW).advice


def test_links_to_log_dashboard_and_settings_are_absolute(learner: object) -> None:
    message = weekly_reminder_email(learner, now=NOW)
    for path in ("/papers/new/", "/account/settings/"):
        assert f"https://paperstreak.test{path}" in message.body
    assert "Dashboard: https://paperstreak.test/" in message.body


def test_a_newcomer_costs_one_query(django_assert_num_queries: object) -> None:
    newcomer = make_learner(email="new@example.com")
    # The EXISTS probe finds nothing, so no list is queried.
    with django_assert_num_queries(1):  # type: ignore[operator]
        content = reminder_content(newcomer, NOW)
    assert content.onboarding
    assert not (content.weekly or content.totals or content.up_next or content.stalled)


def test_queries_do_not_grow_with_the_number_of_goals(learner: object) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one_goal:
        reminder_content(learner, NOW)
    for metric in (Metric.READING_MINUTES, Metric.PAPERS_EXPLAINED, Metric.REPLICATIONS_DONE):
        create_goal(
            learner,
            dt.date(2026, 10, 1),
            metric=metric,
            period=Period.WEEKLY,
            target=3,
            start_date=MONDAY - dt.timedelta(weeks=6),
        )
    with CaptureQueriesContext(connection) as four_goals:
        content = reminder_content(learner, NOW)
    assert len(content.weekly) == 4
    assert len(four_goals.captured_queries) == len(one_goal.captured_queries)
