import pytest
from django.urls import reverse

from tests.papers.factories import ReadingSessionFactory
from tests.papers.util import events
from tracker.papers.models import Paper, ReadingSession


def url(paper):
    return reverse("papers:delete", args=[paper.pk])


def test_get_shows_a_confirmation_and_deletes_nothing(client_logged_in, paper):
    response = client_logged_in.get(url(paper))
    assert response.status_code == 200
    assert "Delete this paper?" in response.content.decode()
    assert Paper.objects.filter(pk=paper.pk).exists()


def test_post_deletes_with_sessions_and_redirects(client_logged_in, paper):
    ReadingSessionFactory(paper=paper)
    response = client_logged_in.post(url(paper))
    assert response.status_code == 302
    assert response["Location"] == reverse("papers:library")
    assert not Paper.objects.filter(pk=paper.pk).exists()
    assert not ReadingSession.objects.exists()


def test_htmx_post_redirects_the_client(client_logged_in, paper, htmx):
    response = client_logged_in.post(url(paper), **htmx)
    assert response["HX-Redirect"] == reverse("papers:library")
    assert events(response) == {"paperLogged"}
    assert not Paper.objects.filter(pk=paper.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("htmx_headers", [{}, {"HTTP_HX_REQUEST": "true"}])
def test_other_users_paper_is_404(client_logged_in, others_paper, method, htmx_headers):
    assert getattr(client_logged_in, method)(url(others_paper), **htmx_headers).status_code == 404
    assert Paper.objects.filter(pk=others_paper.pk).exists()
