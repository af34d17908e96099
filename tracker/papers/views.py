from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import IntegerField, OuterRef, Prefetch, Subquery, Sum
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from accounts.http import AuthedRequest
from tracker import events
from tracker.http import safe_next
from tracker.papers import bibtex, identifiers, services
from tracker.papers.forms import (
    ImportForm,
    LibraryFilterForm,
    MarkReadForm,
    PaperForm,
    QuickAddForm,
    ReadingSessionForm,
    StatusForm,
)
from tracker.papers.lookup import LookupFailure, Metadata, MetadataClient
from tracker.papers.models import (
    ImportStatus,
    Paper,
    PendingImport,
    ReadingSession,
    Status,
    Topic,
)

logger = logging.getLogger(__name__)


PAGE_SIZE = 25
QUICK_ADD = "papers/_quick_add.html"
MARK_READ = "papers/_mark_read_form.html"


def _post(request: AuthedRequest) -> Any:
    """POST data when posted (an empty POST still binds the form, so it shows errors)."""
    return request.POST if request.method == "POST" else None


def _htmx(request: AuthedRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _logged(response: HttpResponse, event: str = events.PAPER_LOGGED) -> HttpResponse:
    trigger_client_event(response, event)
    return response


# -- library -------------------------------------------------------------------


def _row_context(request: AuthedRequest) -> dict[str, Any]:
    # Reversed once per page, not once per row: rows are the bulk of the page's cost.
    return {
        "statuses": Status.choices,
        "topics_url": reverse("papers:topics"),
        "next_url": request.get_full_path() if request.method == "GET" else "",
    }


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
        **_row_context(request),
    }
    template = "papers/library.html"
    if _htmx(request) and not request.headers.get("HX-Boosted"):
        template += "#paper-results"
    return render(request, template, context)


@login_required
@require_POST
def change_status(request: AuthedRequest, pk: int) -> HttpResponse:
    paper = get_object_or_404(Paper, pk=pk, owner=request.user)
    form = StatusForm(request.POST)
    if form.is_valid():
        services.set_status(paper, form.cleaned_data["status"])
        if not _htmx(request):
            messages.success(request, f"“{paper.title}” is now {paper.get_status_display()}.")
            return redirect(safe_next(request, reverse("papers:library")))
    if not _htmx(request):
        return render(
            request, "papers/paper_detail.html", _detail_context(request, paper), status=422
        )
    response = render(
        request,
        "papers/library.html#paper-row",
        {"paper": paper, "status_error": form.errors.get("status"), **_row_context(request)},
        status=422 if form.errors else 200,
    )
    return response if form.errors else _logged(response)


# -- quick add and create ---------------------------------------------------------


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


def _prefill(parsed: identifiers.Parsed, failure: LookupFailure | None) -> dict[str, Any]:
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
        if _htmx(request):
            return _quick_add_response(request, {"quick_add_form": form}, status=422)
        return render(request, "papers/quick_add.html", {"quick_add_form": form}, status=422)
    parsed = form.cleaned_data["q"]
    user = request.user

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
            before = services.find_duplicate(user, result.arxiv_id, result.doi)
            paper = before or services.add_paper(user, result.__dict__)
            if before is not None:
                existing = before
            else:
                if not _htmx(request):
                    messages.success(request, f"Added “{paper.title}”.")
                    return redirect(paper)
                return _logged(_quick_add_response(request, _added_context(request, paper)))
        else:
            failure = result

    if existing is not None:
        if not _htmx(request):
            messages.info(request, f"“{existing.title}” is already in your library.")
            return redirect(existing)
        return _quick_add_response(request, {"existing": existing})

    prefill = PaperForm(initial=_prefill(parsed, failure), owner=user)
    context = {"prefill_form": prefill, "failure": failure}
    if _htmx(request):
        return _quick_add_response(request, context)
    return render(request, "papers/paper_form.html", {"form": prefill, **context})


