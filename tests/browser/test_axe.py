"""axe-core finds no serious or critical accessibility violation on any main page."""

import json

import pytest

from tests.browser.pages import (
    AXE,
    TOOLS_HINT,
    learner_with_data,
    main_pages,
    session_cookie,
    tool_missing,
)

pytestmark = pytest.mark.browser


def test_axe_reports_no_serious_violation(browser, live_server, transactional_db):
    if not AXE.exists():
        tool_missing(f"axe-core not installed at {AXE}: {TOOLS_HINT}")
    user = learner_with_data()
    found: list[str] = []
    for logged_in in (False, True):
        # The CSP forbids inline scripts, and add_script_tag injects one: this context
        # alone bypasses the CSP (the width test checks the pages run clean under it).
        context = browser.new_context(
            base_url=live_server.url, bypass_csp=True, timezone_id="Europe/Berlin"
        )
        context.set_default_timeout(10_000)
        if logged_in:
            context.add_cookies([session_cookie(user, live_server.url)])
        page = context.new_page()
        for name, path, needs_login in main_pages(user):
            if needs_login != logged_in:
                continue
            page.goto(path)
            page.wait_for_load_state("networkidle")
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                "async () => await axe.run(document, {resultTypes: ['violations']})"
            )
            for v in result["violations"]:
                if v["impact"] in ("serious", "critical"):
                    targets = [n["target"] for n in v["nodes"]][:5]
                    found.append(
                        f"{name} ({path}): {v['id']} [{v['impact']}] {json.dumps(targets)}"
                    )
        context.close()
    assert not found, "\n".join(found)
