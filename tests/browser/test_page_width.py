"""No main page is wider than the window, at phone (390 px) and desktop (1280 px) widths,
and none logs a CSP violation or script error."""

import pytest

from tests.browser.pages import learner_with_data, main_pages, session_cookie

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [390, 1280])
def test_no_page_is_wider_than_the_viewport(browser, live_server, transactional_db, width):
    user = learner_with_data()
    problems: list[str] = []
    for logged_in in (False, True):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": 800},
            timezone_id="Europe/Berlin",
        )
        context.set_default_timeout(10_000)
        if logged_in:
            context.add_cookies([session_cookie(user, live_server.url)])
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        page.on(
            "console",
            lambda msg, errors=errors: errors.append(msg.text) if msg.type == "error" else None,
        )
        for name, path, needs_login in main_pages(user):
            if needs_login != logged_in:
                continue
            response = page.goto(path)
            assert response is not None and response.status == 200, (name, path)
            page.wait_for_load_state("networkidle")
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                problems.append(f"{name} ({path}) is {scroll_width} px wide at {width} px")
            for error in errors:
                problems.append(f"{name} ({path}): console error {error}")
            errors.clear()
        context.close()
    assert not problems, "\n".join(problems)
