"""Settings → Download everything in Chromium: the htmx progress section follows the build
and ends with the download link; the calendar section loads its address."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.pages import learner_with_data, session_cookie
from tracker.celery import app as celery_app

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))


def test_download_everything_shows_progress_then_the_link(
    browser: Any,
    live_server: Any,
    transactional_db: None,
    settings: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.ARCHIVE_DIR = tmp_path
    # The build runs at commit, in the server thread. Celery read its configuration when the
    # app was first used, so a Django setting alone would not reach it in a longer run.
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    user = learner_with_data()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 900}
        )
        context.add_cookies([session_cookie(user, live_server.url)])
        page = context.new_page()
        page.goto("/account/settings/")
        page.get_by_role(
            "button", name=re.compile("Create a calendar address|Make a new address")
        ).click()
        page.get_by_label("Calendar feed address").wait_for()
        page.get_by_role(
            "button", name=re.compile("Download everything|Build a new archive")
        ).click()
        page.get_by_role("link", name="download it").wait_for()
        page.screenshot(path=str(SHOTS / f"settings-archive-{width}.png"), full_page=True)
        with page.expect_download() as download:
            page.get_by_role("link", name="download it").click()
        assert download.value.suggested_filename.endswith(".zip")
        page.goto("/account/archive/import/")
        page.screenshot(path=str(SHOTS / f"archive-import-{width}.png"), full_page=True)
        context.close()
