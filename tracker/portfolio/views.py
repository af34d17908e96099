from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.views.decorators.cache import never_cache
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthedRequest
from accounts.models import User
from tracker.papers.models import Paper
from tracker.portfolio import queries
from tracker.portfolio.badge import badge_svg
from tracker.portfolio.forms import PortfolioSettingsForm, PublishForm
from tracker.portfolio.models import (
    PortfolioSettings,
    PublicPaper,
    PublicProject,
    PublicReplication,
    new_secret,
)
from tracker.projects.models import Project
from tracker.replications.models import Replication

BADGE_MAX_AGE = 300
BADGE_METRICS = ("papers", "streak", "replications")
# An SVG needs no script, style sheet or frame: nothing but its own inline attributes.
BADGE_CSP = {"default-src": [CSP.NONE], "frame-ancestors": [CSP.NONE], "sandbox": []}


def _settings_of(user: User) -> PortfolioSettings:
    ps, _ = PortfolioSettings.objects.get_or_create(user=user)
    return ps


def _settings_context(
    request: AuthedRequest, ps: PortfolioSettings, form: object
) -> dict[str, object]:
    public_url = (
        request.build_absolute_uri(reverse("portfolio:public", args=[ps.handle]))
        if ps.handle
        else ""
    )
    share_url = (
        request.build_absolute_uri(reverse("portfolio:shared", args=[ps.share_secret]))
        if ps.share_secret
        else ""
    )
    badges = []
    if ps.handle:
        for metric in BADGE_METRICS:
            url = request.build_absolute_uri(
                reverse("portfolio:badge", args=[ps.handle]) + f"?metric={metric}"
            )
            badges.append((metric, f"[![{metric}]({url})]({public_url})"))
    return {"ps": ps, "portfolio_form": form, "public_url": public_url,
            "share_url": share_url, "badges": badges}  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: AuthedRequest) -> HttpResponse:
    if request.method == "GET":
        # A GET creates nothing (S3): an unsaved row stands in until the first save.
        ps = PortfolioSettings.objects.filter(user=request.user).first()
        ps = ps or PortfolioSettings(user=request.user)
        form = PortfolioSettingsForm(instance=ps)
    else:
        ps = _settings_of(request.user)
        form = PortfolioSettingsForm(request.POST, instance=ps)
        if form.is_valid():
            try:
                with transaction.atomic():
                    form.save()
            except IntegrityError:  # the same handle claimed a moment ago by someone else
                form.add_error("handle", "That handle is taken; choose another.")
            else:
                if not request.htmx:
                    return redirect("portfolio:settings")
                form = PortfolioSettingsForm(instance=ps)
    template = "portfolio/settings.html" + ("#portfolio-card" if request.htmx else "")
    ctx = _settings_context(request, ps, form)
    ctx["saved"] = request.method == "POST" and not form.errors
    return render(request, template, ctx, status=422 if form.errors else 200)


@login_required
@require_POST
def share_link(request: AuthedRequest, action: str) -> HttpResponse:
    """Regenerate (the old link 404s at once) or revoke the secret share link."""
    ps = _settings_of(request.user)
    ps.share_secret = new_secret() if action == "regenerate" else ""
    ps.save(update_fields=["share_secret", "updated_at"])
    if not request.htmx:
        return redirect("portfolio:settings")
    form = PortfolioSettingsForm(instance=ps)
    return render(
        request, "portfolio/settings.html#portfolio-card", _settings_context(request, ps, form)
    )


KINDS: dict[str, tuple[type[Model], type[Model], str]] = {
    "paper": (Paper, PublicPaper, "paper"),
    "summary": (Paper, PublicPaper, "paper"),
    "replication": (Replication, PublicReplication, "replication"),
    "project": (Project, PublicProject, "project"),
}


@login_required
@require_POST
def publish(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    model, public_model, link = KINDS[kind]
    obj: Any = get_object_or_404(model, pk=pk, owner=request.user)
    form = PublishForm(request.POST)
    if form.is_valid():
        on: bool = form.cleaned_data["public"]
        rows = public_model.objects.filter(**{link: obj})  # type: ignore[attr-defined]
        if kind == "summary":
            rows.update(summary_public=on)  # only a published paper has a public summary
        elif on:
            public_model.objects.get_or_create(**{link: obj})  # type: ignore[attr-defined]
        else:
            rows.delete()
        if not request.htmx:
            return redirect(obj.get_absolute_url())
    obj = model.objects.get(pk=obj.pk)  # type: ignore[attr-defined]
    shown = "paper" if kind == "summary" else kind
    return render(
        request,
        "portfolio/_switch.html",
        {"obj": obj, "kind": shown},
        status=422 if form.errors else 200,
    )


def _public_response(request: HttpRequest, ps: PortfolioSettings, shared: bool) -> HttpResponse:
    ctx = queries.page_context(ps)
    ctx["shared"] = shared
    ctx["indexable"] = ps.allow_indexing and not shared
    if "activity" in ctx:
        ctx["chart"] = queries.weekly_chart(ctx["activity"].bars)
        ctx["chart_width"] = max(12, len(ctx["chart"]) * 12)
    ctx["page_url"] = request.build_absolute_uri()
    response = render(request, "portfolio/public.html", ctx)
    if not ctx["indexable"]:
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache  # turning the page off must 404 at once: no shared cache may keep it
@require_GET
def public_page(request: HttpRequest, handle: str) -> HttpResponse:
    ps = get_object_or_404(
        PortfolioSettings.objects.select_related("user"), handle=handle.lower(), enabled=True
    )
    return _public_response(request, ps, shared=False)


@never_cache
@require_GET
def shared_page(request: HttpRequest, secret: str) -> HttpResponse:
    if not secret:
        raise Http404
    ps = get_object_or_404(PortfolioSettings.objects.select_related("user"), share_secret=secret)
    return _public_response(request, ps, shared=True)


def _badge_value(ps: PortfolioSettings, metric: str) -> tuple[str, str]:
    user = ps.user
    if metric == "replications":
        if not ps.show_replications:
            raise Http404
        n = Replication.objects.owned_by(user).done().filter(public_entry__isnull=False).count()
        return "replications", str(n)
    if not ps.show_activity:
        raise Http404
    if metric == "streak":
        activity = queries.activity(user)
        weeks = activity.streak.current if activity.streak else 0
        return "streak", f"{weeks} week{'' if weeks == 1 else 's'}"
    return "papers read", str(Paper.objects.owned_by(user).read().count())


@csp_override(BADGE_CSP)
@require_GET
def badge(request: HttpRequest, handle: str) -> HttpResponse:
    metric = request.GET.get("metric", "papers")
    if metric not in BADGE_METRICS:
        raise Http404
    ps = get_object_or_404(
        PortfolioSettings.objects.select_related("user"), handle=handle.lower(), enabled=True
    )
    label, value = _badge_value(ps, metric)
    svg = badge_svg(label, value)
    etag = '"' + hashlib.sha256(svg.encode()).hexdigest()[:32] + '"'
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={BADGE_MAX_AGE}"
    response["X-Robots-Tag"] = "noindex"
    return response
