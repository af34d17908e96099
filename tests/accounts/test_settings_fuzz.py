"""Arbitrary input to the settings and delete forms never answers 500 nor half-saves (S4)."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User

FIELDS = ["display_name", "timezone", "week_start", "reminder_weekday", "reminder_time"]
text = st.text(max_size=80)


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.fixed_dictionaries({name: text for name in FIELDS}), as_htmx=st.booleans())
def test_random_settings_input_never_500s(
    client_logged_in: Client, user: User, data: dict[str, str], as_htmx: bool
) -> None:
    headers = {"HTTP_HX_REQUEST": "true"} if as_htmx else {}
    clean = {key: value.replace("\x00", "") for key, value in data.items()}
    user.refresh_from_db()
    before = {name: getattr(user, name) for name in FIELDS}
    response = client_logged_in.post("/account/settings/", clean, **headers)
    assert response.status_code in (200, 302, 422)
    user.refresh_from_db()
    if response.status_code == 422:
        # Nothing half-saved: every stored value is as it was.
        assert {name: getattr(user, name) for name in FIELDS} == before
    user.full_clean()


@pytest.mark.django_db
def test_nul_bytes_are_refused_not_500(client_logged_in: Client) -> None:
    response = client_logged_in.post(
        "/account/settings/", {"display_name": "a\x00b", "timezone": "UTC\x00"}
    )
    assert response.status_code == 422
