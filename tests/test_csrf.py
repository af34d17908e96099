"""Every state-changing request needs a CSRF token, htmx included (S2)."""

import re

import pytest
from django.test import Client

from accounts.models import User


def csrf_client(user: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/account/settings/", "/account/delete/", "/accounts/logout/"])
def test_post_without_token_is_refused(user: User, path: str) -> None:
    client = csrf_client(user)
    response = client.post(path, {"display_name": "x"})
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.display_name == "Ada"


@pytest.mark.django_db
def test_htmx_post_without_header_is_refused(user: User, htmx: dict[str, str]) -> None:
    client = csrf_client(user)
    response = client.post("/account/settings/", {"display_name": "x"}, **htmx)
    assert response.status_code == 403


@pytest.mark.django_db
def test_htmx_post_with_body_header_token_is_accepted(user: User, htmx: dict[str, str]) -> None:
    client = csrf_client(user)
    page = client.get("/account/settings/").content.decode()
    token = re.search(r'data-hx-headers=\'\{"x-csrftoken": "([^"]+)"\}\'', page)
    assert token
    response = client.post(
        "/account/settings/",
        {
            "display_name": "Ada B.",
            "timezone": "UTC",
            "week_start": "0",
            "reminder_weekday": "0",
            "reminder_time": "09:00",
        },
        HTTP_X_CSRFTOKEN=token.group(1),
        **htmx,
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.display_name == "Ada B."


@pytest.mark.django_db
def test_login_post_without_token_is_refused(user: User, password: str) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": user.email, "password": password})
    assert response.status_code == 403
