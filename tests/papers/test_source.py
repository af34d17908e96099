"""Paper.source: where a paper comes from (the niche roadmap counts workshops and tutorials)."""

from django.urls import reverse

from tests.papers.factories import PaperFactory
from tracker.papers.models import Paper, Source

URL = reverse("papers:create")


def test_the_form_stores_the_source_and_the_page_shows_it(client_logged_in, user):
    data = {"title": "A workshop paper", "status": "to_read", "source": "workshop"}
    response = client_logged_in.post(URL, data)
    assert response.status_code == 302
    paper = Paper.objects.get(owner=user)
    assert paper.source == Source.WORKSHOP
    assert "Workshop" in client_logged_in.get(paper.get_absolute_url()).content.decode()


def test_an_unknown_source_is_422_and_keeps_the_input(client_logged_in, user):
    data = {"title": "Kept title", "status": "to_read", "source": "podcast"}
    response = client_logged_in.post(URL, data)
    assert response.status_code == 422
    assert "Kept title" in response.content.decode()
    assert not Paper.objects.filter(owner=user).exists()


def test_editing_keeps_or_changes_the_source(client_logged_in, user):
    paper = PaperFactory(owner=user, source="tutorial")
    url = reverse("papers:edit", args=[paper.pk])
    assert 'value="tutorial" selected' in client_logged_in.get(url).content.decode()
    client_logged_in.post(url, {"title": paper.title, "status": "to_read", "source": "blog"})
    paper.refresh_from_db()
    assert paper.source == Source.BLOG


def test_a_source_is_optional(client_logged_in, user):
    client_logged_in.post(URL, {"title": "No source", "status": "to_read"})
    assert Paper.objects.get(owner=user).source == ""
