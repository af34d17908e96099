"""The library page: the list and its filters, quick add, create, edit, delete."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.http import AuthedRequest
from tracker.papers import identifiers, services
from tracker.papers.forms import LibraryFilterForm, MarkReadForm, PaperForm, QuickAddForm
from tracker.papers.lookup import LookupFailure, Metadata, MetadataClient
from tracker.papers.models import Paper, Status
from tracker.papers.views.common import PAGE_SIZE, logged, posted, row_context

QUICK_ADD = "papers/_quick_add.html"


@login_required
@require_GET
def library(request: AuthedRequest) -> HttpResponse:
    filters = LibraryFilterForm(request.GET or None, owner=request.user)
    papers = filters.filter(Paper.objects.owned_by(request.user)).prefetch_related("topics")
    page = Paginator(papers, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "quick_add_form": QuickAddForm(),
        **row_context(request),
    }
    template = "papers/library.html"
    if request.htmx and not request.headers.get("HX-Boosted"):
        template += "#paper-results"
    return render(request, template, context)


def _quick_add_response(
    request: AuthedRequest, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.setdefault("quick_add_form", QuickAddForm())
    return render(request, QUICK_ADD, context, status=status)


def _added_context(request: AuthedRequest, paper: Paper) -> dict[str, Any]:
    """What the quick-add partial shows after adding ``paper``.

    A paper that is not read yet comes with the mark-read form, the new paper already
    chosen, swapped out of band into the page's mark-read slot: adding and then marking
    read is one flow, without picking the paper again.
    """
    context: dict[str, Any] = {"added": paper}
    if paper.status != Status.READ:
        context["oob_mark_read"] = MarkReadForm(owner=request.user, initial={"paper": paper.pk})
    return context


def prefill_values(parsed: identifiers.Parsed) -> dict[str, Any]:
    """The paper form's initial values for an identifier whose look-up gave nothing."""
    initial: dict[str, Any] = {"status": Status.TO_READ}
    if isinstance(parsed, identifiers.ArxivId):
        initial |= {"arxiv_id": parsed.id, "url": parsed.abs_url}
    elif isinstance(parsed, identifiers.Doi):
        initial |= {"doi": parsed.doi, "url": parsed.url}
    elif isinstance(parsed, identifiers.OpenReviewId):
        initial |= {"url": parsed.url, "venue": "OpenReview"}
    elif isinstance(parsed, identifiers.OtherUrl):
        initial |= {"url": parsed.url[:500]}
    elif isinstance(parsed, identifiers.Title):
        initial |= {"title": parsed.text[:500]}
    return initial


@login_required
@require_POST
def quick_add(request: AuthedRequest) -> HttpResponse:
    """Add a paper from one input; when metadata can't be found, open the pre-filled form.

    The look-up runs in the request (5-second timeout, cached) because the user is
    waiting for the pre-filled form; it never turns into an error page.
    """
    form = QuickAddForm(request.POST)
    if not form.is_valid():
        if request.htmx:
            return _quick_add_response(request, {"quick_add_form": form}, status=422)
        return render(request, "papers/quick_add.html", {"quick_add_form": form}, status=422)
    parsed = form.cleaned_data["q"]
    user = request.user

    # A typed id already in the library needs no look-up (no network call). This is not a
    # second duplicate check before adding: once looked up, get_or_add_paper alone checks.
    existing = None
    if isinstance(parsed, identifiers.ArxivId):
        existing = services.find_duplicate(user, arxiv_id=parsed.id)
    elif isinstance(parsed, identifiers.Doi):
        existing = services.find_duplicate(user, doi=parsed.doi)

    failure: LookupFailure | None = None
    if existing is None:
        result: Metadata | LookupFailure
        if isinstance(parsed, identifiers.ArxivId | identifiers.Doi):
            result = MetadataClient().lookup(parsed)
        elif isinstance(parsed, identifiers.Title):
            result = MetadataClient().lookup(parsed.text)
        else:
            result = LookupFailure("this kind of link is not looked up", "skipped")
        if isinstance(result, Metadata):
            # The metadata may carry an id the input did not (a DOI's arXiv ID); the one
            # check inside get_or_add_paper covers both.
            paper, created = services.get_or_add_paper(user, result.__dict__)
            if not created:
                existing = paper
            else:
                if not request.htmx:
                    messages.success(request, f"Added “{paper.title}”.")
                    return redirect(paper)
                return logged(_quick_add_response(request, _added_context(request, paper)))
        else:
            failure = result

    if existing is not None:
        if not request.htmx:
            messages.info(request, f"“{existing.title}” is already in your library.")
            return redirect(existing)
        return _quick_add_response(request, {"existing": existing})

    prefill = PaperForm(initial=prefill_values(parsed), owner=user)
    context = {"prefill_form": prefill, "failure": failure}
    if request.htmx:
        return _quick_add_response(request, context)
    return render(request, "papers/paper_form.html", {"form": prefill, **context})


@login_required
@require_http_methods(["GET", "POST"])
def create(request: AuthedRequest) -> HttpResponse:
    form = PaperForm(posted(request), owner=request.user)
    if request.method == "POST" and form.is_valid():
        paper = services.save_paper(form.save(commit=False), form.cleaned_data["topic_names"])
        if not request.htmx:
            messages.success(request, f"Added “{paper.title}”.")
            return redirect(paper)
        return logged(_quick_add_response(request, _added_context(request, paper)))
    status = 422 if form.errors else 200
    if request.htmx:
        return _quick_add_response(request, {"prefill_form": form}, status=status)
    return render(request, "papers/paper_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    paper = get_object_or_404(Paper, pk=pk, owner=request.user)
    form = PaperForm(posted(request), instance=paper, owner=request.user)
    saved = False
    if request.method == "POST" and form.is_valid():
        paper = services.save_paper(form.save(commit=False), form.cleaned_data["topic_names"])
        if not request.htmx:
            messages.success(request, "Saved.")
            return redirect(paper)
        saved = True
        form = PaperForm(instance=paper, owner=request.user)
    template = "papers/paper_form.html" + ("#paper-form" if request.htmx else "")
    response = render(
        request,
        template,
        {"form": form, "paper": paper, "saved": saved},
        status=422 if form.errors else 200,
    )
    return logged(response) if saved else response


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: AuthedRequest, pk: int) -> HttpResponse:
    paper = get_object_or_404(Paper, pk=pk, owner=request.user)
    if request.method == "POST":
        title = paper.title
        paper.delete()
        messages.success(request, f"Deleted “{title}”.")
        if request.htmx:
            return logged(HttpResponseClientRedirect(reverse("papers:library")))
        return redirect("papers:library")
    return render(request, "papers/paper_confirm_delete.html", {"paper": paper})
