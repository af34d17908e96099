"""Reading one paper: its page, status, mark read, reading sessions, and the queue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthedRequest
from tracker import events
from tracker.http import safe_next
from tracker.papers import services
from tracker.papers.forms import MarkReadForm, ReadingSessionForm, StatusForm
from tracker.papers.models import Paper, ReadingSession, Status
from tracker.papers.views.common import logged, posted, row_context

MARK_READ = "papers/_mark_read_form.html"


def _detail_context(request: AuthedRequest, paper: Paper, **extra: Any) -> dict[str, Any]:
    sessions = list(paper.sessions.all())
    context = {
        "paper": paper,
        "sessions": sessions,
        "total_minutes": sum(s.minutes for s in sessions),
        "session_form": ReadingSessionForm(owner=request.user),
        "mark_read_form": MarkReadForm(owner=request.user, paper=paper),
        "statuses": Status.choices,
    }
    context.update(extra)
    return context


@login_required
@require_GET
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    paper = get_object_or_404(Paper.objects.prefetch_related("topics"), pk=pk, owner=request.user)
    return render(request, "papers/paper_detail.html", _detail_context(request, paper))


@login_required
@require_POST
def change_status(request: AuthedRequest, pk: int) -> HttpResponse:
    paper = get_object_or_404(Paper, pk=pk, owner=request.user)
    form = StatusForm(request.POST)
    if form.is_valid():
        services.set_status(paper, form.cleaned_data["status"])
        if not request.htmx:
            messages.success(request, f"“{paper.title}” is now {paper.get_status_display()}.")
            return redirect(safe_next(request, reverse("papers:library")))
    if not request.htmx:
        return render(
            request, "papers/paper_detail.html", _detail_context(request, paper), status=422
        )
    response = render(
        request,
        "papers/library.html#paper-row",
        {"paper": paper, "status_error": form.errors.get("status"), **row_context(request)},
        status=422 if form.errors else 200,
    )
    return response if form.errors else logged(response)


@login_required
@require_http_methods(["GET", "POST"])
def mark_read(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    paper = get_object_or_404(Paper, pk=pk, owner=request.user) if pk is not None else None
    form = MarkReadForm(posted(request), owner=request.user, paper=paper)
    done = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = services.mark_read(
            data["paper"],
            finished_on=data["finished_on"],
            minutes=data["minutes"],
            depth=data["depth"],
            summary=data["summary"],
            understanding=data["understanding"],
        )
        if not request.htmx:
            messages.success(request, f"Marked “{done.title}” as read.")
            return redirect(safe_next(request, done.get_absolute_url()))
        form = MarkReadForm(owner=request.user)
    context = {
        "mark_read_form": form,
        "mark_read_done": done,
        "paper": paper,
        # After marking one paper from its own page there is nothing left to mark there.
        "hide_form": done is not None and paper is not None,
    }
    template = MARK_READ if request.htmx else "papers/mark_read.html"
    response = render(request, template, context, status=422 if form.errors else 200)
    return logged(response) if done else response


@login_required
@require_POST
def add_session(request: AuthedRequest, pk: int) -> HttpResponse:
    paper = get_object_or_404(Paper, pk=pk, owner=request.user)
    form = ReadingSessionForm(request.POST, owner=request.user)
    ok = form.is_valid()
    if ok:
        services.log_session(paper, form.cleaned_data["date"], form.cleaned_data["minutes"])
        if not request.htmx:
            messages.success(request, "Reading session added.")
            return redirect(paper)
        form = ReadingSessionForm(owner=request.user)
    context = _detail_context(request, paper, session_form=form)
    template = "papers/paper_detail.html" + ("#sessions" if request.htmx else "")
    response = render(request, template, context, status=200 if ok else 422)
    return logged(response) if ok else response


@login_required
@require_http_methods(["GET", "POST"])
def edit_session(request: AuthedRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(ReadingSession, pk=pk, paper__owner=request.user)
    form = ReadingSessionForm(
        posted(request),
        owner=request.user,
        initial={"date": session.date, "minutes": session.minutes},
    )
    if request.method == "POST" and form.is_valid():
        session.date = form.cleaned_data["date"]
        session.minutes = form.cleaned_data["minutes"]
        session.save(update_fields=["date", "minutes"])
        if not request.htmx:
            messages.success(request, "Reading session updated.")
            return redirect(session.paper)
        paper = session.paper
        response = render(
            request, "papers/paper_detail.html#sessions", _detail_context(request, paper)
        )
        return logged(response)
    template = "papers/session_form.html" + ("#session-form" if request.htmx else "")
    return render(
        request,
        template,
        {"form": form, "session": session, "paper": session.paper},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def delete_session(request: AuthedRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        ReadingSession.objects.select_related("paper"), pk=pk, paper__owner=request.user
    )
    paper = session.paper
    session.delete()
    if not request.htmx:
        messages.success(request, "Reading session deleted.")
        return redirect(paper)
    response = render(request, "papers/paper_detail.html#sessions", _detail_context(request, paper))
    return logged(response)


def _queue_context(request: AuthedRequest) -> dict[str, Any]:
    return {"queue": list(Paper.objects.queue(request.user).prefetch_related("topics"))}


@login_required
@require_GET
def queue(request: AuthedRequest) -> HttpResponse:
    template = "papers/queue.html" + ("#reading-queue" if request.htmx else "")
    return render(request, template, _queue_context(request))


@login_required
@require_POST
def move(request: AuthedRequest, pk: int, direction: str) -> HttpResponse:
    paper = get_object_or_404(Paper, pk=pk, owner=request.user)
    if direction not in ("up", "down"):
        return render(
            request, "papers/queue.html#reading-queue", _queue_context(request), status=422
        )
    services.move_in_queue(paper, direction)
    if not request.htmx:
        return redirect(safe_next(request, reverse("papers:queue")))
    response = render(request, "papers/queue.html#reading-queue", _queue_context(request))
    return logged(response, events.PAPER_QUEUED)
