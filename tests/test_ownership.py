"""S1: every URL that names an object answers 404 to anyone but its owner.

The test walks the URL patterns, so a new route with an object id cannot skip it: it fails
until the route is given a maker below.
"""

from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from tests.goals.factories import CounterEventFactory, GoalFactory, WeekBreakFactory
from tests.niche.factories import ContactFactory, InteractionFactory
from tests.papers.factories import PaperFactory, ReadingSessionFactory, TopicFactory
from tests.projects.factories import ProjectFactory, WorkSessionFactory
from tests.recall.factories import PromptFactory, ReadPaperFactory
from tests.replications.factories import ClaimFactory, ReplicationFactory
from tracker.api.tokens import create_token
from tracker.archive.models import ArchiveExport, ArchiveImport
from tracker.archive.views import download_url
from tracker.papers.models import PendingImport

OUR_NAMESPACES = {
    "accounts",
    "papers",
    "replications",
    "projects",
    "goals",
    "niche",
    "progress",
    "dashboard",
    "reminders",
    "api",
    "portfolio",
    "archive",
    "ical",
    "recall",
}
# Routes whose argument is not an owned object.
NOT_OWNED = {
    "dashboard:card",  # card name, scoped to request.user inside
    "reminders:unsubscribe",  # signed token, tested in tests/reminders/test_unsubscribe.py
    # Public by design (a handle or a secret, no object id): tests/portfolio/, P1/P2.
    "portfolio:public",
    "portfolio:badge",
    "portfolio:shared",
    "ical:feed",  # secret token, tested in tests/ical/test_feed.py (P2)
}

Maker = Callable[[User], dict[str, object]]


def _pending_import(owner: User) -> dict[str, object]:
    pending = PendingImport.objects.create(owner=owner, filename="x.bib", content="@misc{a,}")
    return {"pk": pending.pk}


def _failed_import(owner: User) -> dict[str, object]:
    # A failed one, so that its progress page renders the recorded error (the text walk).
    pending = PendingImport.objects.create(
        owner=owner, filename="y.bib", status="failed", error="The import failed."
    )
    return {"pk": pending.pk}


def _archive_download(owner: User) -> dict[str, object]:
    # A built archive's signed link: the signature is valid, the session is not the owner's.
    # Built for real, so the injection walk checks the CSVs and BibTeX inside it.
    from tracker.archive.tasks import build_archive

    job = ArchiveExport.objects.create(owner=owner)
    build_archive(job.pk)
    job.refresh_from_db()
    return {"token": download_url(job).rstrip("/").rsplit("/", 1)[-1]}


def _archive_import(owner: User) -> dict[str, object]:
    from tracker.archive.export import build

    return {"pk": ArchiveImport.objects.create(owner=owner, document=build(owner)).pk}


