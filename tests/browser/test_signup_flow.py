"""A new user signs up in real Chromium, verifies by email, sets reminders, logs out and in."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import User

pytestmark = pytest.mark.browser

EMAIL = "katherine@example.com"
PASSWORD = "orbital mechanics by hand"


def verification_path(body: str) -> str:
    match = re.search(r"https?://\S+?(/accounts/confirm-email/\S+?/)", body)
    assert match, body
    return match.group(1)


def test_sign_up_verify_configure_log_out_and_back_in(page: object) -> None:
    page.goto("/")  # type: ignore[attr-defined]
    assert "Break into machine learning" in page.text_content("h1")  # type: ignore[attr-defined]
    page.click("text=Start your streak")  # type: ignore[attr-defined]

    page.fill("input[name=email]", EMAIL)  # type: ignore[attr-defined]
    page.fill("input[name=password1]", PASSWORD)  # type: ignore[attr-defined]
    page.fill("input[name=password2]", PASSWORD)  # type: ignore[attr-defined]
    # The browser's own timezone was filled in by static/js/app.js.
    assert page.input_value("input[name=timezone]") == "Europe/Berlin"  # type: ignore[attr-defined]
    page.click("form button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_url("**/accounts/confirm-email/")  # type: ignore[attr-defined]
    assert User.objects.get(email=EMAIL).timezone == "Europe/Berlin"

    assert len(mail.outbox) == 1
    page.goto(verification_path(mail.outbox[0].body))  # type: ignore[attr-defined]
    page.click("form button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_url(page.base_url + "/")  # type: ignore[attr-defined]
    assert EmailAddress.objects.get(email=EMAIL).verified
    assert page.is_visible("text=Log out")  # type: ignore[attr-defined]
    assert page.get_attribute("nav a[aria-current=page]", "href") == "/"  # type: ignore[attr-defined]

    page.click("nav >> text=Settings")  # type: ignore[attr-defined]
    page.fill("input[name=timezone]", "America/New_York")  # type: ignore[attr-defined]
    page.fill("input[name=reminder_time]", "07:30")  # type: ignore[attr-defined]
    page.select_option("select[name=reminder_weekday]", "6")  # type: ignore[attr-defined]
    page.evaluate("window.__noReload = true")  # type: ignore[attr-defined]
    page.click("#settings-form button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("#settings-form >> text=Settings saved.")  # type: ignore[attr-defined]
    assert page.evaluate("window.__noReload") is True  # type: ignore[attr-defined]
    user = User.objects.get(email=EMAIL)
    assert (user.timezone, user.reminder_time.strftime("%H:%M"), user.reminder_weekday) == (
        "America/New_York",
        "07:30",
        6,
    )

    page.click("text=Log out")  # type: ignore[attr-defined]
    page.wait_for_url(page.base_url + "/")  # type: ignore[attr-defined]
    assert page.is_visible("text=Log in")  # type: ignore[attr-defined]

    page.click("nav >> text=Log in")  # type: ignore[attr-defined]
    page.fill("input[name=login]", EMAIL)  # type: ignore[attr-defined]
    page.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
    page.click("form button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_url(page.base_url + "/")  # type: ignore[attr-defined]
    assert page.is_visible("text=Log out")  # type: ignore[attr-defined]


def test_settings_form_works_without_javascript(browser: object, live_server: object) -> None:
    from tests.factories import PASSWORD as FACTORY_PASSWORD
    from tests.factories import UserFactory

    user = UserFactory(email="nojs@example.com")
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        page.fill("input[name=login]", user.email)
        page.fill("input[name=password]", FACTORY_PASSWORD)
        page.click("form button[type=submit]")
        page.goto("/account/settings/")
        page.fill("input[name=timezone]", "Not/AZone")
        page.click("#settings-form button[type=submit]")
        assert page.is_visible("text=is not a known IANA timezone")
        assert page.input_value("input[name=timezone]") == "Not/AZone"
        page.fill("input[name=timezone]", "Asia/Kolkata")
        page.click("#settings-form button[type=submit]")
        assert page.is_visible("text=Settings saved.")
        user.refresh_from_db()
        assert user.timezone == "Asia/Kolkata"
    finally:
        context.close()
