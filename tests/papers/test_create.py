import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import from_form

from tests.papers.factories import PaperFactory
from tests.papers.util import events
from tracker.papers.forms import PaperForm
from tracker.papers.models import Paper, Status

URL = reverse("papers:create")

VALID = {
    "title": "Deep Residual Learning",
    "authors": "Kaiming He\n  Xiangyu   Zhang\n\n",
    "year": "2016",
    "status": "to_read",
    "arxiv_id": "https://arxiv.org/abs/1512.03385v1",
    "doi": "DOI:10.1109/CVPR.2016.90",
    "topic_names": "vision, ResNets; vision",
}


def test_full_page(client_logged_in):
    response = client_logged_in.get(URL)
    assert response.status_code == 200
    assert "<html" in response.content.decode()
    assert 'name="title"' in response.content.decode()


def test_valid_post_creates_with_normalised_ids_and_topics(client_logged_in, user, htmx):
    response = client_logged_in.post(URL, VALID, **htmx)
    assert response.status_code == 200
    assert events(response) == {"paperLogged"}
    assert response.content.decode().lstrip().startswith('<section id="quick-add"')
    paper = Paper.objects.get(owner=user)
    assert paper.arxiv_id == "1512.03385"
    assert paper.doi == "10.1109/cvpr.2016.90"
    assert paper.author_list == ["Kaiming He", "Xiangyu Zhang"]
    assert sorted(t.name for t in paper.topics.all()) == ["ResNets", "vision"]
    assert paper.added_on == user.local_today()


def test_plain_post_redirects(client_logged_in, user):
    response = client_logged_in.post(URL, VALID)
    assert response.status_code == 302
    assert response["Location"] == Paper.objects.get(owner=user).get_absolute_url()


def test_topics_are_reused_case_insensitively(client_logged_in, user):
    client_logged_in.post(URL, VALID)
    client_logged_in.post(URL, {**VALID, "arxiv_id": "", "doi": "", "topic_names": "VISION"})
    assert user.topics.count() == 2


@pytest.mark.parametrize("htmx_headers", [{}, {"HTTP_HX_REQUEST": "true"}])
def test_invalid_post_is_422_and_keeps_input(client_logged_in, htmx_headers):
    response = client_logged_in.post(
        URL, {**VALID, "title": "", "arxiv_id": "1706.0376"}, **htmx_headers
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="1706.0376"' in html
    assert "Kaiming He" in html
    assert not Paper.objects.exists()


def test_duplicate_arxiv_id_names_the_existing_paper(client_logged_in, user):
    existing = PaperFactory(owner=user, arxiv_id="1512.03385", title="ResNet")
    response = client_logged_in.post(URL, VALID)
    assert response.status_code == 422
    assert "already has this arXiv ID" in response.content.decode()
    assert f"#{existing.pk}" in response.content.decode()


def test_another_users_ids_do_not_clash(client_logged_in, other_user, user):
    PaperFactory(owner=other_user, arxiv_id="1512.03385")
    assert client_logged_in.post(URL, VALID).status_code == 302


def test_finished_date_in_the_future_is_refused(client_logged_in, user):
    tomorrow = user.local_today() + dt.timedelta(days=1)
    response = client_logged_in.post(
        URL, {**VALID, "status": "read", "finished_on": tomorrow.isoformat()}
    )
    assert response.status_code == 422
    assert "in the future" in response.content.decode()


def test_read_without_date_is_finished_today(client_logged_in, user):
    client_logged_in.post(URL, {**VALID, "status": "read"})
    paper = Paper.objects.get()
    assert paper.status == Status.READ
    assert paper.finished_on == user.local_today()


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_paper_form_never_crashes(user, data):
    form = data.draw(from_form(PaperForm, form_kwargs={"owner": user}))
    if form.is_valid():
        form.instance.owner = user
        assert form.cleaned_data["title"]


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    payload=st.dictionaries(
        st.sampled_from([*VALID, "finished_on", "started_on", "understanding", "depth"]),
        st.text(max_size=50),
    )
)
def test_random_posts_never_500(client_logged_in, payload):
    response = client_logged_in.post(URL, payload, HTTP_HX_REQUEST="true")
    assert response.status_code in (200, 422)