MAKERS: dict[str, Maker] = {
    "archive:download": _archive_download,
    "archive:import_preview": _archive_import,
    "archive:import_confirm": _archive_import,
    "papers:topic": lambda u: {"pk": TopicFactory(owner=u).pk},
    "papers:topic_focus": lambda u: {"pk": TopicFactory(owner=u).pk},
    "papers:import_preview": _pending_import,
    "papers:import_confirm": _pending_import,
    "papers:import_progress": _failed_import,
    "papers:edit_session": lambda u: {"pk": ReadingSessionFactory(paper__owner=u).pk},
    "papers:delete_session": lambda u: {"pk": ReadingSessionFactory(paper__owner=u).pk},
    "papers:detail": lambda u: {"pk": PaperFactory(owner=u).pk},
    "papers:edit": lambda u: {"pk": PaperFactory(owner=u).pk},
    "papers:delete": lambda u: {"pk": PaperFactory(owner=u).pk},
    "papers:status": lambda u: {"pk": PaperFactory(owner=u).pk},
    "papers:mark_read_paper": lambda u: {"pk": PaperFactory(owner=u).pk},
    "papers:add_session": lambda u: {"pk": PaperFactory(owner=u).pk},
    "papers:move": lambda u: {"pk": PaperFactory(owner=u).pk, "direction": "up"},
    "replications:for_paper": lambda u: {"paper_pk": PaperFactory(owner=u).pk},
    "replications:detail": lambda u: {"pk": ReplicationFactory(owner=u).pk},
    "replications:delete": lambda u: {"pk": ReplicationFactory(owner=u).pk},
    "replications:claim_add": lambda u: {"pk": ReplicationFactory(owner=u).pk},
    "replications:claim_edit": lambda u: {"pk": ClaimFactory(replication__owner=u).pk},
    "replications:claim_delete": lambda u: {"pk": ClaimFactory(replication__owner=u).pk},
    "projects:detail": lambda u: {"pk": ProjectFactory(owner=u).pk},
    "projects:delete": lambda u: {"pk": ProjectFactory(owner=u).pk},
    "projects:checklist": lambda u: {"pk": ProjectFactory(owner=u).pk},
    "projects:session_add": lambda u: {"pk": ProjectFactory(owner=u).pk},
    "projects:session_delete": lambda u: {"pk": WorkSessionFactory(project__owner=u).pk},
    "goals:edit": lambda u: {"pk": GoalFactory(owner=u).pk},
    "goals:delete": lambda u: {"pk": GoalFactory(owner=u).pk},
    "goals:increment": lambda u: {"pk": CounterEventFactory(goal__owner=u).goal.pk},
    "goals:break_delete": lambda u: {"pk": WeekBreakFactory(owner=u).pk},
    "api:token_revoke": lambda u: {"pk": create_token(u, "script", "write")[0].pk},
    "portfolio:publish_paper": lambda u: {"pk": PaperFactory(owner=u).pk},
    "portfolio:publish_summary": lambda u: {"pk": PaperFactory(owner=u).pk},
    "portfolio:publish_replication": lambda u: {"pk": ReplicationFactory(owner=u).pk},
    "portfolio:publish_project": lambda u: {"pk": ProjectFactory(owner=u).pk},
    "recall:prompts": lambda u: {"paper_pk": ReadPaperFactory(owner=u).pk},
    "recall:edit": lambda u: {"pk": PromptFactory(owner=u, paper__owner=u).pk},
    "recall:delete": lambda u: {"pk": PromptFactory(owner=u, paper__owner=u).pk},
    "recall:move": lambda u: {"pk": PromptFactory(owner=u, paper__owner=u).pk},
    "recall:show": lambda u: {"pk": PromptFactory(owner=u, paper__owner=u).pk},
    "recall:rate": lambda u: {"pk": PromptFactory(owner=u, paper__owner=u).pk},
    "niche:contact": lambda u: {"pk": ContactFactory(owner=u).pk},
    "niche:replied": lambda u: {"pk": InteractionFactory(contact__owner=u).pk},
}


def _walk(patterns: list, namespace: str | None = None) -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, pattern.namespace or namespace)
        elif namespace in OUR_NAMESPACES and pattern.name:
            yield f"{namespace}:{pattern.name}", pattern


def routes_with_arguments() -> list[str]:
    return sorted(
        name
        for name, pattern in _walk(get_resolver().url_patterns)
        if pattern.pattern.regex.groupindex and name not in NOT_OWNED
    )


def test_every_route_with_an_object_id_has_a_maker() -> None:
    missing = set(routes_with_arguments()) - set(MAKERS)
    assert not missing, f"add these routes to MAKERS in {__file__}: {sorted(missing)}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", routes_with_arguments())
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("as_htmx", [False, True], ids=["plain", "htmx"])
def test_someone_elses_object_is_404(
    name: str, method: str, as_htmx: bool, user: User, other_client: Client
) -> None:
    url = reverse(name, kwargs=MAKERS[name](user))
    headers = {"HTTP_HX_REQUEST": "true"} if as_htmx else {}
    response = getattr(other_client, method)(url, **headers)
    # 405 is fine for a method the route never accepts; it reveals nothing.
    assert response.status_code in (404, 405), (name, method, response.status_code)
    if response.status_code == 405:
        other = "post" if method == "get" else "get"
        assert getattr(other_client, other)(url, **headers).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", routes_with_arguments())
def test_owner_can_reach_their_object(name: str, user: User, client_logged_in: Client) -> None:
    """The 404s above are not because the route is broken for everyone."""
    url = reverse(name, kwargs=MAKERS[name](user))
    response = client_logged_in.get(url)
    assert response.status_code in (200, 302, 405), (name, response.status_code)
