from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from accounts.http import AuthedRequest
from tracker import events
from tracker.goals.actions import (
    add_count,
    adopt_article_targets,
    create_goal,
    display_order,
    mark_break,
    missing_presets,
    update_goal,
)
from tracker.goals.forms import GoalForm, WeekBreakForm
from tracker.goals.models import Goal, WeekBreak
from tracker.http import safe_next
from tracker.weeks import week_start_date


def _changed(event: str) -> HttpResponse:
    """htmx answer to an action that touches several cards: no swap, just the event."""
    response = HttpResponse(status=204)
    trigger_client_event(response, event)
    return response


def _list_context(
    request: AuthedRequest, break_form: WeekBreakForm | None = None
) -> dict[str, Any]:
    user = request.user
    today = user.local_today()
    goals = display_order(Goal.objects.owned_by(user).prefetch_related("targets"))
    return {
        "goals": goals,
        "missing_presets": missing_presets(goals),
        "breaks": WeekBreak.objects.owned_by(user).filter(
            week_start__gte=week_start_date(today, user.week_start)
        ),
        "break_form": break_form or WeekBreakForm(today=today, week_start=user.week_start),
        "today": today,
    }


@login_required
@require_http_methods(["GET"])
def goal_list(request: AuthedRequest) -> HttpResponse:
    template = "goals/goal_list.html" + ("#goal-list" if request.htmx else "")
    return render(request, template, _list_context(request))


def _goal_saved(request: AuthedRequest) -> HttpResponse:
    """After a create or edit: back to the list (htmx: tell the cards, then redirect)."""
    target = safe_next(request, reverse("goals:list"))
    if not request.htmx:
        return redirect(target)
    response = _changed(events.GOALS_CHANGED)
    response["HX-Redirect"] = target
    return response


@login_required
@require_http_methods(["GET", "POST"])
def goal_create(request: AuthedRequest) -> HttpResponse:
    today = request.user.local_today()
    form = GoalForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        create_goal(request.user, today, **form.cleaned_data)
        return _goal_saved(request)
    template = "goals/goal_form.html" + ("#goal-form" if request.htmx else "")
    return render(
        request, template, {"form": form, "goal": None}, status=422 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(Goal, pk=pk, owner=request.user)
    today = request.user.local_today()
    old_target = goal.target
    form = GoalForm(request.POST or None, instance=goal, today=today)
    if request.method == "POST" and form.is_valid():
        update_goal(form.save(commit=False), today, old_target)
        return _goal_saved(request)
    template = "goals/goal_form.html" + ("#goal-form" if request.htmx else "")
    return render(
        request, template, {"form": form, "goal": goal}, status=422 if form.errors else 200
    )


@login_required
@require_POST
def goal_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(Goal, pk=pk, owner=request.user)
    goal.delete()
    if not request.htmx:
        return redirect(safe_next(request, reverse("goals:list")))
    return _changed(events.GOALS_CHANGED)


@login_required
@require_POST
def adopt(request: AuthedRequest) -> HttpResponse:
    adopt_article_targets(request.user, request.user.local_today())
    if not request.htmx:
        return redirect(safe_next(request, reverse("goals:list")))
    return _changed(events.GOALS_CHANGED)


@login_required
@require_POST
def increment(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(Goal, pk=pk, owner=request.user, metric="custom")
    add_count(goal, request.user.local_today())
    if not request.htmx:
        return redirect(safe_next(request, reverse("goals:list")))
    return _changed(events.ACTIVITY_LOGGED)


@login_required
@require_POST
def break_create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = WeekBreakForm(request.POST, today=user.local_today(), week_start=user.week_start)
    if form.is_valid():
        mark_break(user, form.cleaned_data["week"])
        if not request.htmx:
            return redirect(safe_next(request, reverse("goals:list")))
        response = render(request, "goals/goal_list.html#week-breaks", _list_context(request))
        trigger_client_event(response, events.GOALS_CHANGED)
        return response
    template = "goals/goal_list.html" + ("#week-breaks" if request.htmx else "")
    return render(request, template, _list_context(request, form), status=422)


@login_required
@require_POST
def break_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    week_break = get_object_or_404(WeekBreak, pk=pk, owner=request.user)
    week_break.delete()
    if not request.htmx:
        return redirect(safe_next(request, reverse("goals:list")))
    response = render(request, "goals/goal_list.html#week-breaks", _list_context(request))
    trigger_client_event(response, events.GOALS_CHANGED)
    return response
