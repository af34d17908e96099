"""Writes on prompts: add (at most ten per paper), edit, delete, move up/down."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tracker.papers.models import Paper
from tracker.recall.models import MAX_PROMPTS_PER_PAPER, Prompt
from tracker.recall.scheduling import break_weeks, first_due


class TooManyPrompts(Exception):
    pass


def add_prompt(
    paper: Paper, question: str, answer: str, *, now: dt.datetime | None = None
) -> Prompt:
    """A new prompt at the end of the paper's list; raises TooManyPrompts past ten.

    The paper row is locked first so two tabs adding the tenth prompt at once cannot end
    with eleven.
    """
    now = now or timezone.now()
    user = paper.owner
    with transaction.atomic():
        Paper.objects.select_for_update().filter(pk=paper.pk).first()
        prompts = Prompt.objects.filter(paper=paper)
        if prompts.count() >= MAX_PROMPTS_PER_PAPER:
            raise TooManyPrompts
        last = prompts.aggregate(m=Max("position"))["m"]
        due, due_on = first_due(user, now, break_weeks(user))
        return Prompt.objects.create(
            owner=user,
            paper=paper,
            question=question,
            answer=answer,
            position=0 if last is None else last + 1,
            due=due,
            due_on=due_on,
        )


def move_prompt(prompt: Prompt, offset: int) -> None:
    """Swap the prompt with its neighbour above (-1) or below (+1); no-op at an end."""
    with transaction.atomic():
        siblings = list(
            Prompt.objects.select_for_update()
            .filter(paper_id=prompt.paper_id)
            .order_by("position", "pk")
        )
        ids = [p.pk for p in siblings]
        i = ids.index(prompt.pk)
        j = i + offset
        if not 0 <= j < len(siblings):
            return
        siblings[i], siblings[j] = siblings[j], siblings[i]
        for position, p in enumerate(siblings):
            if p.position != position:
                Prompt.objects.filter(pk=p.pk).update(position=position)
