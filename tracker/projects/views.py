from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from accounts.http import AuthedRequest
from tracker import events
from tracker.projects.forms import ChecklistItemForm, ProjectForm, WorkSessionForm
from tracker.projects.models import (
    CHECKLIST_SIZE,
    Project,
    ProjectKind,
    ProjectStatus,
    WorkSession,
)


def _counted_state(project: Project) -> tuple[object, ...]:
    """What goals count about a project; a change in it is activity."""
    return (project.status, project.kind, project.finished_on, project.has_writeup)


# --- List -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def project_list(request: AuthedRequest) -> HttpResponse:
    projects = Project.objects.owned_by(request.user)
    total = projects.count()
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    if status not in ProjectStatus.values:
        status = ""
    if kind not in ProjectKind.values:
        kind = ""
    shown = projects
    if status:
        shown = shown.filter(status=status)
    if kind:
        shown = shown.filter(kind=kind)
    shown = shown.annotate(
        minutes=Sum("sessions__minutes"), paper_count=Count("papers", distinct=True)
    )
    counts = dict(
        projects.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    status_filters = [
        {
            "value": "",
            "label": "All",
            "count": total,
            "query": urlencode({"kind": kind} if kind else {}),
        }
    ] + [
        {
            "value": value,
            "label": label,
            "count": counts.get(value, 0),
            "query": urlencode({"status": value, **({"kind": kind} if kind else {})}),
        }
        for value, label in ProjectStatus.choices
    ]
    kind_filters = [
        {
            "value": "",
            "label": "All kinds",
            "query": urlencode({"status": status} if status else {}),
        }
    ] + [
        {
            "value": value,
            "label": label,
            "query": urlencode({"kind": value, **({"status": status} if status else {})}),
        }
        for value, label in ProjectKind.choices
    ]
    context = {
        "projects": shown,
        "total": total,
        "status": status,
        "kind": kind,
        "status_filters": status_filters,
        "kind_filters": kind_filters,
        "checklist_size": CHECKLIST_SIZE,
    }
    template = "projects/project_list.html" + ("#project-list" if request.htmx else "")
    return render(request, template, context)


# --- Create, detail, delete -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    initial: dict[str, Any] = {"started_on": user.local_today()}
    if request.GET.get("kind") in ProjectKind.values:
        initial["kind"] = request.GET["kind"]
    form = ProjectForm(
        request.POST if request.method == "POST" else None,
        owner=user,
        today=user.local_today(),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        project = form.save()
        response: HttpResponse
        if request.htmx:
            response = HttpResponseClientRedirect(project.get_absolute_url())
        else:
            response = redirect(project)
        # A new project can be a completed one or a competition entered: goals count it.
        trigger_client_event(response, events.ACTIVITY_LOGGED)
        return response
    template = "projects/project_form.html" + ("#project-form" if request.htmx else "")
    return render(request, template, {"form": form}, status=422 if form.errors else 200)


def _detail_context(
    project: Project,
    *,
    form: ProjectForm | None = None,
    session_form: WorkSessionForm | None = None,
    saved: bool = False,
) -> dict[str, Any]:
    today = project.owner.local_today()
    return {
        "project": project,
        "form": form or ProjectForm(instance=project, owner=project.owner, today=today),
        "session_form": session_form or WorkSessionForm(today=today),
        "sessions": project.sessions.all()[:50],
        "total_minutes": project.total_minutes(),
        "linked_papers": project.papers.order_by("title"),
        "saved": saved,
    }


@login_required
@require_http_methods(["GET", "POST"])
def project_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk, owner=request.user)
    before = _counted_state(project)
    form = ProjectForm(
        request.POST if request.method == "POST" else None,
        instance=project,
        owner=request.user,
        today=request.user.local_today(),
    )
    saved = False
    if request.method == "POST":
        if form.is_valid():
            project = form.save()
            if not request.htmx:
                return redirect(project)
            saved = True
            form = ProjectForm(instance=project, owner=request.user, today=form.today)
        else:
            # The instance was mutated by validation; reload it for the rest of the page.
            project.refresh_from_db()
    template = "projects/project_detail.html" + ("#project-form" if request.htmx else "")
    response = render(
        request,
        template,
        _detail_context(project, form=form, saved=saved),
        status=422 if form.errors else 200,
    )
    if request.htmx and saved and _counted_state(project) != before:
        trigger_client_event(response, events.ACTIVITY_LOGGED)
    return response


@login_required
@require_POST
def project_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk, owner=request.user)
    project.delete()
    url = reverse("projects:list")
    response: HttpResponse = HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    trigger_client_event(response, events.ACTIVITY_LOGGED)
    return response


# --- Checklist --------------------------------------------------------------------------------


@login_required
@require_POST
def checklist_set(request: AuthedRequest, pk: int) -> HttpResponse:
    """Tick or untick one checklist item. Idempotent: the form says the wanted state."""
    project = get_object_or_404(Project, pk=pk, owner=request.user)
    form = ChecklistItemForm(request.POST)
    if not form.is_valid():
        template = "projects/project_detail.html" + ("#checklist" if request.htmx else "")
        context = _detail_context(project)
        context["checklist_errors"] = form.errors
        return render(request, template, context, status=422)
    item = form.cleaned_data["item"]
    changed = project.set_checklist_item(
        item, form.cleaned_data["done"], request.user.local_today()
    )
    if not request.htmx:
        return redirect(reverse("projects:detail", args=[project.pk]) + "#checklist")
    response = render(request, "projects/project_detail.html#checklist", _detail_context(project))
    # Only the write-up is counted by goals; the other items show in this partial alone.
    if changed and item == "has_writeup":
        trigger_client_event(response, events.ACTIVITY_LOGGED)
    return response


# --- Work sessions ----------------------------------------------------------------------------


@transaction.atomic
def log_work_session(project: Project, **fields: Any) -> WorkSession:
    """Record a work session and mark the project as touched (it is no longer stalled)."""
    work_session = WorkSession.objects.create(project=project, **fields)
    project.save(update_fields=["updated_at"])
    return work_session


@login_required
@require_POST
def session_add(request: AuthedRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk, owner=request.user)
    form = WorkSessionForm(request.POST, today=request.user.local_today())
    if form.is_valid():
        log_work_session(project, **form.cleaned_data)
        if not request.htmx:
            return redirect(reverse("projects:detail", args=[project.pk]) + "#sessions")
        form = WorkSessionForm(today=form.today)
    template = "projects/project_detail.html" + ("#sessions" if request.htmx else "")
    response = render(
        request,
        template,
        _detail_context(project, session_form=form),
        status=422 if form.errors else 200,
    )
    if not form.errors:
        trigger_client_event(response, events.ACTIVITY_LOGGED)
    return response


@login_required
@require_POST
def session_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    work_session = get_object_or_404(WorkSession, pk=pk, project__owner=request.user)
    project = work_session.project
    work_session.delete()
    if not request.htmx:
        return redirect(reverse("projects:detail", args=[project.pk]) + "#sessions")
    response = render(request, "projects/project_detail.html#sessions", _detail_context(project))
    trigger_client_event(response, events.ACTIVITY_LOGGED)
    return response
