import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.goals.factories import GoalFactory
from tracker.goals.models import GoalTarget


@pytest.fixture
def goal(user):
    return GoalFactory(owner=user, target=2, start_date=dt.date(2026, 1, 5))


def data(**over):
    base = {
        "metric": "papers_read",
        "period": "weekly",
        "target": "2",
        "start_date": "2026-01-05",
        "active": "on",
    }
    return base | over


def test_full_page_and_partial(client_logged_in, goal, htmx) -> None:
    url = reverse("goals:edit", args=[goal.pk])
    assert client_logged_in.get(url).status_code == 200
    html = client_logged_in.get(url, **htmx).content.decode()
    assert html.lstrip().startswith('<form id="goal-form"')
    assert 'value="2"' in html


@time_machine.travel(dt.datetime(2026, 11, 18, 12, tzinfo=dt.UTC), tick=False)
def test_new_weekly_target_applies_from_this_week_only(client_logged_in, goal, htmx) -> None:
    url = reverse("goals:edit", args=[goal.pk])
    response = client_logged_in.post(url, data(target="3"), **htmx)
    assert response.status_code == 204
    assert "goalsChanged" in response["HX-Trigger"]
    history = list(GoalTarget.objects.filter(goal=goal).values_list("effective_from", "target"))
    assert history == [(dt.date(2026, 1, 5), 2), (dt.date(2026, 11, 16), 3)]
    # Changing it again the same week replaces this week's row, not past ones.
    client_logged_in.post(url, data(target="4"))
    history = list(GoalTarget.objects.filter(goal=goal).values_list("effective_from", "target"))
    assert history == [(dt.date(2026, 1, 5), 2), (dt.date(2026, 11, 16), 4)]


def test_invalid_post_is_422_with_input_kept(client_logged_in, goal, htmx) -> None:
    url = reverse("goals:edit", args=[goal.pk])
    response = client_logged_in.post(url, data(target="0"), **htmx)
    assert response.status_code == 422
    assert 'value="0"' in response.content.decode()
    goal.refresh_from_db()
    assert goal.target == 2


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("is_htmx", [False, True])
def test_someone_elses_goal_is_404(other_client, goal, htmx, method, is_htmx) -> None:
    url = reverse("goals:edit", args=[goal.pk])
    headers = htmx if is_htmx else {}
    response = getattr(other_client, method)(url, data(target="9"), **headers)
    assert response.status_code == 404
    goal.refresh_from_db()
    assert goal.target == 2
