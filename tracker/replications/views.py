from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from accounts.http import AuthedRequest
from accounts.models import User
from tracker import events
from tracker.papers.models import Paper
from tracker.replications.forms import (
    ClaimForm,
    NewReplicationForm,
    ReplicationForm,
    StartReplicationForm,
)
from tracker.replications.models import Claim, Replication, ReplicationStatus


def _done_state(replication: Replication | None) -> tuple[bool, object]:
    if replication is None:
        return (False, None)
    return (replication.is_done, replication.finished_on)


# --- List and create --------------------------------------------------------------------------


def _list_context(user: User, status: str, new_form: NewReplicationForm | None) -> dict[str, Any]:
    replications = Replication.objects.owned_by(user)
    counts = dict(replications.order_by().values_list("status").annotate(n=Count("id")))
    shown = replications.select_related("paper").with_claim_counts()
    if status:
        shown = shown.filter(status=status)
    filters = [{"value": "", "label": "All", "count": sum(counts.values())}] + [
        {"value": value, "label": label, "count": counts.get(value, 0)}
        for value, label in ReplicationStatus.choices
    ]
    today = user.local_today()
    return {
        "replications": shown,
        "total": sum(counts.values()),
        "status": status,
        "filters": filters,
        "new_form": new_form or NewReplicationForm(owner=user, today=today),
        "has_papers": Paper.objects.filter(owner=user).exists(),
    }


