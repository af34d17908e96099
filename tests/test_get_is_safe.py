"""S3: no GET changes state. Every route of ours is fetched by its owner (plain and htmx)
and every row of every model must be exactly as before."""

import pytest
from django.apps import apps
from django.test import Client
from django.urls import get_resolver, reverse

from accounts.models import User
from tests.test_ownership import MAKERS, NOT_OWNED, OUR_NAMESPACES, _walk

OUR_APPS = {"accounts", *OUR_NAMESPACES, "account", "mfa"}


def snapshot() -> dict[str, list[tuple]]:
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in OUR_APPS:
            fields = [f.attname for f in model._meta.concrete_fields if f.attname != "last_login"]
            state[model._meta.label] = sorted(
                map(tuple, model.objects.order_by("pk").values_list(*fields)), key=repr
            )
    return state


def all_routes() -> list[str]:
    return sorted(
        name for name, pattern in _walk(get_resolver().url_patterns) if name not in NOT_OWNED
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", all_routes())
def test_get_changes_nothing(name: str, user: User, client_logged_in: Client) -> None:
    kwargs = MAKERS[name](user) if name in MAKERS else {}
    url = reverse(name, kwargs=kwargs)
    before = snapshot()
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client_logged_in.get(url, **headers)
        assert response.status_code < 500, (name, response.status_code)
    assert snapshot() == before, name
