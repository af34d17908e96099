"""CSP and security headers on full pages and htmx partials (D2, D3, S5)."""

import pytest
from django.test import Client

from accounts.models import User

REQUIRED_CSP = [
    "default-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
]


def assert_strict_csp(header: str) -> None:
    for directive in REQUIRED_CSP:
        assert directive in header, header
    script_src = next(part for part in header.split(";") if "script-src" in part)
    assert "unsafe-inline" not in script_src
    assert "unsafe-eval" not in script_src


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/"])
def test_anonymous_pages_carry_strict_csp(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert_strict_csp(response["Content-Security-Policy"])
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_htmx_partial_carries_csp_and_varies_on_hx_request(
    client_logged_in: Client, htmx: dict[str, str]
) -> None:
    response = client_logged_in.get("/account/settings/", **htmx)
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert_strict_csp(response["Content-Security-Policy"])
    assert "HX-Request" in response["Vary"]


@pytest.mark.django_db
def test_no_inline_script_in_base_template(client_logged_in: Client) -> None:
    html = client_logged_in.get("/account/settings/").content.decode()
    for chunk in html.split("<script")[1:]:
        tag = chunk.split(">", 1)[0]
        assert "src=" in tag, f"inline script found: <script{tag}>"
    assert " style=" not in html
    assert "hx-on" not in html  # hx-on and data-hx-on


@pytest.mark.django_db
def test_hsts_on_secure_requests_in_production(settings: object, user: User) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000  # type: ignore[attr-defined]
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True  # type: ignore[attr-defined]
    response = Client().get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
def test_body_carries_csrf_header_for_htmx(client_logged_in: Client) -> None:
    html = client_logged_in.get("/account/settings/").content.decode()
    assert '<body data-hx-headers=\'{"x-csrftoken": "' in html
    assert "/static/django_htmx/htmx-2.min.js" in html or "htmx" in html
