from django.urls import reverse

from tracker.goals.models import Goal, GoalTarget

URL = reverse("goals:create")


def test_full_page_has_the_form(client_logged_in) -> None:
    response = client_logged_in.get(URL)
    assert response.status_code == 200
    assert 'id="goal-form"' in response.content.decode()


def test_htmx_gets_the_form_partial(client_logged_in, htmx) -> None:
    html = client_logged_in.get(URL, **htmx).content.decode()
    assert html.lstrip().startswith('<form id="goal-form"')


def test_valid_post_creates_a_weekly_goal_with_its_first_target(client_logged_in, user) -> None:
    data = {"metric": "papers_read", "period": "weekly", "target": "3", "start_date": "2026-11-18"}
    response = client_logged_in.post(URL, data)
    assert response.status_code == 302
    goal = Goal.objects.get(owner=user)
    assert (goal.metric, goal.target, goal.deadline) == ("papers_read", 3, None)
    # The first target applies from the start week's Monday on.
    assert list(GoalTarget.objects.filter(goal=goal).values_list("effective_from", "target")) == [
        (goal.start_date.replace(day=16), 3)
    ]


def test_valid_htmx_post_triggers_goals_changed(client_logged_in, user, htmx) -> None:
    data = {
        "metric": "replications_done",
        "period": "total",
        "target": "20",
        "stretch_target": "50",
        "start_date": "2026-11-18",
        "deadline": "2027-11-18",
    }
    response = client_logged_in.post(URL, data, **htmx)
    assert response.status_code == 204
    assert "goalsChanged" in response["HX-Trigger"]
    assert Goal.objects.get(owner=user).stretch_target == 50


def test_invalid_post_answers_422_and_keeps_input(client_logged_in, user, htmx) -> None:
    data = {
        "metric": "custom",
        "name": "",
        "period": "total",
        "target": "5",
        "stretch_target": "4",
        "start_date": "2026-11-18",
        "deadline": "2026-11-01",
    }
    response = client_logged_in.post(URL, data, **htmx)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Give your custom counter a name" in html
    assert "stretch target must be above" in html
    assert "deadline must be after" in html
    assert 'value="5"' in html and 'value="2026-11-01"' in html
    assert not Goal.objects.filter(owner=user).exists()


def test_garbage_is_rejected_not_a_500(client_logged_in) -> None:
    data = {"metric": "nope", "period": "??", "target": "-1", "start_date": "yesterday"}
    assert client_logged_in.post(URL, data).status_code == 422
