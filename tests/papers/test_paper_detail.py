from django.urls import reverse

from tests.papers.factories import PaperFactory, ReadingSessionFactory, TopicFactory


def test_full_page_shows_paper_sessions_and_forms(client_logged_in, user):
    topic = TopicFactory(owner=user, name="nlp")
    paper = PaperFactory(owner=user, summary="Attention replaces recurrence.", topics=[topic])
    ReadingSessionFactory(paper=paper, minutes=90)
    response = client_logged_in.get(reverse("papers:detail", args=[paper.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert paper.title in html
    assert "1 h 30 min" in html
    assert 'id="sessions"' in html
    assert 'id="mark-read"' in html
    assert "explained" in html
    assert "nlp" in html


def test_user_content_is_escaped_inside_hx_disable(client_logged_in, user):
    paper = PaperFactory(owner=user, summary='<button hx-post="/x">go</button>')
    html = client_logged_in.get(reverse("papers:detail", args=[paper.pk])).content.decode()
    assert '<button hx-post="/x">' not in html
    assert "&lt;button hx-post=&quot;/x&quot;&gt;" in html


def test_other_users_paper_is_404(client_logged_in, others_paper, htmx):
    url = reverse("papers:detail", args=[others_paper.pk])
    assert client_logged_in.get(url).status_code == 404
    assert client_logged_in.get(url, **htmx).status_code == 404
