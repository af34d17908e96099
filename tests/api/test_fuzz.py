"""S4 for the token form and the API: arbitrary input is a 200/201/4xx, never a 500."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import from_form

from accounts.models import User
from tests.api.conftest import ApiClient
from tests.papers.factories import PaperFactory
from tests.replications.factories import ReplicationFactory
from tracker.api.forms import TokenForm

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
FIELDS = [
    "q", "title", "status", "topics", "finished_on", "minutes", "depth", "summary", "date",
    "name", "paper_id", "my_mean", "my_std", "seeds", "gpu_hours", "repo_url", "done",
]  # fmt: skip


@pytest.mark.django_db
@FUZZ
@given(data=st.data())
def test_token_form_never_raises(user: User, data: st.DataObject) -> None:
    form = data.draw(from_form(TokenForm, form_kwargs={"owner": user}))
    form.is_valid()


@pytest.mark.django_db
@FUZZ
@given(
    body=st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=6) | JSON, which=st.integers(0, 6)
)
def test_api_writes_never_answer_500(user: User, body: object, which: int) -> None:
    from tracker.api import tokens

    api = ApiClient(tokens.create_token(user, "fuzz", "write")[1])
    paper = PaperFactory(owner=user)
    rep = ReplicationFactory(owner=user)
    method, path = [
        ("post", "/papers"),
        ("patch", f"/papers/{paper.pk}"),
        ("post", f"/papers/{paper.pk}/read"),
        ("post", f"/papers/{paper.pk}/sessions"),
        ("post", "/topics"),
        ("patch", f"/replications/{rep.pk}"),
        ("post", "/replications"),
    ][which]
    response = getattr(api.client, method)(
        "/api/v1" + path, json.dumps(body), content_type="application/json", **api.headers
    )
    assert response.status_code < 500, (method, path, body, response.content[:300])


@pytest.mark.django_db
@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "q",
                "status",
                "topic",
                "year",
                "explained",
                "depth",
                "sort",
                "page",
                "page_size",
                "since",
            ]
        ),
        st.text(max_size=20),
        max_size=5,
    )
)
def test_api_list_filters_never_answer_500(user: User, params: dict[str, str]) -> None:
    from tracker.api import tokens

    api = ApiClient(tokens.create_token(user, "fuzz", "read")[1])
    for path in ("/papers", "/sessions"):
        assert api.get(path, params).status_code < 500
