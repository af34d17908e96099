"""S4: random text in every field of the replication and claim forms never answers 500."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.replications.factories import ClaimFactory, ReplicationFactory, make_paper
from tracker.replications.forms import ClaimForm, ReplicationForm

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
values = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300),
    st.sampled_from(
        [
            "",
            "0",
            "-0",
            "-1",
            "1e308",
            "1e309",
            "-1e309",
            "NaN",
            "inf",
            "9" * 40,
            "0.0000001",
            "2999-12-31",
            "0001-01-01",
            "done",
            "in_progress",
            "planned",
            "reproduced",
            "\x00",
        ]
    ),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
RECORD_FIELDS = list(ReplicationForm.Meta.fields)
CLAIM_FIELDS = list(ClaimForm.Meta.fields)


@FUZZ
@given(
    data=st.fixed_dictionaries({}, optional=dict.fromkeys(RECORD_FIELDS, values)),
    as_htmx=st.booleans(),
)
def test_replication_record_never_500s(client_logged_in, user, htmx, data, as_htmx):
    replication = ReplicationFactory(owner=user)
    response = client_logged_in.post(
        reverse("replications:detail", args=[replication.pk]),
        data,
        **(htmx if as_htmx else {}),
    )
    assert response.status_code in {200, 302, 422}


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {}, optional=dict.fromkeys(["status", "started_on", "paper"], values)
    )
)
def test_start_forms_never_500(client_logged_in, user, htmx, data):
    paper = make_paper(user)
    response = client_logged_in.post(
        reverse("replications:for_paper", args=[paper.pk]), data, **htmx
    )
    assert response.status_code in {200, 422}
    response = client_logged_in.post(reverse("replications:create"), data, **htmx)
    assert response.status_code in {200, 422}


@FUZZ
@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(CLAIM_FIELDS, values)))
def test_claim_forms_never_500(client_logged_in, user, htmx, data):
    claim = ClaimFactory(replication=ReplicationFactory(owner=user))
    response = client_logged_in.post(
        reverse("replications:claim_add", args=[claim.replication.pk]), data, **htmx
    )
    assert response.status_code in {200, 422}
    response = client_logged_in.post(
        reverse("replications:claim_edit", args=[claim.pk]), data, **htmx
    )
    assert response.status_code in {200, 422}


@FUZZ
@given(query=st.dictionaries(st.sampled_from(["status", "part"]), values, max_size=2))
def test_list_filter_never_500s(client_logged_in, user, query):
    assert client_logged_in.get(reverse("replications:list"), query).status_code == 200
