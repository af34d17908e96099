"""The paper log in real Chromium: quick add by arXiv ID (metadata from a local stand-in
for the arXiv API serving the recorded response), live search, mark as read, a failed
look-up finished by hand, and the queue."""

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.papers.fake_apis import FakeApis
from tracker.papers.models import Paper, ReadingSession, Status

pytestmark = pytest.mark.browser


@pytest.fixture
def fake_apis(settings):
    apis = FakeApis().start()
    settings.PAPERS_ARXIV_API = apis.arxiv_api
    settings.PAPERS_CROSSREF_API = apis.crossref_api
    settings.PAPERS_LOOKUP_TIMEOUT = 1.0
    yield apis
    apis.stop()


@pytest.fixture
def learner(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return UserFactory(email="reader@example.com", timezone="Europe/Berlin")


def log_in(page, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": page.base_url,
            }
        ]
    )


def test_quick_add_search_and_mark_read(live_browser, learner, fake_apis):
    page = live_browser
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" else None,
    )
    log_in(page, learner)
    page.goto("/papers/")
    page.get_by_text("Your library is empty").wait_for()

    # Quick add by arXiv ID: the metadata comes from the stand-in arXiv API.
    page.get_by_label("arXiv ID, DOI, link or title").fill("arXiv:1706.03762v5")
    page.get_by_role("button", name="Add", exact=True).click()
    page.locator("#quick-add").get_by_text("Attention Is All You Need").wait_for()
    assert any(r.startswith("/api/query?id_list=1706.03762") for r in fake_apis.requests)
    # paperLogged refreshes the results without a reload.
    results = page.locator("#paper-results")
    results.get_by_role("link", name="Attention Is All You Need").wait_for()
    paper = Paper.objects.get(owner=learner)
    assert paper.arxiv_id == "1706.03762"
    assert paper.author_list[0] == "Ashish Vaswani"

    # A failed look-up opens the pre-filled form; the user finishes it by hand.
    fake_apis.mode = "error"
    page.get_by_label("arXiv ID, DOI, link or title").fill("Graph attention networks")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_text("could not fill this in automatically").wait_for()
    title = page.locator("#quick-add").get_by_label("Title")
    assert title.input_value() == "Graph attention networks"
    page.locator("#quick-add").get_by_label("Year").fill("2018")
    page.locator("#quick-add").get_by_role("button", name="Save paper").click()
    results.get_by_role("link", name="Graph attention networks").wait_for()
    assert Paper.objects.filter(owner=learner).count() == 2

    # Live search narrows the list and keeps the query in the URL.
    page.locator("#id_q").fill("graph")
    page.wait_for_url(re.compile(r"q=graph"))
    results.get_by_role("link", name="Attention Is All You Need").wait_for(state="detached")
    results.get_by_role("link", name="Graph attention networks").wait_for()
    page.locator("#id_q").fill("")
    results.get_by_role("link", name="Attention Is All You Need").wait_for()

    # Mark as read from the list: the small form opens in place.
    row = page.locator(f"#paper-row-{paper.pk}")
    row.get_by_role("link", name="Mark read").click()
    # Wait for this paper's form: adding a paper swapped in a form for the new one.
    page.locator(
        f"#mark-read form[action='{reverse('papers:mark_read_paper', args=[paper.pk])}']"
    ).wait_for()
    form = page.locator("#mark-read")
    form.get_by_label("Minutes spent").fill("50")
    form.get_by_label("Reading depth").select_option("2")
    form.get_by_label("Summary in your own words").fill("Attention alone is enough.")
    form.get_by_role("button", name="Mark as read").click()
    form.get_by_text("as read.").wait_for()
    page.locator(f"#paper-row-{paper.pk}").get_by_text("explained").wait_for()
    paper.refresh_from_db()
    assert paper.status == Status.READ
    assert paper.finished_on == learner.local_today()
    assert ReadingSession.objects.get(paper=paper).minutes == 50

    # Inline status change without a reload.
    other = Paper.objects.get(owner=learner, title="Graph attention networks")
    page.locator(f"#status-{other.pk}").select_option("reading")
    page.wait_for_function("id => document.querySelector('#status-' + id) !== null", arg=other.pk)
    for _ in range(50):
        other.refresh_from_db()
        if other.status == Status.READING:
            break
        page.wait_for_timeout(100)
    assert other.status == Status.READING
    assert errors == []


def test_pages_work_without_javascript(browser, live_server, learner, fake_apis):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.base_url = live_server.url
    try:
        log_in(page, learner)
        page.goto("/papers/")
        page.get_by_label("arXiv ID, DOI, link or title").fill("1706.03762")
        page.get_by_role("button", name="Add", exact=True).click()
        page.get_by_role("heading", name="Attention Is All You Need").wait_for()
        paper = Paper.objects.get(owner=learner)
        page.get_by_label("Minutes spent").fill("30")
        page.get_by_role("button", name="Mark as read").click()
        page.get_by_text("as read.").first.wait_for()
        paper.refresh_from_db()
        assert paper.status == Status.READ
    finally:
        context.close()
