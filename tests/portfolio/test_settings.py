"""Portfolio settings: handle rules, 422 keeping input, htmx partial, Hypothesis (S4)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import UserFactory
from tracker.portfolio.forms import PortfolioSettingsForm
from tracker.portfolio.models import PortfolioSettings

pytestmark = pytest.mark.django_db
URL = "/portfolio/settings/"


def test_get_shows_the_form_and_creates_nothing(client_logged_in):
    response = client_logged_in.get(URL)
    assert response.status_code == 200
    assert 'name="handle"' in response.content.decode()
    assert not PortfolioSettings.objects.exists()


def test_settings_page_includes_the_card(client_logged_in):
    body = client_logged_in.get(reverse("accounts:settings")).content.decode()
    assert 'data-hx-get="/portfolio/settings/"' in body


def test_valid_post_saves_lower_case_handle(user, client_logged_in):
    response = client_logged_in.post(URL, {"handle": "Ada-L", "enabled": "on"})
    assert response.status_code == 302
    ps = PortfolioSettings.objects.get(user=user)
    assert (ps.handle, ps.enabled, ps.allow_indexing, ps.show_papers) == (
        "ada-l",
        True,
        False,
        False,
    )


def test_htmx_post_returns_the_card(client_logged_in, htmx):
    response = client_logged_in.post(URL, {"handle": "ada"}, **htmx)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card stack" id="portfolio-card"')
    assert "Portfolio settings saved." in body


@pytest.mark.parametrize("handle", ["admin", "API", "static", "accounts", "u", "year", "papers"])
def test_reserved_handles_are_refused(client_logged_in, handle):
    response = client_logged_in.post(URL, {"handle": handle})
    assert response.status_code == 422
    assert "reserved" in response.content.decode()
    assert f'value="{handle}"' in response.content.decode(), "the input is kept"


@pytest.mark.parametrize("handle", ["a", "-ada", "ada-", "ad a", "ada_l", "x" * 31, "adé", "<b>"])
def test_malformed_handles_are_refused(client_logged_in, handle):
    assert client_logged_in.post(URL, {"handle": handle}).status_code == 422
    assert not PortfolioSettings.objects.exclude(handle="").exists()


def test_handles_are_unique_case_insensitively(other_user, client_logged_in):
    PortfolioSettings.objects.create(user=other_user, handle="ada")
    response = client_logged_in.post(URL, {"handle": "ADA"})
    assert response.status_code == 422
    assert "taken" in response.content.decode()


def test_turning_on_needs_a_handle(client_logged_in):
    response = client_logged_in.post(URL, {"enabled": "on"})
    assert response.status_code == 422
    assert "Choose a handle" in response.content.decode()


FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
values = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=80),
    st.sampled_from(["", "on", "admin", "ADMIN", "ada", "\x00", "a" * 100, "ok-name"]),
)


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {}, optional=dict.fromkeys(PortfolioSettingsForm.Meta.fields, values)
    ),
    as_htmx=st.booleans(),
)
def test_settings_form_never_500s(data, as_htmx):
    client = Client()
    client.force_login(UserFactory())
    headers = {"HTTP_HX_REQUEST": "true"} if as_htmx else {}
    response = client.post(URL, data, **headers)
    assert response.status_code in {200, 302, 422}
