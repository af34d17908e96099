from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse

from tracker.querysets import OwnedQuerySet


class ReplicationStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    ABANDONED = "abandoned", "Abandoned"


class ClaimResult(models.TextChoices):
    PENDING = "pending", "Not checked yet"
    REPRODUCED = "reproduced", "Reproduced"
    PARTLY = "partly", "Partly reproduced"
    NOT_REPRODUCED = "not_reproduced", "Not reproduced"


def _start_of(day: dt.date, tz: dt.tzinfo | None) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz or dt.UTC)


class ReplicationQuerySet(OwnedQuerySet["Replication"]):
    def done(self) -> ReplicationQuerySet:
        return self.filter(status=ReplicationStatus.DONE)

    def active(self) -> ReplicationQuerySet:
        """Replications being worked on (in progress)."""
        return self.filter(status=ReplicationStatus.IN_PROGRESS)

    def stalled(
        self, today: dt.date, weeks: int = 3, tz: dt.tzinfo | None = None
    ) -> ReplicationQuerySet:
        """In-progress replications not touched (edit or claim change) for `weeks` weeks.

        `today` is the user's local date; `tz` their zone (UTC if omitted) so the cut-off is
        the start of that local day.
        """
        cutoff = _start_of(today - dt.timedelta(weeks=weeks), tz)
        return self.active().filter(updated_at__lt=cutoff)

    def with_claim_counts(self) -> ReplicationQuerySet:
        return self.annotate(
            claim_total=Count("claims", distinct=True),
            claim_reproduced=Count(
                "claims", filter=Q(claims__result=ClaimResult.REPRODUCED), distinct=True
            ),
        )


class Replication(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="replications"
    )
    # One replication per paper at most.
    paper = models.OneToOneField(
        "papers.Paper", on_delete=models.CASCADE, related_name="replication"
    )
    status = models.CharField(
        max_length=20, choices=ReplicationStatus.choices, default=ReplicationStatus.PLANNED
    )
    repo_url = models.URLField("repository URL", blank=True, max_length=500)

    metric_name = models.CharField(
        "metric", max_length=100, blank=True, help_text="e.g. top-1 accuracy, BLEU, FID"
    )
    paper_value = models.FloatField("paper's value", null=True, blank=True)
    my_mean = models.FloatField("your mean", null=True, blank=True)
    my_std = models.FloatField("your std", null=True, blank=True, validators=[MinValueValidator(0)])
    seeds = models.PositiveIntegerField(
        "number of seeds",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
    )
    gpu_hours = models.DecimalField(
        "compute (GPU-hours)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    easy = models.TextField("what was easy", blank=True, max_length=10_000)
    hard = models.TextField("what was hard", blank=True, max_length=10_000)
    author_contact = models.TextField(
        "contact with the authors",
        blank=True,
        max_length=5_000,
        help_text="Did you ask the authors anything? What did they answer?",
    )

    started_on = models.DateField(null=True, blank=True)
    finished_on = models.DateField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["owner", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(my_std__isnull=True) | Q(my_std__gte=0),
                name="replication_std_nonnegative",
            ),
        ]

    def __str__(self) -> str:
        return f"Replication of {self.paper}"

    def get_absolute_url(self) -> str:
        return reverse("replications:detail", args=[self.pk])

    @property
    def is_done(self) -> bool:
        return self.status == ReplicationStatus.DONE

    @property
    def has_metrics(self) -> bool:
        return self.paper_value is not None or self.my_mean is not None

    @property
    def metric_delta(self) -> float | None:
        """Your mean minus the paper's value, when both are known."""
        if self.paper_value is None or self.my_mean is None:
            return None
        return self.my_mean - self.paper_value

    def claim_summary(self) -> dict[str, int]:
        counts = dict(self.claims.order_by().values_list("result").annotate(n=Count("id")))
        return {
            "total": sum(counts.values()),
            **{value: counts.get(value, 0) for value in ClaimResult.values},
        }

    def touch(self) -> None:
        """Mark as worked on (claims changed), so it is not reported as stalled."""
        self.save(update_fields=["updated_at"])


class Claim(models.Model):
    replication = models.ForeignKey(Replication, on_delete=models.CASCADE, related_name="claims")
    text = models.TextField(max_length=2_000)
    result = models.CharField(
        max_length=20, choices=ClaimResult.choices, default=ClaimResult.PENDING
    )
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:80]
