"""S1 (ownership on every URL with an id), S2 (CSRF) and S3 (no GET changes state)."""

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from tests.papers.factories import PaperFactory, ReadingSessionFactory, TopicFactory
from tracker.papers.models import Paper, PendingImport, ReadingSession, Topic


def papers_patterns():
    resolver = get_resolver()
    (papers,) = [p for p in resolver.url_patterns if getattr(p, "namespace", None) == "papers"]
    return [p for p in papers.url_patterns if isinstance(p, URLPattern)]


def snapshot():
    return (
        list(Paper.objects.order_by("pk").values()),
        list(Topic.objects.order_by("pk").values()),
        list(ReadingSession.objects.order_by("pk").values()),
        list(PendingImport.objects.order_by("pk").values_list("pk", flat=True)),
    )


@pytest.fixture
def victims(other_user):
    paper = PaperFactory(owner=other_user, arxiv_id="1706.03762")
    return {
        "paper": paper,
        "session": ReadingSessionFactory(paper=paper),
        "topic": TopicFactory(owner=other_user),
        "pending": PendingImport.objects.create(owner=other_user, content="@misc{a,title={T}}"),
    }


# Which object each URL's pk names.
KIND = {
    "topic": "topic",
    "topic_focus": "topic",
    "import_preview": "pending",
    "import_confirm": "pending",
    "import_progress": "pending",
    "edit_session": "session",
    "delete_session": "session",
}


@pytest.mark.parametrize("htmx_headers", [{}, {"HTTP_HX_REQUEST": "true"}])
def test_every_url_with_an_id_is_404_for_another_user(client_logged_in, victims, htmx_headers):
    checked = []
    before = snapshot()
    for pattern in papers_patterns():
        if "pk" not in pattern.pattern.converters:
            continue
        obj = victims[KIND.get(pattern.name, "paper")]
        kwargs = {"pk": obj.pk}
        if "direction" in pattern.pattern.converters:
            kwargs["direction"] = "up"
        url = reverse(f"papers:{pattern.name}", kwargs=kwargs)
        payload = {"status": "read", "title": "x", "date": "2026-01-01", "minutes": "5"}
        for method in ("get", "post"):
            response = getattr(client_logged_in, method)(url, payload, **htmx_headers)
            # 405: the method is not allowed for anyone, so no object is ever looked up.
            assert response.status_code in (404, 405), (method, url, response.status_code)
        checked.append(pattern.name)
    assert snapshot() == before
    assert {"detail", "edit", "delete", "status", "mark_read_paper", "add_session", "move"} <= set(
        checked
    )


def test_no_get_changes_state(client_logged_in, user):
    paper = PaperFactory(owner=user)
    session = ReadingSessionFactory(paper=paper)
    topic = TopicFactory(owner=user)
    pending = PendingImport.objects.create(owner=user, content="@misc{a,title={T}}")
    objects = {"paper": paper, "session": session, "topic": topic, "pending": pending}
    before = snapshot()
    for pattern in papers_patterns():
        kwargs = {}
        if "pk" in pattern.pattern.converters:
            kwargs["pk"] = objects[KIND.get(pattern.name, "paper")].pk
        if "direction" in pattern.pattern.converters:
            kwargs["direction"] = "down"
        response = client_logged_in.get(reverse(f"papers:{pattern.name}", kwargs=kwargs))
        assert response.status_code in (200, 405), pattern.name
    assert snapshot() == before


@pytest.fixture
def csrf_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_posts_need_a_csrf_token(csrf_client, user):
    paper = PaperFactory(owner=user)
    for url, data in [
        (reverse("papers:quick_add"), {"q": "Some title"}),
        (reverse("papers:status", args=[paper.pk]), {"status": "read"}),
        (reverse("papers:delete", args=[paper.pk]), {}),
        (reverse("papers:mark_read"), {"paper": paper.pk, "finished_on": "2026-01-01"}),
    ]:
        assert csrf_client.post(url, data).status_code == 403
        assert csrf_client.post(url, data, HTTP_HX_REQUEST="true").status_code == 403
    paper.refresh_from_db()
    assert paper.status == "to_read"


def test_htmx_post_with_the_body_token_header_passes(csrf_client, user):
    paper = PaperFactory(owner=user)
    page = csrf_client.get(reverse("papers:library"))
    token = page.cookies["csrftoken"].value
    html = page.content.decode()
    assert 'hx-headers=\'{"x-csrftoken": "' in html
    response = csrf_client.post(
        reverse("papers:status", args=[paper.pk]),
        {"status": "read"},
        HTTP_HX_REQUEST="true",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200
    paper.refresh_from_db()
    assert paper.status == "read"


def test_htmx_partials_carry_the_csp_header(client_logged_in, user):
    response = client_logged_in.get(reverse("papers:library"), HTTP_HX_REQUEST="true")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
