"""Prompts on a paper's page, and the review page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from accounts.http import AuthedRequest
from tracker import events
from tracker.papers.models import Paper, Status
from tracker.recall import queries
from tracker.recall.forms import TEMPLATES, MoveForm, PromptForm, RatingForm
from tracker.recall.models import MAX_PROMPTS_PER_PAPER, Prompt, Rating
from tracker.recall.scheduling import rate
from tracker.recall.services import TooManyPrompts, add_prompt, move_prompt

SECTION = "recall/_prompts.html"
REVIEW = "recall/review.html"
TOO_MANY = (
    f"A paper takes at most {MAX_PROMPTS_PER_PAPER} prompts: edit or delete one to make room."
)


def _read_paper(request: AuthedRequest, pk: int) -> Paper:
    return get_object_or_404(Paper, pk=pk, owner=request.user, status=Status.READ)


def _section(
    request: AuthedRequest, paper: Paper, form: PromptForm | None = None, status: int = 200
) -> HttpResponse:
    context = {"paper": paper, "prompt_form": form or PromptForm(), "templates": TEMPLATES}
    return render(request, SECTION, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def prompts(request: AuthedRequest, paper_pk: int) -> HttpResponse:
    """The paper's prompts (GET: the section alone), or add one (POST)."""
    paper = _read_paper(request, paper_pk)
    if request.method == "GET":
        return _section(request, paper)
    form = PromptForm(request.POST)
    if form.is_valid():
        try:
            add_prompt(paper, form.cleaned_data["question"], form.cleaned_data["answer"])
        except TooManyPrompts:
            form.add_error(None, TOO_MANY)
        else:
            if not request.htmx:
                return redirect(f"{paper.get_absolute_url()}#recall-prompts")
            return _section(request, paper)
    if request.htmx:
        return _section(request, paper, form, status=422)
    return render(
        request,
        "recall/prompt_form.html",
        {"paper": paper, "form": form, "templates": TEMPLATES},
        status=422,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    prompt = get_object_or_404(Prompt.objects.select_related("paper"), pk=pk, owner=request.user)
    form = PromptForm(request.POST if request.method == "POST" else None, instance=prompt)
    if request.method == "POST" and form.is_valid():
        form.save()
        if not request.htmx:
            return redirect(f"{prompt.paper.get_absolute_url()}#recall-prompts")
        return _section(request, prompt.paper)
    context = {"paper": prompt.paper, "form": form, "prompt": prompt, "templates": TEMPLATES}
    template = "recall/prompt_form.html" + ("#prompt-edit" if request.htmx else "")
    return render(request, template, context, status=422 if form.errors else 200)


@login_required
@require_POST
def delete(request: AuthedRequest, pk: int) -> HttpResponse:
    prompt = get_object_or_404(Prompt.objects.select_related("paper"), pk=pk, owner=request.user)
    paper = prompt.paper
    prompt.delete()
    if not request.htmx:
        return redirect(f"{paper.get_absolute_url()}#recall-prompts")
    return _section(request, paper)


@login_required
@require_POST
def move(request: AuthedRequest, pk: int) -> HttpResponse:
    prompt = get_object_or_404(Prompt.objects.select_related("paper"), pk=pk, owner=request.user)
    form = MoveForm(request.POST)
    if form.is_valid():
        move_prompt(prompt, -1 if form.cleaned_data["direction"] == "up" else 1)
    if not request.htmx:
        return redirect(f"{prompt.paper.get_absolute_url()}#recall-prompts")
    return _section(request, prompt.paper, status=200 if form.is_valid() else 422)


def _review_context(request: AuthedRequest, *, show: int | None = None) -> dict[str, Any]:
    user = request.user
    today = user.local_today()
    prompt = queries.due_prompts(user, today).select_related("paper").first()
    s = queries.summary(user, today)
    return {
        "prompt": prompt,
        "revealed": prompt is not None and show == prompt.pk,
        "summary": s,
        "position": s.done_today + 1,
        "ratings": Rating.choices,
    }


def _review(request: AuthedRequest, status: int = 200, **kw: Any) -> HttpResponse:
    template = REVIEW + ("#review" if request.htmx else "")
    return render(request, template, _review_context(request, **kw), status=status)


@login_required
@require_GET
def review(request: AuthedRequest) -> HttpResponse:
    return _review(request)


@login_required
@require_POST
def show(request: AuthedRequest, pk: int) -> HttpResponse:
    """Show the answer (the no-JS step; with JS the page reveals it itself). Changes nothing."""
    prompt = get_object_or_404(Prompt, pk=pk, owner=request.user)
    return _review(request, show=prompt.pk)


@login_required
@require_POST
def rate_prompt(request: AuthedRequest, pk: int) -> HttpResponse:
    """Rate a prompt. The POST names the card version it rates (P6): a replay records nothing."""
    prompt = get_object_or_404(Prompt.objects.select_related("owner"), pk=pk, owner=request.user)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _review(request, status=422, show=prompt.pk)
    rate(prompt, form.cleaned_data["rating"], seq=form.cleaned_data["seq"])
    if not request.htmx:
        return redirect("recall:review")
    response = _review(request)
    trigger_client_event(response, events.RECALL_REVIEWED)
    return response
