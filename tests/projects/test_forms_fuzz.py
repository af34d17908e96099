"""S4: random text in every field of the project forms never answers 500."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.projects.factories import ProjectFactory, make_paper
from tracker.projects.forms import ProjectForm, WorkSessionForm

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Anything a browser could send: text, numbers as text, edge-case numbers and dates.
values = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "100",
            "100.001",
            "1e309",
            "NaN",
            "inf",
            "9" * 30,
            "2999-12-31",
            "0001-01-01",
            "2025-02-30",
            "competition",
            "project",
            "done",
            "on",
            "\x00",
            "http://",
        ]
    ),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
PROJECT_FIELDS = list(ProjectForm.Meta.fields)
SESSION_FIELDS = list(WorkSessionForm.Meta.fields)


@FUZZ
@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(PROJECT_FIELDS, values)))
def test_project_create_never_500s(client_logged_in, user, data):
    response = client_logged_in.post(reverse("projects:create"), data)
    assert response.status_code in {302, 422}


@FUZZ
@given(
    data=st.fixed_dictionaries({}, optional=dict.fromkeys(PROJECT_FIELDS, values)),
    as_htmx=st.booleans(),
)
def test_project_edit_never_500s(client_logged_in, user, htmx, data, as_htmx):
    project = ProjectFactory(owner=user)
    make_paper(user)
    response = client_logged_in.post(
        reverse("projects:detail", args=[project.pk]), data, **(htmx if as_htmx else {})
    )
    assert response.status_code in {200, 302, 422}


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {}, optional=dict.fromkeys([*SESSION_FIELDS, "item", "done"], values)
    )
)
def test_session_and_checklist_never_500(client_logged_in, user, htmx, data):
    project = ProjectFactory(owner=user)
    response = client_logged_in.post(
        reverse("projects:session_add", args=[project.pk]), data, **htmx
    )
    assert response.status_code in {200, 422}
    response = client_logged_in.post(reverse("projects:checklist", args=[project.pk]), data, **htmx)
    assert response.status_code in {200, 422}


@FUZZ
@given(query=st.dictionaries(st.sampled_from(["status", "kind", "x"]), values, max_size=3))
def test_list_filters_never_500(client_logged_in, user, query):
    assert client_logged_in.get(reverse("projects:list"), query).status_code == 200
