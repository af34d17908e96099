import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from accounts.models import User
from tests.factories import UserFactory

LOGIN = "/accounts/login/"


@pytest.mark.django_db
def test_password_reset_does_not_reveal_whether_an_account_exists(user: User) -> None:
    client = Client()
    known = client.post("/accounts/password/reset/", {"email": user.email})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # Both get an email; only the real account's contains a reset link.
    assert len(mail.outbox) == 2
    by_recipient = {m.to[0]: m.body for m in mail.outbox}
    assert "/accounts/password/reset/key/" in by_recipient[user.email]
    assert "/accounts/password/reset/key/" not in by_recipient["nobody@example.com"]


@pytest.mark.django_db
def test_password_reset_link_sets_a_new_password(user: User) -> None:
    client = Client()
    client.post("/accounts/password/reset/", {"email": user.email})
    link = next(
        line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/key/" in line
    )
    path = link.strip().split("paperstreak.test", 1)[-1]
    page = client.get(path, follow=True)
    assert page.status_code == 200
    form_path = page.redirect_chain[-1][0] if page.redirect_chain else path
    new = "a brand new long passphrase"
    response = client.post(form_path, {"password1": new, "password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


@pytest.mark.django_db
def test_password_change_ends_other_sessions(user: User, password: str) -> None:
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        client.post(LOGIN, {"login": user.email, "password": password})
    new = "another long passphrase entirely"
    response = here.post(
        "/accounts/password/change/",
        {"oldpassword": password, "password1": new, "password2": new},
    )
    assert response.status_code == 302
    assert here.get("/account/settings/").status_code == 200
    assert elsewhere.get("/account/settings/").status_code == 302


@pytest.mark.django_db
def test_password_change_refuses_weak_password(user: User, password: str) -> None:
    client = Client()
    client.post(LOGIN, {"login": user.email, "password": password})
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": password, "password1": "abc", "password2": "abc"},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(password)


@pytest.mark.django_db
def test_changing_email_asks_for_recent_reauthentication(client_logged_in: Client) -> None:
    response = client_logged_in.post(
        "/accounts/email/", {"action_add": "", "email": "new@example.com"}
    )
    assert response.status_code == 302
    assert "/accounts/reauthenticate/" in response["Location"]
    assert not EmailAddress.objects.filter(email="new@example.com").exists()


@pytest.mark.django_db
def test_changing_email_after_reauthentication_sends_verification(
    user: User, password: str
) -> None:
    client = Client()
    client.post(LOGIN, {"login": user.email, "password": password})
    client.post("/accounts/reauthenticate/", {"password": password})
    response = client.post("/accounts/email/", {"action_add": "", "email": "new@example.com"})
    assert response.status_code == 302
    address = EmailAddress.objects.get(email="new@example.com")
    assert not address.verified
    assert any("new@example.com" in m.to for m in mail.outbox)


@pytest.mark.django_db
def test_email_taken_by_someone_else_cannot_become_ours(user: User, password: str) -> None:
    owner = UserFactory(email="taken@example.com")
    client = Client()
    client.post(LOGIN, {"login": user.email, "password": password})
    client.post("/accounts/reauthenticate/", {"password": password})
    client.post("/accounts/email/", {"action_add": "", "email": "taken@example.com"})
    # allauth answers as if it worked (no enumeration); the address never verifies for us.
    for message in mail.outbox:
        for word in message.body.split():
            if "/accounts/confirm-email/" in word:
                client.post(word.split("paperstreak.test", 1)[-1])
    assert not EmailAddress.objects.filter(
        user=user, email="taken@example.com", verified=True
    ).exists()
    assert EmailAddress.objects.get(user=owner, email="taken@example.com").verified
    user.refresh_from_db()
    assert user.email == "ada@example.com"
