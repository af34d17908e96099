import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.goals.factories import WeekBreakFactory
from tracker.goals.models import WeekBreak

NOW = dt.datetime(2026, 11, 18, 12, tzinfo=dt.UTC)  # a Wednesday


@time_machine.travel(NOW, tick=False)
def test_marking_a_coming_week_stores_its_first_day(client_logged_in, user, htmx) -> None:
    response = client_logged_in.post(reverse("goals:break_create"), {"week": "2026-11-26"}, **htmx)
    assert response.status_code == 200
    assert "goalsChanged" in response["HX-Trigger"]
    assert response.content.decode().lstrip().startswith('<section id="week-breaks"')
    assert list(WeekBreak.objects.filter(owner=user).values_list("week_start", flat=True)) == [
        dt.date(2026, 11, 23)
    ]
    # Twice is still one break.
    client_logged_in.post(reverse("goals:break_create"), {"week": "2026-11-23"})
    assert WeekBreak.objects.filter(owner=user).count() == 1


@time_machine.travel(NOW, tick=False)
def test_past_weeks_cannot_become_breaks(client_logged_in, user, htmx) -> None:
    response = client_logged_in.post(reverse("goals:break_create"), {"week": "2026-11-08"}, **htmx)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Breaks are planned ahead" in html
    assert 'value="2026-11-08"' in html
    assert not WeekBreak.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_non_htmx_invalid_post_renders_the_page(client_logged_in) -> None:
    response = client_logged_in.post(reverse("goals:break_create"), {"week": "nonsense"})
    assert response.status_code == 422
    assert "<html" in response.content.decode()


def test_cancel_a_break(client_logged_in, user, htmx) -> None:
    b = WeekBreakFactory(owner=user)
    response = client_logged_in.post(reverse("goals:break_delete", args=[b.pk]), **htmx)
    assert response.status_code == 200
    assert not WeekBreak.objects.exists()


@pytest.mark.parametrize("is_htmx", [False, True])
def test_someone_elses_break_is_404(other_client, user, htmx, is_htmx) -> None:
    b = WeekBreakFactory(owner=user)
    headers = htmx if is_htmx else {}
    assert (
        other_client.post(reverse("goals:break_delete", args=[b.pk]), **headers).status_code == 404
    )
    assert WeekBreak.objects.filter(pk=b.pk).exists()
