import datetime as dt

import pytest
from django.urls import reverse

from tests.papers.factories import PaperFactory
from tests.papers.util import events
from tracker.papers.models import Paper, Status

QUEUE = reverse("papers:queue")


@pytest.fixture
def queue(user):
    return [PaperFactory(owner=user, title=f"Q{i}", queue_position=i) for i in range(1, 6)]


def titles(user):
    return [p.title for p in Paper.objects.queue(user)]


def test_up_next_is_the_top_three_to_read(user, queue):
    PaperFactory(owner=user, status=Status.READ, finished_on=dt.date(2026, 1, 1), queue_position=0)
    assert [p.title for p in Paper.objects.up_next(user)] == ["Q1", "Q2", "Q3"]
    assert [p.title for p in Paper.objects.up_next(user, n=1)] == ["Q1"]


def test_full_page_and_partial(client_logged_in, queue, htmx):
    html = client_logged_in.get(QUEUE).content.decode()
    assert "<html" in html
    assert html.count("up next") == 3
    partial = client_logged_in.get(QUEUE, **htmx).content.decode()
    assert partial.lstrip().startswith('<section id="reading-queue"')


def test_move_up_and_down_with_htmx(client_logged_in, user, queue, htmx):
    response = client_logged_in.post(reverse("papers:move", args=[queue[3].pk, "up"]), **htmx)
    assert response.status_code == 200
    assert events(response) == {"paperQueued"}
    assert titles(user) == ["Q1", "Q2", "Q4", "Q3", "Q5"]
    client_logged_in.post(reverse("papers:move", args=[queue[0].pk, "down"]), **htmx)
    assert titles(user) == ["Q2", "Q1", "Q4", "Q3", "Q5"]


def test_moving_past_the_ends_changes_nothing(client_logged_in, user, queue):
    client_logged_in.post(reverse("papers:move", args=[queue[0].pk, "up"]))
    client_logged_in.post(reverse("papers:move", args=[queue[4].pk, "down"]))
    assert titles(user) == ["Q1", "Q2", "Q3", "Q4", "Q5"]


def test_tied_positions_are_renumbered_before_moving(client_logged_in, user):
    papers = [PaperFactory(owner=user, title=f"T{i}", queue_position=0) for i in range(3)]
    before = titles(user)
    client_logged_in.post(reverse("papers:move", args=[papers[2].pk, "up"]))
    after = titles(user)
    i = before.index("T2")
    expected = before[:]
    expected[i - 1], expected[i] = expected[i], expected[i - 1]
    assert after == expected


def test_plain_post_redirects(client_logged_in, queue):
    response = client_logged_in.post(reverse("papers:move", args=[queue[1].pk, "up"]))
    assert response.status_code == 302
    assert response["Location"] == QUEUE


def test_bad_direction_is_422(client_logged_in, user, queue):
    response = client_logged_in.post(reverse("papers:move", args=[queue[1].pk, "sideways"]))
    assert response.status_code == 422
    assert titles(user) == ["Q1", "Q2", "Q3", "Q4", "Q5"]


@pytest.mark.parametrize("htmx_headers", [{}, {"HTTP_HX_REQUEST": "true"}])
def test_other_users_paper_is_404(client_logged_in, others_paper, htmx_headers):
    url = reverse("papers:move", args=[others_paper.pk, "up"])
    assert client_logged_in.post(url, **htmx_headers).status_code == 404