@login_required
@require_http_methods(["GET", "POST"])
def create(request: AuthedRequest) -> HttpResponse:
    form = PaperForm(_post(request), owner=request.user)
    if request.method == "POST" and form.is_valid():
        paper = services.save_paper(form.save(commit=False), form.cleaned_data["topic_names"])
        if not _htmx(request):
            messages.success(request, f"Added “{paper.title}”.")
            return redirect(paper)
        return _logged(_quick_add_response(request, _added_context(request, paper)))
    status = 422 if form.errors else 200
    if _htmx(request):
        return _quick_add_response(request, {"prefill_form": form}, status=status)
    return render(request, "papers/paper_form.html", {"form": form}, status=status)


# -- detail, edit, delete -----------------------------------------------------------


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
@require_http_methods(["GET", "POST"])
def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    paper = get_object_or_404(Paper, pk=pk, owner=request.user)
    form = PaperForm(_post(request), instance=paper, owner=request.user)
    saved = False
    if request.method == "POST" and form.is_valid():
        paper = services.save_paper(form.save(commit=False), form.cleaned_data["topic_names"])
        if not _htmx(request):
            messages.success(request, "Saved.")
            return redirect(paper)
        saved = True
        form = PaperForm(instance=paper, owner=request.user)
    template = "papers/paper_form.html" + ("#paper-form" if _htmx(request) else "")
    response = render(
        request,
        template,
        {"form": form, "paper": paper, "saved": saved},
        status=422 if form.errors else 200,
    )
    return _logged(response) if saved else response


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: AuthedRequest, pk: int) -> HttpResponse:
    paper = get_object_or_404(Paper, pk=pk, owner=request.user)
    if request.method == "POST":
        title = paper.title
        paper.delete()
        messages.success(request, f"Deleted “{title}”.")
        if _htmx(request):
            return _logged(HttpResponseClientRedirect(reverse("papers:library")))
        return redirect("papers:library")
    return render(request, "papers/paper_confirm_delete.html", {"paper": paper})


# -- logging reading ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def mark_read(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    paper = get_object_or_404(Paper, pk=pk, owner=request.user) if pk is not None else None
    form = MarkReadForm(_post(request), owner=request.user, paper=paper)
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
        if not _htmx(request):
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
    template = MARK_READ if _htmx(request) else "papers/mark_read.html"
    response = render(request, template, context, status=422 if form.errors else 200)
    return _logged(response) if done else response


@login_required
@require_POST
def add_session(request: AuthedRequest, pk: int) -> HttpResponse:
    paper = get_object_or_404(Paper, pk=pk, owner=request.user)
    form = ReadingSessionForm(request.POST, owner=request.user)
    ok = form.is_valid()
    if ok:
        services.log_session(paper, form.cleaned_data["date"], form.cleaned_data["minutes"])
        if not _htmx(request):
            messages.success(request, "Reading session added.")
            return redirect(paper)
        form = ReadingSessionForm(owner=request.user)
    context = _detail_context(request, paper, session_form=form)
    template = "papers/paper_detail.html" + ("#sessions" if _htmx(request) else "")
    response = render(request, template, context, status=200 if ok else 422)
    return _logged(response) if ok else response


