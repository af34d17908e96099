"""Replications (a training script posts its results here) and projects with checklists."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from tracker.api import schemas
from tracker.api.common import form_data, owned, user_of
from tracker.api.errors import Invalid
from tracker.api.pagination import PageQuery, paginate
from tracker.papers.models import Paper
from tracker.projects.forms import ChecklistItemForm
from tracker.projects.models import Project, ProjectStatus
from tracker.replications.forms import ReplicationForm
from tracker.replications.models import Replication, ReplicationStatus

router = Router(tags=["replications and projects"])

FORM_FIELDS: list[str] = list(ReplicationForm.Meta.fields)


def _replications(user: Any) -> QuerySet[Replication]:
    return Replication.objects.owned_by(user).select_related("paper")


def _current(replication: Replication) -> dict[str, Any]:
    return {name: getattr(replication, name) for name in FORM_FIELDS}


def _save(replication: Replication, changes: dict[str, Any], user: Any) -> Replication:
    """Validate the merged fields through the web form (same rules), then save."""
    data = form_data({**_current(replication), **changes})
    form = ReplicationForm(data, instance=replication, today=user.local_today())
    if not form.is_valid():
        raise Invalid.from_form(form)
    try:
        with transaction.atomic():
            saved: Replication = form.save()
            return saved
    except IntegrityError:
        # One replication per paper: a concurrent create won.
        raise Invalid.field("paper_id", "This paper already has a replication.") from None


@router.get("/replications", response=schemas.ReplicationPage, summary="List replications")
def list_replications(
    request: HttpRequest, pages: Query[PageQuery], status: str = ""
) -> dict[str, Any]:
    replications = _replications(user_of(request))
    if status:
        if status not in ReplicationStatus.values:
            raise Invalid.field("status", f"One of {', '.join(ReplicationStatus.values)}.")
        replications = replications.filter(status=status)
    return paginate(replications, pages)


@router.get("/replications/{pk}", response=schemas.Replication, summary="Get a replication")
def get_replication(request: HttpRequest, pk: int) -> Replication:
    return owned(_replications(user_of(request)), pk, user_of(request))


@router.post(
    "/replications",
    response={201: schemas.Replication, 422: schemas.ValidationErrors},
    summary="Start a replication of one of your papers",
)
def create_replication(
    request: HttpRequest, payload: schemas.ReplicationCreate
) -> Status[Replication]:
    user = user_of(request)
    paper = Paper.objects.owned_by(user).filter(pk=payload.paper_id).first()
    if paper is None:
        raise Invalid.field("paper_id", "No paper of yours has this id.")
    if Replication.objects.filter(paper=paper).exists():
        raise Invalid.field("paper_id", "This paper already has a replication.")
    changes = payload.dict(exclude_unset=True)
    changes.pop("paper_id")
    changes.setdefault("status", ReplicationStatus.PLANNED)
    if changes["status"] != ReplicationStatus.PLANNED and not changes.get("started_on"):
        changes["started_on"] = user.local_today()  # as starting one on the paper's page
    replication = Replication(owner=user, paper=paper)
    return Status(201, _save(replication, changes, user))


@router.patch(
    "/replications/{pk}",
    response={200: schemas.Replication, 422: schemas.ValidationErrors},
    summary="Update a replication: metrics (paper's value, your mean ± std over seeds), "
    "GPU-hours, status, notes",
)
def update_replication(
    request: HttpRequest, pk: int, payload: schemas.ReplicationFields
) -> Replication:
    user = user_of(request)
    replication = owned(_replications(user), pk, user)
    return _save(replication, payload.dict(exclude_unset=True), user)


@router.get("/projects", response=schemas.ProjectPage, summary="List projects and competitions")
def list_projects(
    request: HttpRequest, pages: Query[PageQuery], status: str = "", kind: str = ""
) -> dict[str, Any]:
    projects = Project.objects.owned_by(user_of(request))
    if status:
        if status not in ProjectStatus.values:
            raise Invalid.field("status", f"One of {', '.join(ProjectStatus.values)}.")
        projects = projects.filter(status=status)
    if kind:
        projects = projects.filter(kind=kind)
    return paginate(projects, pages)


@router.get("/projects/{pk}", response=schemas.Project, summary="Get a project")
def get_project(request: HttpRequest, pk: int) -> Project:
    return owned(Project.objects.all(), pk, user_of(request))


@router.put(
    "/projects/{pk}/checklist/{item}",
    response={200: schemas.Project, 422: schemas.ValidationErrors},
    summary="Tick or untick one checklist item (idempotent)",
)
def set_checklist_item(
    request: HttpRequest, pk: int, item: str, payload: schemas.ChecklistSet
) -> Project:
    user = user_of(request)
    project = owned(Project.objects.all(), pk, user)
    form = ChecklistItemForm({"item": item, "done": "1" if payload.done else "0"})
    if not form.is_valid():
        raise Invalid.from_form(form)
    project.set_checklist_item(
        form.cleaned_data["item"], form.cleaned_data["done"], user.local_today()
    )
    return project
