"""GET /papers/add/?q=…: the bookmarklet's and share target's confirm page (issue 13 §4)."""

from urllib.parse import parse_qs, quote

from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from tests.papers.factories import PaperFactory
from tracker.papers.models import Paper
from tracker.papers.views.add_anywhere import shared_text

ABS = "https://arxiv.org/abs/1706.03762v5"


def test_confirm_page_shows_the_metadata_and_writes_nothing(
    user: User, client_logged_in: Client, fake_apis
) -> None:
    response = client_logged_in.get("/papers/add/", {"q": ABS})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Attention Is All You Need" in page
    assert "Ashish Vaswani" in page
    assert 'action="/papers/add/"' in page and "Add to my library" in page
    assert not Paper.objects.exists()


def test_add_posts_and_a_repeat_says_already_in_your_library(
    user: User, client_logged_in: Client, fake_apis
) -> None:
    response = client_logged_in.post("/papers/add/", {"q": ABS})
    assert response.status_code == 302
    paper = Paper.objects.get(owner=user)
    assert paper.arxiv_id == "1706.03762"
    requests = len(fake_apis.requests)
    page = client_logged_in.get("/papers/add/", {"q": "https://arxiv.org/pdf/1706.03762"})
    body = page.content.decode()
    assert "is already in your library" in body
    assert "Mark as read" in body and f"/papers/{paper.pk}/read/" in body
    assert len(fake_apis.requests) == requests  # a known id needs no look-up


def test_duplicate_found_through_the_metadata(
    user: User, client_logged_in: Client, fake_apis
) -> None:
    # The title search finds the arXiv paper already in the library.
    PaperFactory(owner=user, title="Attention Is All You Need", arxiv_id="1706.03762")
    response = client_logged_in.get("/papers/add/", {"q": "Attention is all you need"})
    assert "is already in your library" in response.content.decode()


def test_failed_look_up_offers_the_prefilled_form(
    user: User, client_logged_in: Client, fake_apis
) -> None:
    fake_apis.mode = "error"
    response = client_logged_in.get(
        "/papers/add/", {"q": "https://doi.org/10.1145/3442188.3445922"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "could not look this paper up" in page
    assert 'value="10.1145/3442188.3445922"' in page
    assert not Paper.objects.exists()


def test_invalid_address_is_422_with_the_reason(client_logged_in: Client) -> None:
    response = client_logged_in.get("/papers/add/", {"q": "https://arxiv.org/list/cs.LG"})
    assert response.status_code == 422
    assert "does not name a paper" in response.content.decode()


def test_no_q_shows_the_quick_add_form(client_logged_in: Client) -> None:
    response = client_logged_in.get("/papers/add/")
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


def test_logged_out_goes_through_login_and_keeps_q(user: User, password: str) -> None:
    client = Client()
    response = client.get("/papers/add/", {"q": ABS})
    assert response.status_code == 302
    login, query = response["Location"].split("?", 1)
    assert login == "/accounts/login/"
    back = parse_qs(query)["next"][0]
    assert back == "/papers/add/?q=" + quote(ABS, safe="")
    response = client.post(
        login + "?" + query, {"login": user.email, "password": password, "next": back}
    )
    assert response.status_code == 302
    assert response["Location"] == back


def test_share_target_parameters() -> None:
    assert shared_text({"url": ABS, "text": "x"}) == ABS
    assert shared_text({"text": f"Look at this {ABS} !"}) == ABS
    assert shared_text({"title": "Attention Is All You Need"}) == "Attention Is All You Need"
    assert shared_text({"q": " 1706.03762 ", "url": "y"}) == "1706.03762"


def test_manifest_has_a_share_target(client: Client) -> None:
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    data = response.json()
    assert data["share_target"]["action"] == "/papers/add/"
    assert data["share_target"]["method"] == "GET"
    assert set(data["share_target"]["params"]) == {"title", "text", "url"}


def test_confirm_get_changes_nothing(user: User, client_logged_in: Client, fake_apis) -> None:
    from tests.test_get_is_safe import snapshot

    paper = PaperFactory(owner=user, arxiv_id="1706.03762")
    before = snapshot()
    for q in (ABS, "10.1145/3442188.3445922", "Some title", "https://x.org/a", "1706.0376"):
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            assert client_logged_in.get("/papers/add/", {"q": q}, **headers).status_code < 500
    assert snapshot() == before
    assert Paper.objects.get() == paper


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    q=st.text(max_size=120)
    | st.sampled_from(["https://arxiv.org/abs/", "https://alphaxiv.org/abs/"]).flatmap(
        lambda p: st.text(max_size=30).map(lambda t: p + t)
    )
)
def test_confirm_page_never_500s_and_keeps_q_inert(
    user: User, client_logged_in: Client, fake_apis, q: str
) -> None:
    marker = '<b data-hx-get="/x">' + q
    response = client_logged_in.get("/papers/add/", {"q": marker})
    assert response.status_code in (200, 422)
    assert '<b data-hx-get="/x">' not in response.content.decode()
