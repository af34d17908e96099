import pytest
from django.db import IntegrityError
from django.urls import reverse

from tests.papers.factories import PaperFactory, TopicFactory
from tests.papers.util import events
from tracker.papers.models import Topic


def test_topic_names_are_unique_per_user_case_insensitively(user, other_user):
    TopicFactory(owner=user, name="RL")
    TopicFactory(owner=other_user, name="rl")
    with pytest.raises(IntegrityError):
        TopicFactory(owner=user, name="rl")


def test_list_page_and_partial(client_logged_in, user, htmx):
    topic = TopicFactory(owner=user, name="vision")
    PaperFactory(owner=user, topics=[topic])
    html = client_logged_in.get(reverse("papers:topics")).content.decode()
    assert "vision" in html
    assert "<html" in html
    partial = client_logged_in.get(reverse("papers:topics"), **htmx).content.decode()
    assert partial.lstrip().startswith('<section id="topic-list"')


def test_focus_is_exclusive_and_toggles(client_logged_in, user, htmx):
    a, b = TopicFactory(owner=user, name="a"), TopicFactory(owner=user, name="b")
    response = client_logged_in.post(reverse("papers:topic_focus", args=[a.pk]), **htmx)
    assert response.status_code == 200
    assert events(response) == set()
    client_logged_in.post(reverse("papers:topic_focus", args=[b.pk]))
    assert list(Topic.objects.filter(is_focus=True)) == [b]
    client_logged_in.post(reverse("papers:topic_focus", args=[b.pk]))
    assert not Topic.objects.filter(is_focus=True).exists()


def test_topic_page_lists_its_papers(client_logged_in, user, htmx):
    topic = TopicFactory(owner=user, name="rl")
    tagged = PaperFactory(owner=user, topics=[topic])
    untagged = PaperFactory(owner=user)
    url = reverse("papers:topic", args=[topic.pk])
    html = client_logged_in.get(url).content.decode()
    assert tagged.title in html
    assert untagged.title not in html
    assert (
        client_logged_in.get(url, **htmx)
        .content.decode()
        .lstrip()
        .startswith('<section id="topic-papers"')
    )


@pytest.mark.parametrize("htmx_headers", [{}, {"HTTP_HX_REQUEST": "true"}])
def test_other_users_topics_are_404(client_logged_in, other_user, htmx_headers):
    topic = TopicFactory(owner=other_user)
    page = client_logged_in.get(reverse("papers:topic", args=[topic.pk]), **htmx_headers)
    assert page.status_code == 404
    response = client_logged_in.post(reverse("papers:topic_focus", args=[topic.pk]), **htmx_headers)
    assert response.status_code == 404
    topic.refresh_from_db()
    assert not topic.is_focus


def _topics(user, n, prefix="topic"):
    return Topic.objects.bulk_create(Topic(owner=user, name=f"{prefix} {i:03}") for i in range(n))


def test_topics_are_shown_100_per_page_and_page_2_has_the_rest(client_logged_in, user, htmx):
    _topics(user, 150)
    first = client_logged_in.get(reverse("papers:topics")).content.decode()
    assert first.count("Make focus") == 100
    assert "topic 099" in first
    assert "topic 100" not in first
    assert "150 topics" in first
    assert "Page 1 of 2" in first
    second = client_logged_in.get(reverse("papers:topics"), {"page": 2}, **htmx).content.decode()
    assert second.lstrip().startswith('<section id="topic-list"')
    assert second.count("Make focus") == 50
    assert "topic 149" in second
    assert "topic 099" not in second


def test_topic_counts_cost_the_same_queries_for_one_topic_or_a_full_page(
    client_logged_in, user, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client_logged_in.get(reverse("papers:topics")).status_code == 200
        return len(ctx.captured_queries)

    PaperFactory(owner=user, topics=_topics(user, 1, "one"))
    one = queries()
    many = _topics(user, 250)
    PaperFactory(owner=user, status="read", topics=many[:120])
    PaperFactory(owner=user, topics=many[:3])
    assert queries() == one


def test_topic_counts_are_per_topic(client_logged_in, user):
    rl, cv = TopicFactory(owner=user, name="rl"), TopicFactory(owner=user, name="cv")
    PaperFactory(owner=user, status="read", finished_on="2026-01-06", topics=[rl, cv])
    PaperFactory(owner=user, topics=[rl])
    PaperFactory(owner=user, topics=[TopicFactory(owner=user, name="nlp")])
    PaperFactory(owner=user)
    page = client_logged_in.get(reverse("papers:topics"))
    counts = {t.name: (t.total, t.read) for t in page.context["topics"]}
    assert counts == {"cv": (1, 1), "nlp": (1, 0), "rl": (2, 1)}


def test_topic_search_filters_and_keeps_the_query_in_page_links(client_logged_in, user):
    _topics(user, 120, "vision")
    _topics(user, 30, "speech")
    html = client_logged_in.get(reverse("papers:topics"), {"q": " VISION "}).content.decode()
    assert "120 topics matching your search" in html
    assert "speech" not in html
    assert 'href="/papers/topics/?q=VISION&amp;page=2"' in html
    none = client_logged_in.get(reverse("papers:topics"), {"q": "<b>zzz"}).content.decode()
    assert "No topic matches “&lt;b&gt;zzz”" in none


def test_focus_toggle_on_page_2_re_renders_page_2(client_logged_in, user, htmx):
    topics = _topics(user, 150)
    url = reverse("papers:topic_focus", args=[topics[120].pk])
    response = client_logged_in.post(url, {"page": "2"}, **htmx)
    assert "Page 2 of 2" in response.content.decode()
    assert Topic.objects.get(is_focus=True) == topics[120]
    plain = client_logged_in.post(url, {"page": "2", "next": "/papers/topics/?page=2"})
    assert plain["Location"] == "/papers/topics/?page=2"


def test_an_unknown_page_number_shows_the_last_page(client_logged_in, user):
    _topics(user, 101)
    html = client_logged_in.get(reverse("papers:topics"), {"page": "x9"}).content.decode()
    assert "Page 1 of 2" in html
    html = client_logged_in.get(reverse("papers:topics"), {"page": "99"}).content.decode()
    assert "Page 2 of 2" in html
