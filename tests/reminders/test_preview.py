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


def test_html_preview_is_sandboxed_so_nothing_in_it_runs_on_our_origin(
    client_logged_in: Client,
) -> None:
    """S6: no allow-scripts (no script, no htmx) and no allow-same-origin (no cookies)."""
    csp = client_logged_in.get(reverse("reminders:preview_html"))["Content-Security-Policy"]
    sandbox = [d.strip() for d in csp.split(";") if d.strip().startswith("sandbox")]
    assert sandbox == ["sandbox"], csp


def test_text_preview_escapes_the_email_body(client_logged_in: Client, user: object) -> None:
    from tests.papers.factories import PaperFactory

    PaperFactory(owner=user, title='<b hx-post="/account/settings/" hx-trigger="load">x</b>')
    content = client_logged_in.get(reverse("reminders:preview")).content.decode()
    assert "&lt;b hx-post=&quot;/account/settings/&quot;" in content
    assert '<b hx-post="/account/settings/"' not in content
    assert '<pre class="email-text" data-hx-disable>' in content


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
