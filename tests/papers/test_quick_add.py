import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.papers.factories import PaperFactory
from tests.papers.util import events
from tracker.papers.models import Paper

URL = reverse("papers:quick_add")


def test_arxiv_id_is_looked_up_and_added(client_logged_in, user, fake_apis, htmx):
    response = client_logged_in.post(URL, {"q": "arXiv:1706.03762v5"}, **htmx)
    assert response.status_code == 200
    assert events(response) == {"paperLogged"}
    paper = Paper.objects.get(owner=user)
    assert paper.title == "Attention Is All You Need"
    assert paper.arxiv_id == "1706.03762"
    assert paper.author_list[0] == "Ashish Vaswani"
    assert paper.year == 2017
    assert paper.added_on == user.local_today()
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="quick-add"')
    assert "Added" in html
    assert fake_apis.requests[0].startswith("/api/query?id_list=1706.03762")


def test_plain_post_redirects_to_the_new_paper(client_logged_in, user, fake_apis):
    response = client_logged_in.post(URL, {"q": "https://arxiv.org/pdf/1706.03762v2.pdf"})
    paper = Paper.objects.get(owner=user)
    assert response.status_code == 302
    assert response["Location"] == paper.get_absolute_url()


def test_doi_is_looked_up_at_crossref(client_logged_in, user, fake_apis, htmx):
    client_logged_in.post(URL, {"q": "https://doi.org/10.1145/3442188.3445922"}, **htmx)
    paper = Paper.objects.get(owner=user)
    assert paper.doi == "10.1145/3442188.3445922"
    assert paper.title.startswith("On the Dangers of Stochastic Parrots")
    assert paper.year == 2021


def test_title_is_searched(client_logged_in, user, fake_apis, htmx):
    client_logged_in.post(URL, {"q": "attention is all you need"}, **htmx)
    assert Paper.objects.get(owner=user).arxiv_id == "1706.03762"


def test_same_arxiv_id_points_to_the_existing_entry(client_logged_in, user, fake_apis, htmx):
    existing = PaperFactory(owner=user, arxiv_id="1706.03762", title="Mine already")
    response = client_logged_in.post(URL, {"q": "https://arxiv.org/abs/1706.03762v7"}, **htmx)
    assert response.status_code == 200
    assert Paper.objects.filter(owner=user).count() == 1
    assert existing.get_absolute_url() in response.content.decode()
    assert "Already in your library" in response.content.decode()
    assert fake_apis.requests == []  # no look-up needed


def test_duplicate_found_through_title_lookup(client_logged_in, user, fake_apis):
    existing = PaperFactory(owner=user, arxiv_id="1706.03762")
    response = client_logged_in.post(URL, {"q": "Attention is all you need"})
    assert response.status_code == 302
    assert response["Location"] == existing.get_absolute_url()
    assert Paper.objects.filter(owner=user).count() == 1


def test_lookup_failure_opens_the_prefilled_form(client_logged_in, user, fake_apis, htmx):
    fake_apis.mode = "error"
    response = client_logged_in.post(URL, {"q": "1706.03762"}, **htmx)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="1706.03762"' in html
    assert "could not fill this in automatically" in html
    assert reverse("papers:create") in html
    assert not Paper.objects.exists()


def test_timeout_opens_the_prefilled_form_without_js(client_logged_in, fake_apis):
    fake_apis.mode = "slow"
    response = client_logged_in.post(URL, {"q": "10.1145/3442188.3445922"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert 'value="10.1145/3442188.3445922"' in html
    assert "did not answer in time" in html


def test_unknown_title_prefills_the_title(client_logged_in, fake_apis, htmx):
    response = client_logged_in.post(URL, {"q": "My obscure workshop paper"}, **htmx)
    assert 'value="My obscure workshop paper"' in response.content.decode()
    assert not Paper.objects.exists()


def test_other_links_are_never_fetched(client_logged_in, fake_apis, htmx):
    url = f"{fake_apis.base}/api/query?id_list=1706.03762"
    response = client_logged_in.post(URL, {"q": url}, **htmx)
    assert response.status_code == 200
    assert fake_apis.requests == []
    assert "value=" in response.content.decode()


def test_openreview_link_prefills_the_url(client_logged_in, fake_apis, htmx):
    response = client_logged_in.post(
        URL, {"q": "https://openreview.net/forum?id=YicbFdNTTy"}, **htmx
    )
    assert 'value="https://openreview.net/forum?id=YicbFdNTTy"' in response.content.decode()
    assert fake_apis.requests == []


@pytest.mark.parametrize("htmx_headers", [{}, {"HTTP_HX_REQUEST": "true"}])
def test_invalid_input_is_422_and_kept(client_logged_in, htmx_headers):
    response = client_logged_in.post(URL, {"q": "1706.0376"}, **htmx_headers)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="1706.0376"' in html
    assert "five digits" in html
    assert not Paper.objects.exists()


def test_get_shows_the_form_and_adds_nothing(client_logged_in):
    # Issue 13: GET /papers/add/ is the add-from-any-page confirm page
    # (tests/papers/test_add_anywhere.py); without q it is the quick-add form.
    assert client_logged_in.get(URL).status_code == 200
    assert not Paper.objects.exists()


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=st.text(max_size=300))
def test_arbitrary_input_never_500(client_logged_in, fake_apis, q):
    response = client_logged_in.post(URL, {"q": q}, HTTP_HX_REQUEST="true")
    assert response.status_code in (200, 422)


def test_dashboard_partial_renders_without_context(user):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    html = render_to_string("papers/_quick_add.html", {}, request=request)
    assert html.lstrip().startswith('<section id="quick-add"')
    assert f'data-hx-post="{URL}"' in html
    assert f'action="{URL}"' in html


def test_added_paper_comes_with_mark_read_form_already_chosen(
    client_logged_in, user, fake_apis, htmx
):
    PaperFactory(owner=user, title="An older paper in the queue")
    response = client_logged_in.post(URL, {"q": "arXiv:1706.03762v5"}, **htmx)
    html = response.content.decode()
    paper = Paper.objects.get(owner=user, arxiv_id="1706.03762")
    # Swapped out of band into the page's mark-read slot, the new paper selected.
    assert 'aria-labelledby="mark-read-title" data-hx-swap-oob="outerHTML"' in html
    assert f'<option value="{paper.pk}" selected>' in html
    assert "data-transient" in html  # the "Added …" note goes with the next action


def test_paper_added_as_read_brings_no_mark_read_form(client_logged_in, user, htmx):
    data = {"title": "Already read it", "status": "read", "finished_on": "2026-01-02"}
    response = client_logged_in.post(reverse("papers:create"), data, **htmx)
    html = response.content.decode()
    if response.status_code == 200:
        assert "hx-swap-oob" not in html