@login_required
@require_http_methods(["GET", "POST"])
def edit_session(request: AuthedRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(ReadingSession, pk=pk, paper__owner=request.user)
    form = ReadingSessionForm(
        _post(request),
        owner=request.user,
        initial={"date": session.date, "minutes": session.minutes},
    )
    if request.method == "POST" and form.is_valid():
        session.date = form.cleaned_data["date"]
        session.minutes = form.cleaned_data["minutes"]
        session.save(update_fields=["date", "minutes"])
        if not _htmx(request):
            messages.success(request, "Reading session updated.")
            return redirect(session.paper)
        paper = session.paper
        response = render(
            request, "papers/paper_detail.html#sessions", _detail_context(request, paper)
        )
        return _logged(response)
    template = "papers/session_form.html" + ("#session-form" if _htmx(request) else "")
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
    if not _htmx(request):
        messages.success(request, "Reading session deleted.")
        return redirect(paper)
    response = render(request, "papers/paper_detail.html#sessions", _detail_context(request, paper))
    return _logged(response)


# -- queue -------------------------------------------------------------------------


def _queue_context(request: AuthedRequest) -> dict[str, Any]:
    return {"queue": list(Paper.objects.queue(request.user).prefetch_related("topics"))}


@login_required
@require_GET
def queue(request: AuthedRequest) -> HttpResponse:
    template = "papers/queue.html" + ("#reading-queue" if _htmx(request) else "")
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
    if not _htmx(request):
        return redirect(safe_next(request, reverse("papers:queue")))
    response = render(request, "papers/queue.html#reading-queue", _queue_context(request))
    return _logged(response, events.PAPER_QUEUED)


# -- topics ------------------------------------------------------------------------


TOPICS_PAGE_SIZE = 100


class _CountRows(Subquery):
    """How many rows a correlated subquery has (0 when none, unlike a grouped COUNT)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _rows)"
    output_field = IntegerField()


def _topics_context(request: AuthedRequest) -> dict[str, Any]:
    """One page of topics with their paper counts: a count query and one page query.

    The counts are correlated subqueries over the paper-topic links (indexed by topic), so
    they cost per row shown, and the paginator's COUNT(*) does not join papers at all.
    """
    params = request.POST if request.method == "POST" else request.GET
    query = " ".join(params.get("q", "").split())[:60]
    topics = Topic.objects.owned_by(request.user)
    if query:
        topics = topics.filter(name__icontains=query)
    links = Paper.topics.through.objects.filter(topic=OuterRef("pk")).order_by().values("pk")
    topics = topics.annotate(
        total=_CountRows(links), read=_CountRows(links.filter(paper__status=Status.READ))
    )
    page = Paginator(topics, TOPICS_PAGE_SIZE).get_page(params.get("page"))
    # `q` is None when empty so that {% querystring %} leaves it out of the links.
    return {"page": page, "topics": page.object_list, "query": query, "q": query or None}


@login_required
@require_GET
def topics(request: AuthedRequest) -> HttpResponse:
    template = "papers/topic_list.html" + ("#topic-list" if _htmx(request) else "")
    return render(request, template, _topics_context(request))


@login_required
@require_POST
def topic_focus(request: AuthedRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic, pk=pk, owner=request.user)
    with transaction.atomic():
        make_focus = not topic.is_focus
        Topic.objects.owned_by(request.user).filter(is_focus=True).update(is_focus=False)
        if make_focus:
            Topic.objects.filter(pk=topic.pk).update(is_focus=True)
    if not _htmx(request):
        return redirect(safe_next(request, reverse("papers:topics")))
    response = render(request, "papers/topic_list.html#topic-list", _topics_context(request))
    return response


@login_required
@require_GET
def topic(request: AuthedRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic, pk=pk, owner=request.user)
    papers = topic.papers.filter(owner=request.user).prefetch_related("topics").order_by("title")
    page = Paginator(papers, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "papers/topic_detail.html" + ("#topic-papers" if _htmx(request) else "")
    return render(request, template, {"topic": topic, "page": page})


# -- import and export ---------------------------------------------------------------


PREVIEW_ROWS = 200  # rows shown per preview table; the counts cover the whole file


def _import_url(name: str, pending: PendingImport) -> str:
    return reverse(f"papers:{name}", args=[pending.pk])


def _go(request: AuthedRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if _htmx(request) else redirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: AuthedRequest) -> HttpResponse:
    form = ImportForm(_post(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # Parsed and planned once, here; the preview and the import reuse the plan.
            pending = services.stage_import(
                request.user, upload.name or "", upload.read(bibtex.MAX_BYTES + 1)
            )
        except (bibtex.BibtexError, services.ImportRefused) as exc:
            form.add_error("file", str(exc))
        else:
            return _go(request, _import_url("import_preview", pending))
    template = "papers/import.html" + ("#import-form" if _htmx(request) else "")
    return render(request, template, {"form": form}, status=422 if form.errors else 200)


@login_required
@require_GET
def import_preview(request: AuthedRequest, pk: int) -> HttpResponse:
    pending = get_object_or_404(PendingImport, pk=pk, owner=request.user)
    if pending.status != ImportStatus.PLANNED:
        return _go(request, _import_url("import_progress", pending))
    plan = services.stored_plan(pending)
    context = {
        "pending": pending,
        "plan": plan,
        "rows": PREVIEW_ROWS,
        "row_slice": f":{PREVIEW_ROWS}",
        "in_worker": pending.to_create >= services.LARGE_IMPORT,
    }
    template = "papers/import_preview.html" + ("#import-preview" if _htmx(request) else "")
    return render(request, template, context)


@login_required
@require_POST
def import_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    pending = get_object_or_404(
        PendingImport.objects.defer("plan", "content"), pk=pk, owner=request.user
    )
    progress_url = _import_url("import_progress", pending)
    if pending.to_create >= services.LARGE_IMPORT or pending.status != ImportStatus.PLANNED:
        # Large imports run in the worker; a second submit (or a stale queue) lands here too.
        services.queue_import(pending)
        return _go(request, progress_url)
    try:
        result = services.execute_import(
            pending.pk, claim_from=ImportStatus.PLANNED, delete_after=True
        )
    except services.ImportRefused as exc:
        messages.error(request, str(exc))
        return _go(request, reverse("papers:import"))
    except IntegrityError:
        # A paper with the same arXiv ID or DOI was added meanwhile; the plan is kept.
        messages.error(
            request,
            "Your library changed while importing, so nothing was imported; "
            "confirm again to import the rest.",
        )
        return _go(request, _import_url("import_preview", pending))
    if result is None:  # a parallel submit claimed it first
        return _go(request, reverse("papers:library"))
    messages.success(
        request,
        f"Imported {result.created} paper{'s' if result.created != 1 else ''}; "
        f"{result.duplicates} duplicate, {result.rejected} rejected.",
    )
    url = reverse("papers:library")
    if _htmx(request):
        return _logged(HttpResponseClientRedirect(url))
    return HttpResponseRedirect(url)


def _progress_context(pending: PendingImport) -> dict[str, Any]:
    progress = services.import_progress(pending.pk) if pending.in_progress else None
    return {
        "pending": pending,
        "progress": progress,
        "can_requeue": services.can_requeue(pending),
    }


@login_required
@require_GET
def import_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    """Where a worker import is shown; its htmx partial polls itself until the import ends."""
    pending = get_object_or_404(
        PendingImport.objects.defer("plan", "content"), pk=pk, owner=request.user
    )
    template = "papers/import_progress.html" + ("#import-progress" if _htmx(request) else "")
    response = render(request, template, _progress_context(pending))
    if _htmx(request) and pending.status == ImportStatus.DONE:
        trigger_client_event(response, events.PAPER_LOGGED)
    return response


def _export_papers(request: AuthedRequest) -> list[dict[str, Any]]:
    papers = (
        Paper.objects.owned_by(request.user)
        .annotate(total_minutes=Sum("sessions__minutes"))
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
        .order_by("added_on", "pk")
    )
    return [p.as_export() for p in papers]


@login_required
@require_GET
def export_bibtex(request: AuthedRequest) -> HttpResponse:
    response = HttpResponse(
        bibtex.write_bibtex(_export_papers(request)), content_type="application/x-bibtex"
    )
    response["Content-Disposition"] = 'attachment; filename="paperstreak.bib"'
    return response


@login_required
@require_GET
def export_csv(request: AuthedRequest) -> HttpResponse:
    response = HttpResponse(
        bibtex.write_csv(_export_papers(request)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="paperstreak.csv"'
    return response
