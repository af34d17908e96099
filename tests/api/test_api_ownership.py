"""S1 for the API: every operation whose path names an object answers 404 to anyone but
its owner, for every method. The operations are read from the NinjaAPI's routers, so a new
endpoint fails here until it is given a maker (and, without an id, a plain call).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from accounts.models import User
from tests.api.conftest import ApiClient
from tests.goals.factories import GoalFactory
from tests.papers.factories import PaperFactory
from tests.projects.factories import ProjectFactory
from tests.replications.factories import ReplicationFactory
from tracker.api.api import api as ninja_api

Maker = Callable[[User], dict[str, object]]

MAKERS: dict[str, Maker] = {
    "/papers/{pk}": lambda u: {"pk": PaperFactory(owner=u).pk},
    "/papers/{pk}/read": lambda u: {"pk": PaperFactory(owner=u).pk},
    "/papers/{pk}/sessions": lambda u: {"pk": PaperFactory(owner=u).pk},
    "/replications/{pk}": lambda u: {"pk": ReplicationFactory(owner=u).pk},
    "/projects/{pk}": lambda u: {"pk": ProjectFactory(owner=u).pk},
    "/projects/{pk}/checklist/{item}": lambda u: {
        "pk": ProjectFactory(owner=u).pk,
        "item": "has_eda",
    },
    "/goals/{pk}": lambda u: {"pk": GoalFactory(owner=u).pk},
}
# A body each write needs so that only ownership can refuse it.
BODIES: dict[tuple[str, str], dict[str, object]] = {
    ("PATCH", "/papers/{pk}"): {"status": "read"},
    ("POST", "/papers/{pk}/read"): {},
    ("POST", "/papers/{pk}/sessions"): {"minutes": 10},
    ("PATCH", "/replications/{pk}"): {"my_mean": 1.0},
    ("PUT", "/projects/{pk}/checklist/{item}"): {"done": True},
}


def operations() -> list[tuple[str, str]]:
    """(method, path) of every operation of the API, from its routers."""
    found = []
    for prefix, router in ninja_api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    found.append((method, (prefix.rstrip("/") + path) or "/"))
    return sorted(set(found))


def with_ids() -> list[tuple[str, str]]:
    return [(m, p) for m, p in operations() if "{" in p]


def test_walker_sees_the_api() -> None:
    assert ("GET", "/papers/{pk}") in operations()
    assert len(operations()) >= 20


def test_every_operation_with_an_id_has_a_maker() -> None:
    missing = {p for _m, p in with_ids()} - set(MAKERS)
    assert not missing, f"add these API paths to MAKERS in {__file__}: {sorted(missing)}"


def _url(path: str, kwargs: dict[str, object]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(kwargs[m.group(1)]), path)


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), with_ids())
def test_someone_elses_object_is_404(
    method: str, path: str, user: User, api: ApiClient, other_api: ApiClient
) -> None:
    url = _url(path, MAKERS[path](user))
    body = BODIES.get((method, path), {})
    response = getattr(other_api, method.lower())(url, *([body] if method != "GET" else []))
    assert response.status_code == 404, (method, path, response.status_code, response.content)
    # ...and the owner reaches it, so the 404 is about ownership, not a broken route.
    own = getattr(api, method.lower())(url, *([body] if method != "GET" else []))
    assert own.status_code in (200, 201), (method, path, own.status_code, own.content)


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), operations())
def test_every_operation_is_401_without_a_token(method: str, path: str, user: User) -> None:
    url = _url(path, MAKERS[path](user)) if path in MAKERS else path
    response = getattr(ApiClient(None), method.lower())(url)
    assert response.status_code == 401, (method, path, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), [op for op in operations() if op[0] != "GET"])
def test_every_write_is_403_with_a_read_only_token(
    method: str, path: str, user: User, read_api: ApiClient
) -> None:
    url = _url(path, MAKERS[path](user)) if path in MAKERS else path
    response = getattr(read_api, method.lower())(url, BODIES.get((method, path), {}))
    assert response.status_code == 403, (method, path, response.status_code)


def test_openapi_schema_lists_every_operation(client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    listed = {
        (method.upper(), path.removeprefix("/api/v1"))
        for path, item in schema["paths"].items()
        for method in item
    }
    assert listed == set(operations())
    assert (
        "BearerAuth" in str(schema["components"]["securitySchemes"])
        or schema["components"]["securitySchemes"]
    )
