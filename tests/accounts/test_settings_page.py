import datetime as dt

import pytest
from django.test import Client

from accounts.models import User

URL = "/account/settings/"
VALID = {
    "display_name": "Ada L.",
    "timezone": "Asia/Kathmandu",
    "week_start": "6",
    "reminders_enabled": "on",
    "reminder_weekday": "2",
    "reminder_time": "07:45",
}


@pytest.mark.django_db
def test_settings_requires_login(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_full_page_shows_current_values(client_logged_in: Client) -> None:
    response = client_logged_in.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert 'value="Europe/Berlin"' in html
    assert 'value="09:00"' in html
    assert 'id="settings-form"' in html


@pytest.mark.django_db
def test_htmx_get_returns_only_the_partial(client_logged_in: Client, htmx: dict[str, str]) -> None:
    response = client_logged_in.get(URL, **htmx)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" id="settings-form">')
    assert "<html" not in html


@pytest.mark.django_db
def test_valid_post_persists_and_redirects(client_logged_in: Client, user: User) -> None:
    response = client_logged_in.post(URL, VALID)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "Ada L."
    assert user.timezone == "Asia/Kathmandu"
    assert user.week_start == 6
    assert user.reminder_weekday == 2
    assert user.reminder_time == dt.time(7, 45)
    assert user.reminders_enabled is True


@pytest.mark.django_db
def test_valid_htmx_post_returns_partial(
    client_logged_in: Client, user: User, htmx: dict[str, str]
) -> None:
    response = client_logged_in.post(URL, {**VALID, "reminders_enabled": ""}, **htmx)
    assert response.status_code == 200
    assert b"Settings saved." in response.content
    user.refresh_from_db()
    assert user.reminders_enabled is False


@pytest.mark.django_db
def test_invalid_timezone_is_refused_with_input_kept(
    client_logged_in: Client, user: User, htmx: dict[str, str]
) -> None:
    response = client_logged_in.post(URL, {**VALID, "timezone": "Europe/Atlantis"}, **htmx)
    assert response.status_code == 422
    html = response.content.decode()
    assert "is not a known IANA timezone" in html
    assert 'value="Europe/Atlantis"' in html
    assert 'value="Ada L."' in html
    assert 'aria-invalid="true"' in html
    user.refresh_from_db()
    assert user.timezone == "Europe/Berlin"
    assert user.display_name == "Ada"


@pytest.mark.django_db
@pytest.mark.parametrize("bad_time", ["25:00", "09:61", "nine", "-1:00"])
def test_out_of_range_time_is_refused_with_input_kept(
    client_logged_in: Client, user: User, bad_time: str
) -> None:
    response = client_logged_in.post(URL, {**VALID, "reminder_time": bad_time})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter a time between 00:00 and 23:59" in html
    assert f'value="{bad_time}"' in html
    user.refresh_from_db()
    assert user.reminder_time == dt.time(9, 0)


@pytest.mark.django_db
def test_out_of_range_weekday_is_refused(client_logged_in: Client, user: User) -> None:
    response = client_logged_in.post(URL, {**VALID, "reminder_weekday": "9"})
    assert response.status_code == 422
    user.refresh_from_db()
    assert user.reminder_weekday == 0


@pytest.mark.django_db
def test_saving_with_htmx_refreshes_the_reminder_panel(
    client_logged_in: Client, htmx: dict[str, str]
) -> None:
    response = client_logged_in.post(URL, VALID, **htmx)
    html = response.content.decode()
    assert 'id="reminder-panel" data-hx-swap-oob="true"' in html
    # Wednesday 07:45 in Kathmandu, shown in the user's new timezone.
    assert "Wednesday" in html
    assert "07:45 (Asia/Kathmandu)" in html


@pytest.mark.django_db
def test_full_page_includes_the_reminder_panel_once(client_logged_in: Client) -> None:
    html = client_logged_in.get(URL).content.decode()
    assert html.count('id="reminder-panel"') == 1
    assert "hx-swap-oob" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["localtime", "Factory", "posixrules", "posix/Europe/Berlin"])
def test_zone_database_files_that_are_not_iana_zones_are_refused(
    client_logged_in: Client, user: User, name: str
) -> None:
    response = client_logged_in.post(URL, {**VALID, "timezone": name})
    assert response.status_code == 422
    html = response.content.decode()
    assert "is not a known IANA timezone" in html
    assert f'value="{name}"' in html
    assert f'<option value="{name}"' not in html  # not offered as a suggestion either
    user.refresh_from_db()
    assert user.timezone == "Europe/Berlin"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Asia/Kathmandu", "America/Argentina/Buenos_Aires", "UTC"])
def test_iana_zone_names_are_still_accepted(
    client_logged_in: Client, user: User, name: str
) -> None:
    assert client_logged_in.post(URL, {**VALID, "timezone": name}).status_code == 302
    user.refresh_from_db()
    assert user.timezone == name


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [("Berlin", "Europe/Berlin"), ("new york", "America/New_York"), ("kolkata", "Asia/Kolkata")],
)
def test_a_city_name_suggests_its_iana_zone(
    client_logged_in: Client, typed: str, suggested: str
) -> None:
    data = {
        "display_name": "Ada",
        "timezone": typed,
        "week_start": "0",
        "reminders_enabled": "on",
        "reminder_weekday": "0",
        "reminder_time": "09:00",
    }
    response = client_logged_in.post(URL, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert f"Did you mean {suggested}" in html
    assert f'value="{typed}"' in html
