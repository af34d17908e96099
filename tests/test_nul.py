"""A NUL character in any form input is refused with a message, never a 500 (issue 17, 4).

The test walks the URL patterns and the allauth pages, reads every POST form each page
renders, and posts each of its fields back with a NUL in it — so a new form or field
cannot skip the check. On PostgreSQL a NUL reaching a text column raises at save time;
on SQLite it would be stored, so the database is also scanned for NUL afterwards.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.accounts.test_mfa import login_with_password
from tests.test_ownership import MAKERS, _walk
from tracker.forms import NUL_MESSAGE
from tracker.papers.models import PendingImport

DJANGO_NUL_MESSAGE = "Null characters are not allowed."
ALLAUTH_PAGES = [
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/totp/activate/",
    "/accounts/reauthenticate/",
]
ANONYMOUS_PAGES = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
SKIP_ACTIONS = ("/accounts/logout/",)


@dataclass
class PostForm:
    action: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (name, kind, value)
    checked: dict[str, str] = field(default_factory=dict)


class FormParser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.forms: list[PostForm] = []
        self._form: PostForm | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            action = a.get("hx-post") or a.get("action") or self.page_url
            post = a.get("method", "").lower() == "post" or "hx-post" in a
            self._form = PostForm(urljoin(self.page_url, action)) if post else None
            if self._form:
                self.forms.append(self._form)
            return
        form = self._form
        if form is None or not a.get("name") or a["name"] == "csrfmiddlewaretoken":
            if tag == "option" and form is not None and self._select and "selected" in a:
                form.checked[self._select] = a.get("value", "")
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a or (kind == "radio" and name not in form.checked):
                    form.checked.setdefault(name, a.get("value", "on"))
                form.fields.append((name, kind, a.get("value", "on")))
            elif kind not in ("submit", "button", "reset", "image"):
                form.fields.append((name, kind, a.get("value", "")))
        elif tag == "textarea":
            form.fields.append((name, "textarea", ""))
        elif tag == "select":
            self._select = name
            form.fields.append((name, "select", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms_on(client: Client, url: str) -> list[PostForm]:
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    parser = FormParser(url)
    parser.feed(response.content.decode())
    return [f for f in parser.forms if not f.action.endswith(SKIP_ACTIONS)]


def our_pages(user: User) -> Iterator[str]:
    from django.urls import get_resolver

    for name, pattern in _walk(get_resolver().url_patterns):
        if pattern.pattern.regex.groupindex:
            if name in MAKERS:
                yield reverse(name, kwargs=MAKERS[name](user))
        else:
            yield reverse(name)


def text_rows_with_nul() -> list[str]:
    """Our text columns holding a NUL (SQLite stores one; PostgreSQL raised already)."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith(("tracker.", "accounts.")):
            continue
        names = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, models.CharField | models.TextField) and f.concrete
        ]
        if not names:
            continue
        for row in model._default_manager.values_list(*names):
            found += [
                f"{model.__name__}.{name}"
                for name, value in zip(names, row, strict=True)
                if value and "\x00" in value
            ]
    return found


def base_data(form: PostForm) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {}
    for name, kind, value in form.fields:
        if kind in ("checkbox", "radio") or kind == "select":
            if name in form.checked:
                data[name] = form.checked[name]
        elif kind != "file":
            data[name] = value
    return data


def post_each_field_with_nul(client: Client, form: PostForm) -> list[str]:
    problems = []
    for name, kind, value in form.fields:
        if kind == "file":
            continue
        data = base_data(form)
        data[name] = (value or "a") + "\x00b"
        response = client.post(form.action, data)
        where = f"{form.action} [{name}]"
        if response.status_code >= 500:
            problems.append(f"{where}: {response.status_code}")
        elif response.status_code in (200, 422) and kind not in ("checkbox", "radio", "hidden"):
            body = response.content.decode()
            refused = NUL_MESSAGE in body or DJANGO_NUL_MESSAGE in body
            # A select posted with a value it never offered is refused (422) like any
            # bad choice; the text a user can type must say why.
            if not refused and kind != "select":
                problems.append(f"{where}: {response.status_code} without a NUL message")
        if stored := text_rows_with_nul():
            problems.append(f"{where}: NUL stored in {stored}")
    return problems


@pytest.mark.django_db
def test_nul_in_any_field_of_any_form_is_refused_with_a_message(user: User, password: str) -> None:
    client = Client(raise_request_exception=False)
    login_with_password(client, user, password)
    problems: list[str] = []
    posted = 0
    for url in [*our_pages(user), *ALLAUTH_PAGES]:
        for form in forms_on(client, url):
            posted += 1
            problems += post_each_field_with_nul(client, form)
    anonymous = Client(raise_request_exception=False)
    for url in ANONYMOUS_PAGES:
        for form in forms_on(anonymous, url):
            posted += 1
            problems += post_each_field_with_nul(anonymous, form)
    assert posted > 30  # the walk found the forms
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("offset", [0, 8192, 4 * 1024 * 1024])
def test_bibtex_upload_with_a_nul_anywhere_is_refused_and_keeps_nothing(
    client_logged_in: Client, htmx: dict[str, str], offset: int
) -> None:
    entry = b"@article{a, title={Attention Is All You Need}, year={2017}}\n"
    data = entry * (offset // len(entry) + 1)
    data = data[:offset] + b"\x00" + data[offset:]
    upload = SimpleUploadedFile("library.bib", data, content_type="application/x-bibtex")
    response = client_logged_in.post(reverse("papers:import"), {"file": upload}, **htmx)
    assert response.status_code == 422
    assert "contains a NUL byte" in response.content.decode()
    assert not PendingImport.objects.exists()


@pytest.mark.django_db
def test_nul_in_an_uploaded_file_name_is_never_stored(client_logged_in: Client) -> None:
    upload = SimpleUploadedFile("lib\x00rary.bib", b"@misc{a, title={T}}\n")
    response = client_logged_in.post(reverse("papers:import"), {"file": upload})
    assert response.status_code in (200, 302, 422)
    assert all("\x00" not in p.filename for p in PendingImport.objects.all())