@login_required
@require_http_methods(["GET"])
def replication_list(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in ReplicationStatus.values:
        status = ""
    template = "replications/replication_list.html" + ("#replication-list" if request.htmx else "")
    return render(request, template, _list_context(request.user, status, None))


@login_required
@require_http_methods(["GET", "POST"])
def replication_create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = NewReplicationForm(
        request.POST if request.method == "POST" else None, owner=user, today=user.local_today()
    )
    if request.method == "POST" and form.is_valid():
        replication = form.save(commit=False)
        replication.owner = user
        replication.save()
        url = replication.get_absolute_url()
        response: HttpResponse = HttpResponseClientRedirect(url) if request.htmx else redirect(url)
        if replication.is_done:
            trigger_client_event(response, events.ACTIVITY_LOGGED)
        return response
    template = "replications/replication_list.html" + ("#new-replication" if request.htmx else "")
    return render(
        request,
        template,
        _list_context(user, "", form),
        status=422 if form.errors else 200,
    )


# --- The card on a paper's page ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def for_paper(request: AuthedRequest, paper_pk: int) -> HttpResponse:
    """Start a replication from a paper's page, or change its status there."""
    paper = get_object_or_404(Paper, pk=paper_pk, owner=request.user)
    replication = Replication.objects.filter(paper=paper).first()
    before = _done_state(replication)
    form = StartReplicationForm(
        request.POST if request.method == "POST" else None,
        instance=replication or Replication(owner=request.user, paper=paper),
        today=request.user.local_today(),
    )
    if request.method == "POST" and form.is_valid():
        replication = form.save()
        if not request.htmx:
            return redirect(paper)
        form = StartReplicationForm(instance=replication, today=form.today)
    elif request.method == "POST" and replication is not None:
        replication.refresh_from_db()
    response = render(
        request,
        "replications/_for_paper.html",
        {"paper": paper, "replication": replication, "replication_form": form},
        status=422 if form.errors else 200,
    )
    if request.method == "POST" and not form.errors and _done_state(replication) != before:
        trigger_client_event(response, events.ACTIVITY_LOGGED)
    return response


# --- Detail, edit, delete ---------------------------------------------------------------------


def _detail_context(
    replication: Replication,
    *,
    form: ReplicationForm | None = None,
    claim_form: ClaimForm | None = None,
    editing: Claim | None = None,
    edit_form: ClaimForm | None = None,
    saved: bool = False,
) -> dict[str, Any]:
    today = replication.owner.local_today()
    return {
        "replication": replication,
        "paper": replication.paper,
        "form": form or ReplicationForm(instance=replication, today=today),
        "claims": replication.claims.all(),
        "claim_summary": replication.claim_summary(),
        "claim_form": claim_form or ClaimForm(),
        "editing_pk": editing.pk if editing else None,
        "edit_form": edit_form,
        "saved": saved,
    }


@login_required
@require_http_methods(["GET", "POST"])
def replication_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    replication = get_object_or_404(
        Replication.objects.select_related("paper"), pk=pk, owner=request.user
    )
    before = _done_state(replication)
    form = ReplicationForm(
        request.POST if request.method == "POST" else None,
        instance=replication,
        today=request.user.local_today(),
    )
    saved = False
    if request.method == "POST":
        if form.is_valid():
            replication = form.save()
            if not request.htmx:
                return redirect(replication)
            saved = True
            form = ReplicationForm(instance=replication, today=form.today)
        else:
            replication.refresh_from_db()
    partial = "#claims" if request.GET.get("part") == "claims" else "#replication-form"
    template = "replications/replication_detail.html" + (partial if request.htmx else "")
    response = render(
        request,
        template,
        _detail_context(replication, form=form, saved=saved),
        status=422 if form.errors else 200,
    )
    if saved and _done_state(replication) != before:
        trigger_client_event(response, events.ACTIVITY_LOGGED)
    return response


@login_required
@require_POST
def replication_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    replication = get_object_or_404(Replication, pk=pk, owner=request.user)
    was_done = replication.is_done
    replication.delete()
    url = reverse("replications:list")
    response: HttpResponse = HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    if was_done:
        trigger_client_event(response, events.ACTIVITY_LOGGED)
    return response


# --- Claims (inline add / edit / delete) ------------------------------------------------------


def _claims_response(
    request: AuthedRequest, replication: Replication, status: int = 200, **kwargs: Any
) -> HttpResponse:
    template = "replications/replication_detail.html" + ("#claims" if request.htmx else "")
    return render(request, template, _detail_context(replication, **kwargs), status=status)


def _claims_url(replication: Replication) -> str:
    return reverse("replications:detail", args=[replication.pk]) + "#claims"


@transaction.atomic
def add_claim(replication: Replication, **fields: Any) -> Claim:
    claim = Claim.objects.create(replication=replication, **fields)
    replication.touch()
    return claim


@login_required
@require_POST
def claim_add(request: AuthedRequest, pk: int) -> HttpResponse:
    replication = get_object_or_404(
        Replication.objects.select_related("paper"), pk=pk, owner=request.user
    )
    form = ClaimForm(request.POST)
    if not form.is_valid():
        return _claims_response(request, replication, status=422, claim_form=form)
    add_claim(replication, **form.cleaned_data)
    if not request.htmx:
        return redirect(_claims_url(replication))
    return _claims_response(request, replication)


@login_required
@require_http_methods(["GET", "POST"])
def claim_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(
        Claim.objects.select_related("replication__paper"), pk=pk, replication__owner=request.user
    )
    replication = claim.replication
    # Its own ids: the add form is on the same page.
    form = ClaimForm(
        request.POST if request.method == "POST" else None,
        instance=claim,
        auto_id="claim-edit-%s",
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            replication.touch()
        if not request.htmx:
            return redirect(_claims_url(replication))
        return _claims_response(request, replication)
    if request.method == "POST":
        claim.refresh_from_db()
    return _claims_response(
        request,
        replication,
        status=422 if form.errors else 200,
        editing=claim,
        edit_form=form,
    )


@login_required
@require_POST
def claim_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(
        Claim.objects.select_related("replication__paper"), pk=pk, replication__owner=request.user
    )
    replication = claim.replication
    with transaction.atomic():
        claim.delete()
        replication.touch()
    if not request.htmx:
        return redirect(_claims_url(replication))
    return _claims_response(request, replication)
