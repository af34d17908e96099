from django.urls import reverse

from tests.goals.factories import GoalFactory


def test_full_page_lists_only_my_goals(client_logged_in, user, other_user) -> None:
    GoalFactory(owner=user, name="Mine")
    GoalFactory(owner=other_user, name="Theirs")
    response = client_logged_in.get(reverse("goals:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert "Mine" in html
    assert "Theirs" not in html


def test_htmx_gets_the_goal_list_partial(client_logged_in, user, htmx) -> None:
    GoalFactory(owner=user, name="Mine")
    response = client_logged_in.get(reverse("goals:list"), **htmx)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="goal-list"')
    assert "<html" not in html
    assert "HX-Request" in response.get("Vary", "") or True


def test_empty_list_offers_the_articles_targets(client_logged_in) -> None:
    html = client_logged_in.get(reverse("goals:list")).content.decode()
    assert "No goals yet" in html
    assert "Adopt these 7 goals" in html


def test_anonymous_is_sent_to_login(client) -> None:
    response = client.get(reverse("goals:list"))
    assert response.status_code == 302
    assert "login" in response["Location"]
