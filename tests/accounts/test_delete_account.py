import pytest
from django.test import Client

from accounts.models import User

URL = "/account/delete/"


@pytest.mark.django_db
def test_delete_page_asks_for_confirmation(client_logged_in: Client) -> None:
    response = client_logged_in.get(URL)
    assert response.status_code == 200
    assert b"cannot be undone" in response.content


@pytest.mark.django_db
def test_wrong_password_deletes_nothing(client_logged_in: Client, user: User) -> None:
    response = client_logged_in.post(URL, {"password": "guess", "confirm": "on"})
    assert response.status_code == 422
    assert b"That is not your password." in response.content
    assert User.objects.filter(pk=user.pk).exists()


@pytest.mark.django_db
def test_unticked_confirmation_deletes_nothing(
    client_logged_in: Client, user: User, password: str
) -> None:
    response = client_logged_in.post(URL, {"password": password})
    assert response.status_code == 422
    assert User.objects.filter(pk=user.pk).exists()


@pytest.mark.django_db
def test_confirmed_delete_removes_user_and_logs_out(
    client_logged_in: Client, user: User, other_user: User, password: str
) -> None:
    response = client_logged_in.post(URL, {"password": password, "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert User.objects.filter(pk=other_user.pk).exists()
    assert "_auth_user_id" not in client_logged_in.session
