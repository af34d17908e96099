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
    assert events(response) == {"focusChanged"}
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
