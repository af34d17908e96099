import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.goals.factories import GoalFactory
from tracker.goals.models import CounterEvent


@pytest.fixture
def counter(user):
    return GoalFactory(owner=user, metric="custom", name="Kaggle notebooks", target=3)


@time_machine.travel(dt.datetime(2026, 11, 18, 23, 30, tzinfo=dt.UTC), tick=False)
def test_plus_one_records_the_local_date(client_logged_in, counter, htmx) -> None:
    response = client_logged_in.post(reverse("goals:increment", args=[counter.pk]), **htmx)
    assert response.status_code == 204
    assert "activityLogged" in response["HX-Trigger"]
    # Ada lives in Berlin: 23:30 UTC is already the 19th there.
    assert list(CounterEvent.objects.values_list("date", flat=True)) == [dt.date(2026, 11, 19)]


def test_plain_post_redirects(client_logged_in, counter) -> None:
    response = client_logged_in.post(reverse("goals:increment", args=[counter.pk]), {"next": "/"})
    assert response.status_code == 302
    assert CounterEvent.objects.count() == 1


def test_only_custom_counters_take_plus_one(client_logged_in, user) -> None:
    goal = GoalFactory(owner=user)
    assert client_logged_in.post(reverse("goals:increment", args=[goal.pk])).status_code == 404


@pytest.mark.parametrize("is_htmx", [False, True])
def test_someone_elses_counter_is_404(other_client, counter, htmx, is_htmx) -> None:
    headers = htmx if is_htmx else {}
    response = other_client.post(reverse("goals:increment", args=[counter.pk]), **headers)
    assert response.status_code == 404
    assert not CounterEvent.objects.exists()
