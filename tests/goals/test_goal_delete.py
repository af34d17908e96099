import pytest
from django.urls import reverse

from tests.goals.factories import GoalFactory
from tracker.goals.models import Goal


def test_post_deletes_and_redirects(client_logged_in, user) -> None:
    goal = GoalFactory(owner=user)
    response = client_logged_in.post(reverse("goals:delete", args=[goal.pk]))
    assert response.status_code == 302
    assert not Goal.objects.filter(pk=goal.pk).exists()


def test_htmx_post_triggers_goals_changed(client_logged_in, user, htmx) -> None:
    goal = GoalFactory(owner=user)
    response = client_logged_in.post(reverse("goals:delete", args=[goal.pk]), **htmx)
    assert response.status_code == 204
    assert "goalsChanged" in response["HX-Trigger"]


def test_get_changes_nothing(client_logged_in, user) -> None:
    goal = GoalFactory(owner=user)
    assert client_logged_in.get(reverse("goals:delete", args=[goal.pk])).status_code == 405
    assert Goal.objects.filter(pk=goal.pk).exists()


@pytest.mark.parametrize("is_htmx", [False, True])
def test_someone_elses_goal_is_404(other_client, user, htmx, is_htmx) -> None:
    goal = GoalFactory(owner=user)
    headers = htmx if is_htmx else {}
    response = other_client.post(reverse("goals:delete", args=[goal.pk]), **headers)
    assert response.status_code == 404
    assert Goal.objects.filter(pk=goal.pk).exists()
