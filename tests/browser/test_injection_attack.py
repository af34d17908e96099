"""S6 in Chromium: a paper title carrying htmx attributes, imported from a shared .bib file,
cannot make the owner's browser POST anything when they open the reminder preview.

The attack as an outside tester found it: the LaTeX decoding turns ``\\textless{}``,
``\\textbraceleft{}`` … into ``<``, ``{`` …, so the stored title is a ``<b hx-post=…
hx-trigger=load>`` element aimed at the settings form. On the old code the text email was a
SafeString, the preview inserted it unescaped, htmx processed the element and the CSRF
token from ``<body hx-headers>`` rode along: the settings changed.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, UserFactory
from tracker.papers.models import Paper

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# hx-vals with the settings form's fields: display name changed, reminders left out (= off).
LT, GT, LB, RB = r"\textless{}", r"\textgreater{}", r"\textbraceleft{}", r"\textbraceright{}"
HX_VALS = (
    f'{LB}"display_name": "pwned", "timezone": "UTC", "week_start": "0", '
    f'"reminder_weekday": "0", "reminder_time": "09:00"{RB}'
)
ATTACK_BIB = (
    "@misc{attack,\n"
    f'  title = {{Attention {LT}b hx-post="/account/settings/" hx-trigger="load" '
    f"hx-swap=\"none\" hx-vals='{HX_VALS}'{GT}.{LT}/b{GT}}},\n"
    "  year = {2017}\n"
    "}\n"
)


def log_in(page: Any, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(page.base_url + "/")


def test_imported_htmx_title_cannot_post_from_the_reminder_preview(
    page: Any, settings: Any, tmp_path: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = UserFactory(email="victim@example.com", display_name="Victim", timezone="Europe/Berlin")
    log_in(page, user.email)

    # Import the shared .bib through the real upload and confirm pages.
    bib = tmp_path / "shared.bib"
    bib.write_text(ATTACK_BIB)
    page.goto(reverse("papers:import"))
    page.set_input_files("input[type=file]", str(bib))
    page.click("main form button[type=submit]")
    page.wait_for_url("**/papers/import/*/")
    page.click("form[action$='/confirm/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    title = Paper.objects.get(owner=user).title
    assert 'hx-post="/account/settings/"' in title, "the payload is stored as typed"

    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.goto(reverse("reminders:preview"))
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # hx-trigger="load" would have fired by now
    assert posts == [], f"the preview sent POSTs: {posts}"
    # The title is shown as text, not as an element.
    assert page.locator("main [hx-post='/account/settings/']").count() == 0
    assert 'hx-post="/account/settings/"' in page.text_content("pre.email-text")

    page.goto(reverse("reminders:preview_html"))
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)

    assert posts == [], f"the preview sent POSTs: {posts}"
    after = User.objects.get(pk=user.pk)
    assert after.display_name == "Victim"
    assert after.reminders_enabled is True
