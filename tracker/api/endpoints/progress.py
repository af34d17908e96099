"""Goals with their current progress, the streak and pace: read-only."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router

from tracker.api import progress, schemas
from tracker.api.common import owned, user_of
from tracker.goals.models import Goal

router = Router(tags=["progress"])


@router.get("/goals", response=list[schemas.Goal], summary="Active goals with their progress")
def list_goals(request: HttpRequest) -> list[dict[str, Any]]:
    return [progress.goal_out(p) for p in progress.all_progress(user_of(request))]


@router.get("/goals/{pk}", response=schemas.Goal, summary="One goal with its progress")
def get_goal(request: HttpRequest, pk: int) -> dict[str, Any]:
    user = user_of(request)
    goal = owned(Goal.objects.all(), pk, user)
    for p in progress.all_progress(user):
        if p.goal.pk == goal.pk:
            return progress.goal_out(p)
    raise Http404  # an inactive goal has no current progress


@router.get("/streak", response=schemas.Streak, summary="The weekly streak (as the dashboard)")
def streak(request: HttpRequest) -> dict[str, Any]:
    main = progress.primary(progress.all_progress(user_of(request)))
    if main is None:
        return {"goal_id": None, "goal": None, "streak": None}
    return {"goal_id": main.goal.pk, "goal": main.goal.title, "streak": progress.streak_out(main)}


@router.get("/pace", response=list[schemas.Goal], summary="Total goals with their pace")
def pace(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        progress.goal_out(p) for p in progress.all_progress(user_of(request)) if p.pace is not None
    ]
