"""Personal API tokens: only a SHA-256 digest of the secret is stored (P3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from tracker.querysets import OwnedQuerySet


class Scope(models.TextChoices):
    READ = "read", "Read only"
    WRITE = "write", "Read and write"


class ApiTokenQuerySet(OwnedQuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What uses it, e.g. “training server”.")
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.READ)
    # The first characters of the secret, shown in the list so a user can tell tokens apart.
    prefix = models.CharField(max_length=12)
    # SHA-256 of the whole secret: the secret has 256 bits of entropy, so a plain digest
    # (no salt, no slow hash) cannot be reversed, and a look-up by digest is one index hit.
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=["read", "write"]), name="api_token_scope"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == Scope.WRITE

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
