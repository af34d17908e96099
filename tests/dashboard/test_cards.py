"""Cards fed by the papers, replications and projects apps' data."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.goals.factories import GoalFactory
from tracker.goals.actions import adopt_article_targets
from tracker.goals.models import GoalTarget
from tracker.papers.models import Paper, ReadingSession, Topic
from tracker.projects.models import Project
from tracker.replications.models import Replication

NOW = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)  # Friday in Berlin
pytestmark = pytest.mark.usefixtures("_frozen")


@pytest.fixture
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def read_paper(user, day, title="A paper", summary="", depth=None, topics=()):
    paper = Paper.objects.create(
        owner=user,
        title=title,
        status="read",
        added_on=day,
        finished_on=day,
        summary=summary,
        depth=depth,
    )
    paper.topics.set(topics)
    return paper


def card(client, name) -> str:
    response = client.get(reverse("dashboard:card", args=[name]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_streak_card_counts_papers_read_in_local_weeks(client_logged_in, user) -> None:
    adopt_article_targets(user, dt.date(2026, 11, 2))
    for day in (
        dt.date(2026, 11, 2),
        dt.date(2026, 11, 8),
        dt.date(2026, 11, 10),
        dt.date(2026, 11, 15),
        dt.date(2026, 11, 16),
    ):
        read_paper(user, day)
    html = card(client_logged_in, "streak-card")
    assert 'data-streak="2"' in html
    assert "1 of 2 papers, 3 days left" in html
    assert "Take next week off" in html


def test_a_target_change_does_not_rewrite_past_weeks(client_logged_in, user) -> None:
    goal = GoalFactory(owner=user, target=1, start_date=dt.date(2026, 11, 2))
    read_paper(user, dt.date(2026, 11, 3))
    read_paper(user, dt.date(2026, 11, 10))
    # Raised to 3 this week: the two past weeks stay met.
    GoalTarget.objects.create(goal=goal, effective_from=dt.date(2026, 11, 16), target=3)
    goal.target = 3
    goal.save()
    html = card(client_logged_in, "streak-card")
    assert 'data-streak="2"' in html
    assert "0 of 3 papers" in html


def test_goals_card_shows_pace_of_replications(client_logged_in, user) -> None:
    adopt_article_targets(user, dt.date(2026, 1, 1))
    for i in range(3):
        paper = read_paper(user, dt.date(2026, 2, 1), title=f"P{i}")
        Replication.objects.create(
            owner=user, paper=paper, status="done", finished_on=dt.date(2026, 10, 1 + i)
        )
    html = card(client_logged_in, "goals-card")
    assert "Replications done" in html
    assert "3 of 20" in html
    # One plain line: how far off the straight line, and what finishing by the deadline takes.
    assert "14 behind plan; 2.8 a week from now on finishes by 1 Jan 2027." in html


def test_minutes_and_explained_papers_count(client_logged_in, user) -> None:
    adopt_article_targets(user, dt.date(2026, 11, 16))
    paper = read_paper(user, dt.date(2026, 11, 17), summary="It attends to everything.")
    ReadingSession.objects.create(paper=paper, date=dt.date(2026, 11, 17), minutes=50)
    ReadingSession.objects.create(paper=paper, date=dt.date(2026, 11, 18), minutes=25)
    html = card(client_logged_in, "goals-card")
    assert "75 of 120 minutes, 3 days left" in html
    assert "1 of 1 paper explained, 3 days left" in html


def test_up_next_shows_the_top_of_the_queue(client_logged_in, user, other_user) -> None:
    for i in range(5):
        Paper.objects.create(
            owner=user, title=f"Queued {i}", added_on=dt.date(2026, 11, 1), queue_position=i
        )
    Paper.objects.create(owner=other_user, title="Not mine", added_on=dt.date(2026, 11, 1))
    html = card(client_logged_in, "up-next-card")
    assert [t for t in ("Queued 0", "Queued 1", "Queued 2") if t in html] == [
        "Queued 0",
        "Queued 1",
        "Queued 2",
    ]
    assert "Queued 3" not in html
    assert "Not mine" not in html


def test_topics_breadth_and_depth_in_the_focus_topic(client_logged_in, user) -> None:
    nlp = Topic.objects.create(owner=user, name="NLP", is_focus=True)
    cv = Topic.objects.create(owner=user, name="Vision")
    read_paper(user, dt.date(2026, 11, 1), "a", depth=1, topics=[nlp])
    read_paper(user, dt.date(2026, 11, 2), "b", depth=3, topics=[nlp, cv])
    read_paper(user, dt.date(2026, 11, 3), "c", depth=3, topics=[nlp])
    html = card(client_logged_in, "topics-card")
    assert "2 topics across your read papers" in html
    assert "<dt>Pass 1</dt><dd>1</dd>" in html
    assert "<dt>Pass 2</dt><dd>0</dd>" in html
    assert "<dt>Pass 3</dt><dd>2</dd>" in html


def test_work_card_shows_active_replications_and_projects(client_logged_in, user) -> None:
    paper = read_paper(user, dt.date(2026, 11, 1), "ResNet")
    Replication.objects.create(owner=user, paper=paper, status="in_progress")
    Project.objects.create(
        owner=user, title="Bird sounds", status="active", has_readme=True, has_eda=True
    )
    Project.objects.create(owner=user, title="Finished thing", status="done")
    html = card(client_logged_in, "work-card")
    assert "ResNet" in html
    assert "0 of 0 claims" in html
    assert "Bird sounds" in html
    assert "2/8 checklist" in html
    assert "Finished thing" not in html


def test_chart_draws_a_bar_a_week_and_the_target_line(client_logged_in, user) -> None:
    adopt_article_targets(user, dt.date(2026, 11, 2))
    read_paper(user, dt.date(2026, 1, 6))  # the first activity: the chart counts from it
    read_paper(user, dt.date(2026, 11, 17))
    html = card(client_logged_in, "chart-card")
    assert html.count('<rect class="bar') == 26
    assert 'class="target-line"' in html
    assert "Week 47, 2026: 1 papers (target 2)" in html


def test_a_new_account_is_not_judged_on_weeks_before_it_existed(user) -> None:
    from django.test import Client

    user.date_joined = dt.datetime(2026, 11, 16, 9, tzinfo=dt.UTC)
    user.save()
    adopt_article_targets(user, dt.date(2026, 11, 16))
    read_paper(user, dt.date(2026, 11, 17), title="One")
    read_paper(user, dt.date(2026, 11, 18), title="Two")
    client = Client()
    client.force_login(user)
    chart = card(client, "chart-card")
    assert chart.count('<rect class="bar') == 1
    assert "Your first week: 2 papers read so far, target met." in chart
    assert "of 26 weeks" not in chart
    heat = card(client, "heatmap-card")
    assert "2 active days since 16 Nov 2026" in heat
    streak = card(client, "streak-card")
    assert "Target met this week!" in streak
