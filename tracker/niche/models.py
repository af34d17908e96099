"""The contacts log: experts asked specific questions, and when to follow up.

"Start networking… don't send generic emails": each interaction records the specific
question asked, whether it was answered and what was learned.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from tracker.querysets import OwnedQuerySet

# From "Finding your niche in ML": questions specific enough to get an answer.
QUESTION_TEMPLATES: tuple[str, ...] = (
    "Could you comment on the scope of the field?",
    "What are some applications in industry?",
    "What is the smallest extension of your proposed approach?",
    "What are your favourite papers on the topic?",
)


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SOCIAL = "social", "Social media"
    CONFERENCE = "conference", "At a conference or meetup"
    CALL = "call", "Video or phone call"
    FORUM = "forum", "Forum or issue tracker"
    OTHER = "other", "Other"


class ContactQuerySet(OwnedQuerySet["Contact"]):
    pass


class Contact(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(max_length=120)
    field = models.CharField("field", max_length=200, blank=True, help_text="What they work on.")
    topic = models.ForeignKey(
        "papers.Topic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        help_text="One of your topics this person knows about.",
    )
    link = models.URLField(max_length=500, blank=True, help_text="Home page or profile.")
    follow_up_on = models.DateField(
        "follow up on", null=True, blank=True, help_text="A one-off date; cleared by a reply."
    )
    follow_up_weeks = models.PositiveSmallIntegerField(
        "or every N weeks",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(104)],
        help_text="Counted from the last interaction or reply.",
    )
    created_on = models.DateField(help_text="Your local date.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("niche:contact", args=[self.pk])

    def next_follow_up(self, last_touch: dt.date | None) -> dt.date | None:
        """The date to follow up: the one-off date, else ``follow_up_weeks`` after the last
        touch (the latest interaction or reply; the day the contact was added if none)."""
        if self.follow_up_on:
            return self.follow_up_on
        if self.follow_up_weeks:
            return (last_touch or self.created_on) + dt.timedelta(weeks=self.follow_up_weeks)
        return None


class InteractionQuerySet(OwnedQuerySet["Interaction"]):
    owner_lookup = "contact__owner"


class Interaction(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="interactions")
    date = models.DateField(help_text="Your local date.")
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.EMAIL)
    question = models.TextField(
        "the specific question", max_length=2_000, help_text="Not a generic email."
    )
    replied = models.BooleanField(default=False)
    replied_on = models.DateField(null=True, blank=True)
    learned = models.TextField("what you learned", blank=True, max_length=5_000)
    paper = models.ForeignKey(
        "papers.Paper", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    replication = models.ForeignKey(
        "replications.Replication",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InteractionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["contact", "date"])]

    def __str__(self) -> str:
        return f"{self.contact} · {self.date:%Y-%m-%d}"

    @property
    def touched_on(self) -> dt.date:
        return self.replied_on or self.date
