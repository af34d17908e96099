"""The review page: one due prompt at a time; full page, htmx partial and no-JS POSTs (P6)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.recall.factories import PromptFactory, ReadPaperFactory
from tracker import events
from tracker.recall.models import Prompt, Review

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now(time_machine: object) -> None:
    time_machine.move_to(NOW, tick=False)  # type: ignore[attr-defined]


def _due(user: object, n: int) -> list[Prompt]:
    paper = ReadPaperFactory(owner=user)
    return [
        PromptFactory(paper=paper, position=i, due=NOW, due_on=dt.date(2026, 3, 9))
        for i in range(n)
    ]


def test_full_page_shows_first_question_and_progress(
    client_logged_in: Client, user: object
) -> None:
    prompts = _due(user, 3)
    body = client_logged_in.get(reverse("recall:review")).content.decode()
    assert prompts[0].question in body
    assert "1 of 3" in body
    assert prompts[0].paper.get_absolute_url() in body
    assert "data-recall-answer hidden" in body
    assert "js/recall.js" in body


def test_show_answer_without_js(client_logged_in: Client, user: object) -> None:
    prompt = _due(user, 1)[0]
    response = client_logged_in.post(reverse("recall:show", args=[prompt.pk]))
    assert response.status_code == 200
    assert "data-recall-answer hidden" not in response.content.decode()
    assert not Review.objects.exists()


def test_rate_without_js_redirects_and_moves_on(client_logged_in: Client, user: object) -> None:
    first, second, _ = _due(user, 3)
    url = reverse("recall:rate", args=[first.pk])
    response = client_logged_in.post(url, {"rating": 3, "seq": 0})
    assert response.status_code == 302
    page = client_logged_in.get(reverse("recall:review")).content.decode()
    assert second.question in page
    assert "2 of 3" in page
    first.refresh_from_db()
    assert first.reps == 1 and first.due_on > dt.date(2026, 3, 10)


def test_rate_with_htmx_returns_the_partial_and_the_event(
    client_logged_in: Client, user: object, htmx: dict[str, str]
) -> None:
    first, second = _due(user, 2)
    response = client_logged_in.post(
        reverse("recall:rate", args=[first.pk]), {"rating": 4, "seq": 0}, **htmx
    )
    assert response.status_code == 200
    assert events.RECALL_REVIEWED in response["HX-Trigger"]
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="review"')
    assert second.question in body


def test_double_submitted_rating_records_one_review(
    client_logged_in: Client, user: object, htmx: dict[str, str]
) -> None:
    prompt = _due(user, 1)[0]
    url = reverse("recall:rate", args=[prompt.pk])
    client_logged_in.post(url, {"rating": 3, "seq": 0}, **htmx)
    client_logged_in.post(url, {"rating": 3, "seq": 0}, **htmx)  # double click
    client_logged_in.post(url, {"rating": 1, "seq": 0})  # replayed no-JS POST
    assert Review.objects.filter(prompt=prompt).count() == 1
    prompt.refresh_from_db()
    assert prompt.reps == 1


def test_end_screen_says_what_comes_next(client_logged_in: Client, user: object) -> None:
    paper = ReadPaperFactory(owner=user)
    for i in range(5):
        PromptFactory(paper=paper, position=i, due_on=dt.date(2026, 3, 13))
    body = client_logged_in.get(reverse("recall:review")).content.decode()
    assert "Next review in 3 days: 5 prompts" in body


def test_bad_rating_is_422(client_logged_in: Client, user: object) -> None:
    prompt = _due(user, 1)[0]
    response = client_logged_in.post(reverse("recall:rate", args=[prompt.pk]), {"rating": 9})
    assert response.status_code == 422
    assert not Review.objects.exists()


def _count(client: Client, url: str) -> int:
    # A cold render each time: with REDIS_URL set the dashboard's card cache would answer
    # the second request without the card's queries.
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_review_page_and_card_queries_do_not_grow(client_logged_in: Client, user: object) -> None:
    from tracker.recall.scheduling import rate

    page = reverse("recall:review")
    card = reverse("dashboard:card", args=["recall-card"])
    _due(user, 2)
    small = (_count(client_logged_in, page), _count(client_logged_in, card))
    for prompt in _due(user, 30):
        rate(prompt, 3, seq=0, now=NOW - dt.timedelta(days=1))
    _due(user, 30)
    assert (_count(client_logged_in, page), _count(client_logged_in, card)) == small
