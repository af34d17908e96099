"""Papers, reading sessions and topics: the library's own forms and services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from tracker.api import schemas
from tracker.api.common import form_data, owned, user_of
from tracker.api.errors import Invalid
from tracker.api.forms import DateRangeForm
from tracker.api.pagination import PageQuery, paginate
from tracker.papers import identifiers, services
from tracker.papers.forms import (
    LibraryFilterForm,
    MarkReadForm,
    QuickAddForm,
    ReadingSessionForm,
    StatusForm,
)
from tracker.papers.lookup import LookupFailure, Metadata, MetadataClient
from tracker.papers.models import Paper, ReadingSession, Topic
from tracker.papers.models import Status as PaperStatus

router = Router(tags=["papers"])

FILTERS = ("q", "status", "topic", "year", "explained", "depth", "sort")


def _papers(user: Any) -> QuerySet[Paper]:
    return Paper.objects.owned_by(user).prefetch_related("topics")


@router.get("/papers", response=schemas.PaperPage, summary="List papers")
def list_papers(
    request: HttpRequest,
    pages: Query[PageQuery],
    q: str = "",
    status: str = "",
    topic: int | None = None,
    year: int | None = None,
    explained: str = "",
    depth: int | None = None,
    sort: str = "added",
) -> dict[str, Any]:
    """The library's filters and search, exactly as on the library page (LibraryFilterForm).

    ``status`` to_read/reading/read, ``topic`` a topic id, ``explained`` yes/no, ``depth``
    1-3, ``sort`` added/finished/title/year.
    """
    user = user_of(request)
    values = {
        "q": q, "status": status, "topic": topic, "year": year,
        "explained": explained, "depth": depth, "sort": sort,
    }  # fmt: skip
    form = LibraryFilterForm(form_data(values), owner=user)
    if not form.is_valid():
        raise Invalid.from_form(form)
    return paginate(form.filter(_papers(user)), pages)


@router.get("/papers/{pk}", response=schemas.Paper, summary="Get a paper")
def get_paper(request: HttpRequest, pk: int) -> Paper:
    return owned(_papers(user_of(request)), pk, user_of(request))


def _look_up(parsed: identifiers.Parsed) -> Metadata | LookupFailure:
    if isinstance(parsed, identifiers.ArxivId | identifiers.Doi):
        return MetadataClient().lookup(parsed)
    if isinstance(parsed, identifiers.Title):
        return MetadataClient().lookup(parsed.text)
    return LookupFailure("this kind of link is not looked up", "skipped")


@router.post(
    "/papers",
    response={200: schemas.PaperAdded, 201: schemas.PaperAdded, 422: schemas.ValidationErrors},
    summary="Add a paper by arXiv ID, DOI or title",
)
def create_paper(request: HttpRequest, payload: schemas.PaperCreate) -> Status[dict[str, Any]]:
    """The quick-add rules: the identifier is looked up (arXiv, Crossref); a paper with the
    same arXiv ID or DOI already in the library is returned (200, ``created: false``)
    instead of a second copy. When nothing can be looked up, ``title`` is used if given."""
    user = user_of(request)
    form = QuickAddForm({"q": payload.q})
    if not form.is_valid():
        raise Invalid.from_form(form)
    status = StatusForm({"status": payload.status})
    if not status.is_valid():
        raise Invalid.from_form(status)
    for name, value in (("title", payload.title), ("topics", "".join(payload.topics))):
        if "\x00" in value:  # PostgreSQL cannot store it; no form checks these two
            raise Invalid.field(name, "This contains a NUL character (\\0); remove it.")
    topic_names = services.split_topics(",".join(payload.topics))
    parsed = form.cleaned_data["q"]

    existing = None
    if isinstance(parsed, identifiers.ArxivId):
        existing = services.find_duplicate(user, arxiv_id=parsed.id)
    elif isinstance(parsed, identifiers.Doi):
        existing = services.find_duplicate(user, doi=parsed.doi)
    if existing is not None:
        return Status(200, {"created": False, "paper": existing})

    result = _look_up(parsed)
    if isinstance(result, Metadata):
        data = dict(result.__dict__)
    else:
        title = " ".join(payload.title.split()) or (
            parsed.text if isinstance(parsed, identifiers.Title) else ""
        )
        if not title:
            raise Invalid.field(
                "q", f"The metadata could not be looked up ({result.reason}); send a title too."
            )
        data = {"title": title[:500]}
        if isinstance(parsed, identifiers.ArxivId):
            data |= {"arxiv_id": parsed.id, "url": parsed.abs_url}
        elif isinstance(parsed, identifiers.Doi):
            data |= {"doi": parsed.doi, "url": parsed.url}
        elif isinstance(parsed, identifiers.OpenReviewId):
            data |= {"url": parsed.url, "venue": "OpenReview"}
        elif isinstance(parsed, identifiers.OtherUrl):
            data |= {"url": parsed.url[:500]}
    paper, created = services.get_or_add_paper(user, data, topic_names)
    if created and status.cleaned_data["status"] != PaperStatus.TO_READ:
        paper = services.set_status(paper, status.cleaned_data["status"])
    paper = _papers(user).get(pk=paper.pk)
    return Status(201 if created else 200, {"created": created, "paper": paper})


@router.patch(
    "/papers/{pk}",
    response={200: schemas.Paper, 422: schemas.ValidationErrors},
    summary="Change a paper's status",
)
def update_paper(request: HttpRequest, pk: int, payload: schemas.PaperUpdate) -> Paper:
    user = user_of(request)
    paper = owned(Paper.objects.all(), pk, user)
    form = StatusForm({"status": payload.status})
    if not form.is_valid():
        raise Invalid.from_form(form)
    services.set_status(paper, form.cleaned_data["status"])
    return _papers(user).get(pk=paper.pk)


@router.post(
    "/papers/{pk}/read",
    response={200: schemas.Paper, 422: schemas.ValidationErrors},
    summary="Mark a paper read (depth, minutes, summary)",
)
def mark_read(request: HttpRequest, pk: int, payload: schemas.MarkRead) -> Paper:
    user = user_of(request)
    paper = owned(Paper.objects.all(), pk, user)
    values = payload.dict()
    values["finished_on"] = values["finished_on"] or user.local_today()
    form = MarkReadForm(form_data({**values, "paper": paper.pk}), owner=user, paper=paper)
    if not form.is_valid():
        raise Invalid.from_form(form)
    data = form.cleaned_data
    services.mark_read(
        paper,
        finished_on=data["finished_on"],
        minutes=data["minutes"],
        depth=data["depth"],
        summary=data["summary"],
        understanding=data["understanding"],
    )
    return _papers(user).get(pk=paper.pk)


@router.get("/papers/{pk}/sessions", response=list[schemas.Session], summary="A paper's sessions")
def paper_sessions(request: HttpRequest, pk: int) -> QuerySet[ReadingSession]:
    paper = owned(Paper.objects.all(), pk, user_of(request))
    return paper.sessions.order_by("date", "pk")


@router.post(
    "/papers/{pk}/sessions",
    response={201: schemas.Session, 422: schemas.ValidationErrors},
    summary="Log a reading session",
)
def add_session(
    request: HttpRequest, pk: int, payload: schemas.SessionCreate
) -> Status[ReadingSession]:
    user = user_of(request)
    paper = owned(Paper.objects.all(), pk, user)
    values = payload.dict()
    values["date"] = values["date"] or user.local_today()
    form = ReadingSessionForm(form_data(values), owner=user)
    if not form.is_valid():
        raise Invalid.from_form(form)
    return Status(201, services.log_session(paper, **form.cleaned_data))


@router.get("/sessions", response=schemas.SessionPage, summary="All reading sessions")
def list_sessions(
    request: HttpRequest,
    pages: Query[PageQuery],
    since: str = "",
    until: str = "",
) -> dict[str, Any]:
    """Newest first; ``since``/``until`` are ISO dates (inclusive)."""
    user = user_of(request)
    sessions = ReadingSession.objects.filter(paper__owner=user).order_by("-date", "-pk")
    bounds = DateRangeForm({"since": since, "until": until})
    if not bounds.is_valid():
        raise Invalid.from_form(bounds)
    if bounds.cleaned_data["since"]:
        sessions = sessions.filter(date__gte=bounds.cleaned_data["since"])
    if bounds.cleaned_data["until"]:
        sessions = sessions.filter(date__lte=bounds.cleaned_data["until"])
    return paginate(sessions, pages)


@router.get("/topics", response=list[schemas.Topic], summary="List topics")
def list_topics(request: HttpRequest) -> QuerySet[Topic]:
    return Topic.objects.owned_by(user_of(request))


@router.post(
    "/topics",
    response={200: schemas.Topic, 201: schemas.Topic, 422: schemas.ValidationErrors},
    summary="Create a topic (or get the one with this name)",
)
def create_topic(request: HttpRequest, payload: schemas.TopicCreate) -> Status[Topic]:
    user = user_of(request)
    if "\x00" in payload.name:
        raise Invalid.field("name", "The name contains a NUL character.")
    names = services.split_topics(payload.name.replace(",", " "))
    if not names:
        raise Invalid.field("name", "Give the topic a name.")
    before = Topic.objects.owned_by(user).count()
    topic = services.topics_for(user, names)[0]
    return Status(201 if Topic.objects.owned_by(user).count() > before else 200, topic)
