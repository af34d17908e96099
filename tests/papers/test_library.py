import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.papers.factories import PaperFactory, TopicFactory
from tracker.papers.models import Status

URL = reverse("papers:library")


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_full_page_lists_only_own_papers(client_logged_in, paper, others_paper):
    response = client_logged_in.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert 'id="quick-add"' in html
    assert 'id="paper-results"' in html
    assert paper.title in html
    assert others_paper.title not in html


def test_htmx_gets_only_the_results_partial(client_logged_in, paper, htmx):
    response = client_logged_in.get(URL, {"q": "attention"}, **htmx)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="paper-results"')
    assert "<html" not in html
    assert paper.title in html
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize(
    ("field", "value", "query"),
    [
        ("title", "Deep residual learning", "residual"),
        ("authors", "Kaiming He\nJian Sun", "kaiming"),
        ("abstract", "We present a residual framework", "framework"),
        ("notes", "reminds me of highway networks", "highway"),
    ],
)
def test_live_search_covers_title_authors_abstract_notes(
    client_logged_in, user, field, value, query
):
    hit = PaperFactory(owner=user, **{field: value})
    miss = PaperFactory(owner=user, title="Unrelated")
    html = client_logged_in.get(URL, {"q": query}).content.decode()
    assert f'id="paper-row-{hit.pk}"' in html
    assert f'id="paper-row-{miss.pk}"' not in html


def test_search_is_case_insensitive_for_non_ascii(client_logged_in, user):
    hit = PaperFactory(owner=user, authors="Jürgen Schön")
    html = client_logged_in.get(URL, {"q": "schön"}).content.decode()
    assert f'id="paper-row-{hit.pk}"' in html


def test_filters(client_logged_in, user):
    topic = TopicFactory(owner=user, name="rl")
    read = PaperFactory(
        owner=user,
        status=Status.READ,
        finished_on=dt.date(2026, 1, 10),
        summary="explained",
        depth=2,
        year=2019,
        topics=[topic],
    )
    unread = PaperFactory(owner=user, year=2021)

    def rows(**params):
        html = client_logged_in.get(URL, params).content.decode()
        return {p.pk for p in (read, unread) if f'id="paper-row-{p.pk}"' in html}

    assert rows() == {read.pk, unread.pk}
    assert rows(status="read") == {read.pk}
    assert rows(status="to_read") == {unread.pk}
    assert rows(topic=topic.pk) == {read.pk}
    assert rows(year=2021) == {unread.pk}
    assert rows(explained="yes") == {read.pk}
    assert rows(explained="no") == {unread.pk}
    assert rows(depth=2) == {read.pk}


def test_sorts(client_logged_in, user):
    a = PaperFactory(owner=user, title="Alpha", year=2010, added_on=dt.date(2026, 1, 1))
    b = PaperFactory(
        owner=user,
        title="Beta",
        year=2020,
        added_on=dt.date(2025, 1, 1),
        status=Status.READ,
        finished_on=dt.date(2026, 1, 2),
    )
    c = PaperFactory(owner=user, title="Gamma", year=None, added_on=dt.date(2026, 2, 1))

    def order(sort):
        html = client_logged_in.get(URL, {"sort": sort}).content.decode()
        return sorted((a, b, c), key=lambda p: html.index(f'id="paper-row-{p.pk}"'))

    assert order("title") == [a, b, c]
    assert order("year") == [b, a, c]
    assert order("added") == [c, a, b]
    assert order("finished")[0] == b


def test_pagination_keeps_filters_in_the_url(client_logged_in, user):
    PaperFactory.create_batch(30, owner=user, title="Graph networks")
    html = client_logged_in.get(URL, {"q": "graph", "sort": "title"}).content.decode()
    assert "Page 1 of 2" in html
    assert "?q=graph&amp;sort=title&amp;page=2" in html
    page2 = client_logged_in.get(URL, {"q": "graph", "sort": "title", "page": 2})
    assert "Page 2 of 2" in page2.content.decode()


def test_bad_filter_values_are_ignored_not_errors(client_logged_in, paper):
    response = client_logged_in.get(
        URL, {"year": "abc", "topic": "999999", "depth": "9", "sort": "x", "page": "zz"}
    )
    assert response.status_code == 200
    assert paper.title in response.content.decode()


def test_user_text_is_escaped_and_inert(client_logged_in, user):
    PaperFactory(
        owner=user,
        title='<script>alert(1)</script><div hx-get="/evil" hx-trigger="load">',
        authors='<img src=x onerror="alert(2)">',
    )
    html = client_logged_in.get(URL).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'hx-get="/evil"' not in html
    assert "<img src=x" not in html
    assert "<td data-hx-disable>" in html


def _queries_for(client, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_is_constant_between_1_and_50_papers(client_logged_in, user):
    topics = [TopicFactory(owner=user, name=f"t{i}") for i in range(3)]
    PaperFactory(owner=user, topics=topics)
    _queries_for(client_logged_in)  # warm the session
    one = _queries_for(client_logged_in)
    one_search = _queries_for(client_logged_in, q="paper", sort="title")
    for _ in range(49):
        PaperFactory(owner=user, topics=topics)
    fifty = _queries_for(client_logged_in)
    fifty_search = _queries_for(client_logged_in, q="paper", sort="title")
    assert one == fifty
    assert one_search == fifty_search
