from django.urls import reverse

from tracker.goals.actions import ARTICLE_PRESETS
from tracker.goals.models import Goal, GoalTarget


def test_adopt_creates_the_article_goals_once(client_logged_in, user) -> None:
    response = client_logged_in.post(reverse("goals:adopt"), {"next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    goals = Goal.objects.filter(owner=user)
    assert goals.count() == len(ARTICLE_PRESETS)
    papers = goals.get(metric="papers_read")
    assert (papers.period, papers.target) == ("weekly", 2)
    minutes = goals.get(metric="reading_minutes")
    assert (minutes.target, minutes.stretch_target) == (120, 240)
    replications = goals.get(metric="replications_done")
    assert (replications.period, replications.target, replications.stretch_target) == (
        "total",
        20,
        50,
    )
    assert replications.deadline is not None
    assert goals.get(metric="projects_completed").target == 3
    assert GoalTarget.objects.filter(goal__owner=user).count() == 3  # the weekly ones
    # A second click adds nothing.
    client_logged_in.post(reverse("goals:adopt"))
    assert Goal.objects.filter(owner=user).count() == len(ARTICLE_PRESETS)


def test_htmx_adopt_triggers_goals_changed(client_logged_in, htmx) -> None:
    response = client_logged_in.post(reverse("goals:adopt"), **htmx)
    assert response.status_code == 204
    assert "goalsChanged" in response["HX-Trigger"]


def test_next_must_be_local(client_logged_in) -> None:
    response = client_logged_in.post(reverse("goals:adopt"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("goals:list")


def test_get_is_not_allowed(client_logged_in, user) -> None:
    assert client_logged_in.get(reverse("goals:adopt")).status_code == 405
    assert not Goal.objects.filter(owner=user).exists()
