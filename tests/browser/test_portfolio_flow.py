"""P1 in a real browser: a logged-out context sees only the public items; screenshots of the
public page at desktop and phone widths land in var/screens/ for a person to look at."""

from pathlib import Path

import pytest

from tests.portfolio.util import PRIVATE, enable, half_public

pytestmark = pytest.mark.browser
SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens"


def test_logged_out_browser_sees_only_public_items(browser, live_server, transactional_db):
    from tests.factories import UserFactory

    user = UserFactory(email="pf@example.com", display_name="Ada", timezone="Europe/Berlin")
    data = half_public(user)
    enable(user)
    SCREENS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 900}
        )
        page = context.new_page()
        response = page.goto("/u/ada/")
        assert response is not None and response.status == 200
        text = page.inner_text("body")
        for title in data["shown"]:
            assert title in text
        assert PRIVATE not in page.content()
        page.screenshot(path=str(SCREENS / f"portfolio-{width}.png"), full_page=True)
        context.close()
