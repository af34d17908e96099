"""Settings-page preview of this week's email and the settings panel partial."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_preview_shows_this_weeks_email(client_logged_in: Client, user: object) -> None:
    response = client_logged_in.get(reverse("reminders:preview"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Week " in content
    assert user.email in content  # type: ignore[attr-defined]
    assert "Unsubscribe:" in content
    assert 'id="reminder-panel"' in content
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_html_preview_allows_only_inline_styles(client_logged_in: Client) -> None:
    response = client_logged_in.get(reverse("reminders:preview_html"))
    assert response.status_code == 200
    assert b"<!DOCTYPE html>" in response.content
    csp = response["Content-Security-Policy"]
    assert "style-src 'unsafe-inline'" in csp
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src
    assert "frame-ancestors 'none'" in csp


def test_preview_needs_login() -> None:
    response = Client().get(reverse("reminders:preview"))
    assert response.status_code == 302
    assert Client().get(reverse("reminders:preview_html")).status_code == 302


def test_preview_does_not_accept_post(client_logged_in: Client) -> None:
    assert client_logged_in.post(reverse("reminders:preview")).status_code == 405


def test_settings_panel_renders_the_next_reminder_in_local_time(
    client_logged_in: Client, user: object
) -> None:
    from django.template.loader import render_to_string

    html = render_to_string("reminders/_settings_panel.html", {"user": user})
    assert "Reminders are <strong>on</strong>" in html
    assert "(Europe/Berlin)" in html
    assert reverse("reminders:send_test") in html
