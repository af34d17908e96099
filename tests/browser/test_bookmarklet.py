"""The bookmarklet in real Chromium (issue 13 §4): run on a stand-in arXiv page, it opens
the confirm page, "Add" adds the paper (look-up answered by the recorded arXiv response),
and running it again says the paper is already in the library.

The stand-in page is served by the test at https://arxiv.org/abs/… through Playwright's
request routing, so the bookmarklet sees the real address and nothing leaves the machine.
"""

from urllib.parse import unquote

import pytest

from tests.browser import test_papers_flow as flow
from tests.factories import PASSWORD
from tracker.papers.models import Paper

pytestmark = pytest.mark.browser
# The papers flow's fixtures: a learner, and the recorded arXiv/Crossref answers.
learner = flow.learner
fake_apis = flow.fake_apis
log_in = flow.log_in

ARXIV_PAGE = "https://arxiv.org/abs/1706.03762v5"
STAND_IN = b"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>[1706.03762] Attention Is All You Need</title></head>
<body><h1>Attention Is All You Need</h1><p>Stand-in arXiv abstract page.</p></body></html>"""


def _bookmarklet(page) -> str:
    page.goto("/account/settings/")
    link = page.get_by_role("link", name="Add to Paperstreak")
    href = link.get_attribute("href")
    assert href.startswith("javascript:")
    return unquote(href.removeprefix("javascript:"))


def _run_on_arxiv(page, code: str) -> None:
    page.goto(ARXIV_PAGE)
    page.get_by_text("Stand-in arXiv abstract page.").wait_for()
    # What the browser does when the bookmark is clicked: run its code on this page.
    with page.expect_navigation():
        page.evaluate(code)


def test_bookmarklet_adds_the_paper_then_says_already_added(
    live_browser,
    live_server,
    learner,
    fake_apis,
):
    page = live_browser
    page.route(
        "https://arxiv.org/**",
        lambda route: route.fulfill(status=200, body=STAND_IN, content_type="text/html"),
    )
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, learner)
    code = _bookmarklet(page)
    assert live_server.url in code

    _run_on_arxiv(page, code)
    assert page.url.startswith(f"{live_server.url}/papers/add/?q=https%3A%2F%2Farxiv.org")
    page.get_by_role("heading", name="Attention Is All You Need").wait_for()
    assert not Paper.objects.filter(owner=learner).exists()  # GET added nothing
    page.get_by_role("button", name="Add to my library").click()
    page.get_by_text("Added “Attention Is All You Need”").wait_for()
    paper = Paper.objects.get(owner=learner)
    assert paper.arxiv_id == "1706.03762"
    assert paper.author_list[0] == "Ashish Vaswani"

    _run_on_arxiv(page, code)
    page.get_by_text("is already in your library").wait_for()
    page.get_by_role("button", name="Mark as read").wait_for()
    assert Paper.objects.filter(owner=learner).count() == 1
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_logged_out_bookmarklet_goes_through_login_and_back(
    live_browser,
    live_server,
    learner,
    fake_apis,
):
    page = live_browser
    page.goto(f"/papers/add/?q={ARXIV_PAGE}")
    page.wait_for_url("**/accounts/login/**")
    page.get_by_label("Email").fill(learner.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Attention Is All You Need").wait_for()
    assert "/papers/add/?q=" in page.url


def test_api_docs_page_runs_under_the_csp(live_browser, live_server, learner):
    page = live_browser
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto("/api/v1/docs")
    page.get_by_text("Paperstreak API").first.wait_for()
    page.get_by_text("/api/v1/papers", exact=True).first.wait_for()
    assert not violations, violations
