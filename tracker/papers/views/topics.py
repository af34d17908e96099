"""The topics page, one topic's papers, and the focus topic."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import IntegerField, OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthedRequest
from tracker.http import safe_next
from tracker.papers.models import Paper, Status, Topic
from tracker.papers.views.common import PAGE_SIZE

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
    template = "papers/topic_list.html" + ("#topic-list" if request.htmx else "")
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
    if not request.htmx:
        return redirect(safe_next(request, reverse("papers:topics")))
    response = render(request, "papers/topic_list.html#topic-list", _topics_context(request))
    return response


@login_required
@require_GET
def topic(request: AuthedRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic, pk=pk, owner=request.user)
    papers = topic.papers.filter(owner=request.user).prefetch_related("topics").order_by("title")
    page = Paginator(papers, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "papers/topic_detail.html" + ("#topic-papers" if request.htmx else "")
    return render(request, template, {"topic": topic, "page": page})
