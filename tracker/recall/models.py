"""Recall prompts on read papers and their reviews, scheduled by FSRS (the ``fsrs`` package).

A prompt carries its card's current FSRS state (the columns ``fsrs.Card`` has) and the
local date it is next due on; every review keeps the rating, the instant and the state the
library returned, so the history can be replayed or exported as it happened.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from tracker.papers.models import Paper
from tracker.querysets import OwnedQuerySet

MAX_PROMPTS_PER_PAPER = 10
QUESTION_MAX = 500
ANSWER_MAX = 2000


class CardState(models.IntegerChoices):
    """``fsrs.State``'s values (a test checks they stay equal)."""

    LEARNING = 1, "Learning"
    REVIEW = 2, "Review"
    RELEARNING = 3, "Relearning"


class Rating(models.IntegerChoices):
    """``fsrs.Rating``'s values (a test checks they stay equal)."""

    AGAIN = 1, "Again"
    HARD = 2, "Hard"
    GOOD = 3, "Good"
    EASY = 4, "Easy"


class PromptQuerySet(OwnedQuerySet["Prompt"]):
    def due(self, today: object) -> PromptQuerySet:
        return self.filter(due_on__lte=today)


class Prompt(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recall_prompts"
    )
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="recall_prompts")
    question = models.TextField(max_length=QUESTION_MAX)
    answer = models.TextField(max_length=ANSWER_MAX)
    position = models.PositiveSmallIntegerField(default=0)
    # The FSRS card (fsrs.Card's fields).
    state = models.PositiveSmallIntegerField(choices=CardState.choices, default=CardState.LEARNING)
    step = models.PositiveSmallIntegerField(null=True, blank=True, default=0)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField(help_text="The instant FSRS scheduled (UTC).")
    last_review = models.DateTimeField(null=True, blank=True)
    # The user's local date it comes up for review: FSRS's due, moved past planned breaks.
    due_on = models.DateField()
    # Reviews so far: the card's version, which a rating claims (P6).
    reps = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PromptQuerySet.as_manager()

    class Meta:
        ordering = ["paper", "position", "pk"]
        indexes = [models.Index(fields=["owner", "due_on"], name="recall_prompt_owner_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[1, 2, 3]), name="recall_prompt_state_1_3"
            ),
        ]

    def __str__(self) -> str:
        return self.question[:80]

    def get_absolute_url(self) -> str:
        return reverse("recall:edit", args=[self.pk])


class ReviewQuerySet(OwnedQuerySet["Review"]):
    pass


class Review(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recall_reviews"
    )
    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="reviews")
    # Which review of the prompt this is (1, 2, …): unique, so one claim records one row.
    seq = models.PositiveIntegerField()
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    reviewed_at = models.DateTimeField()
    reviewed_on = models.DateField(help_text="The user's local date of the review.")
    # The card as FSRS returned it after this rating.
    state = models.PositiveSmallIntegerField(choices=CardState.choices)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    due_on = models.DateField()

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "reviewed_on"], name="recall_review_owner_on"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["prompt", "seq"], name="recall_review_once_per_seq"),
            models.CheckConstraint(
                condition=Q(rating__in=[1, 2, 3, 4]), name="recall_review_rating_1_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_rating_display()} on {self.reviewed_on:%Y-%m-%d}"
