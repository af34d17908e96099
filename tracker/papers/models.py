from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse

from tracker.querysets import OwnedQuerySet
from tracker.usertext import http_url


class Status(models.TextChoices):
    TO_READ = "to_read", "To read"
    READING = "reading", "Reading"
    READ = "read", "Read"


class Depth(models.IntegerChoices):
    SKIM = 1, "Pass 1 · skim"
    GRASP = 2, "Pass 2 · grasp"
    REDERIVE = 3, "Pass 3 · re-derive"


class Source(models.TextChoices):
    """Where a paper (or a talk, post or course treated as one) comes from.

    Workshops and tutorials are where "Finding your niche in ML" says topics are found;
    the niche roadmap (tracker/niche) counts them as evidence.
    """

    CONFERENCE = "conference", "Conference"
    JOURNAL = "journal", "Journal"
    WORKSHOP = "workshop", "Workshop"
    TUTORIAL = "tutorial", "Tutorial"
    PREPRINT = "preprint", "Preprint"
    BLOG = "blog", "Blog post"
    VIDEO = "video", "Video or talk"
    COURSE = "course", "Course"
    BOOK = "book", "Book"
    OTHER = "other", "Other"


class TopicQuerySet(OwnedQuerySet["Topic"]):
    pass


class Topic(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topics"
    )
    name = models.CharField(max_length=60)
    is_focus = models.BooleanField("focus topic", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name")]
        constraints = [
            models.UniqueConstraint(Lower("name"), "owner", name="papers_topic_unique_name"),
            # A user has at most one focus topic.
            models.UniqueConstraint(
                fields=["owner"], condition=Q(is_focus=True), name="papers_topic_one_focus"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("papers:topic", args=[self.pk])


class PaperQuerySet(OwnedQuerySet["Paper"]):
    def read(self) -> PaperQuerySet:
        return self.filter(status=Status.READ)

    def to_read(self) -> PaperQuerySet:
        return self.filter(status=Status.TO_READ)

    def unfinished(self) -> PaperQuerySet:
        return self.exclude(status=Status.READ)

    def explained(self) -> PaperQuerySet:
        return self.exclude(summary="")

    def queue(self, user: Any) -> PaperQuerySet:
        """The user's to-read list in queue order."""
        return self.owned_by(user).to_read().order_by("queue_position", "created_at", "pk")

    def up_next(self, user: Any, n: int = 3) -> PaperQuerySet:
        return self.queue(user)[:n]

    def search(self, query: str) -> PaperQuerySet:
        condition = Q()
        for word in query.split()[:10]:
            condition &= (
                Q(title__icontains=word)
                | Q(authors__icontains=word)
                | Q(abstract__icontains=word)
                | Q(notes__icontains=word)
            )
        return self.filter(condition)


class Paper(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="papers"
    )
    title = models.CharField(max_length=500)
    # One name per line, in byline order (plain text keeps search simple on both databases).
    authors = models.TextField(blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    venue = models.CharField(max_length=300, blank=True)
    source = models.CharField(
        max_length=12,
        choices=Source.choices,
        blank=True,
        help_text="Workshop and tutorial papers count on the topic's niche roadmap.",
    )
    abstract = models.TextField(blank=True)
    url = models.URLField("URL", max_length=500, blank=True)
    arxiv_id = models.CharField("arXiv ID", max_length=40, blank=True)
    doi = models.CharField("DOI", max_length=255, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.TO_READ)
    added_on = models.DateField()
    started_on = models.DateField(null=True, blank=True)
    finished_on = models.DateField(null=True, blank=True)
    depth = models.PositiveSmallIntegerField(
        "reading depth", choices=Depth.choices, null=True, blank=True
    )
    understanding = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    summary = models.TextField(blank=True, help_text="In your own words: what it does and why.")
    notes = models.TextField(blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="papers")
    queue_position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PaperQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "status"], name="papers_owner_status"),
            models.Index(fields=["owner", "finished_on"], name="papers_owner_finished"),
            models.Index(fields=["owner", "added_on"], name="papers_owner_added"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "arxiv_id"],
                condition=~Q(arxiv_id=""),
                name="papers_unique_arxiv_per_owner",
            ),
            models.UniqueConstraint(
                fields=["owner", "doi"], condition=~Q(doi=""), name="papers_unique_doi_per_owner"
            ),
            models.CheckConstraint(
                condition=Q(understanding__isnull=True) | Q(understanding__range=(1, 5)),
                name="papers_understanding_1_5",
            ),
            models.CheckConstraint(
                condition=Q(depth__isnull=True) | Q(depth__in=[1, 2, 3]),
                name="papers_depth_1_3",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("papers:detail", args=[self.pk])

    @property
    def author_list(self) -> list[str]:
        return [a for a in (line.strip() for line in self.authors.splitlines()) if a]

    @property
    def authors_short(self) -> str:
        names = self.author_list
        if len(names) > 3:
            return f"{', '.join(names[:2])} et al."
        return ", ".join(names)

    @property
    def explained(self) -> bool:
        return bool(self.summary.strip())

    @property
    def link(self) -> str:
        if http_url(self.url):
            return self.url
        if self.arxiv_id:
            return f"https://arxiv.org/abs/{self.arxiv_id}"
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return ""

    def as_export(self) -> dict[str, Any]:
        """The dict the BibTeX/CSV writers take (topics must be prefetched)."""
        return {
            "title": self.title,
            "authors": self.author_list,
            "year": self.year,
            "venue": self.venue,
            "abstract": self.abstract,
            "url": self.url,
            "arxiv_id": self.arxiv_id,
            "doi": self.doi,
            "topics": [t.name for t in self.topics.all()],
            "status": self.get_status_display(),
            "added_on": self.added_on.isoformat(),
            "started_on": self.started_on.isoformat() if self.started_on else "",
            "finished_on": self.finished_on.isoformat() if self.finished_on else "",
            "depth": self.depth or "",
            "understanding": self.understanding or "",
            "minutes": getattr(self, "total_minutes", None) or 0,
            "explained": self.explained,
            "summary": self.summary,
            "notes": self.notes,
        }


class ReadingSession(models.Model):
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField()
    minutes = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(1440)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["paper", "date"], name="papers_session_paper_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__range=(1, 1440)), name="papers_session_minutes_1_1440"
            )
        ]

    def __str__(self) -> str:
        return f"{self.minutes} min on {self.date:%Y-%m-%d}"


class ImportStatus(models.TextChoices):
    PLANNED = "planned", "Planned"  # parsed and previewed, waiting for the user's confirmation
    QUEUED = "queued", "Queued"  # confirmed; a worker task imports it
    RUNNING = "running", "Running"  # claimed inside the import's own transaction
    DONE = "done", "Imported"
    FAILED = "failed", "Failed"


class PendingImport(models.Model):
    """An uploaded BibTeX file between preview and import.

    The file is parsed once, at upload: ``plan`` keeps every entry already sorted into
    create / duplicate / rejected, so neither the preview nor the import parses it again.
    An import done in the request is deleted with its papers' commit; one run by the
    worker stays (done or failed, with its figures) for the progress page.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_imports"
    )
    filename = models.CharField(max_length=255, blank=True)
    # Raw text of rows uploaded before plans were stored; new rows keep only the plan.
    content = models.TextField(blank=True)
    plan = models.JSONField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.PLANNED
    )
    to_create = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.filename or f"import {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("papers:import_preview", args=[self.pk])

    @property
    def in_progress(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)
