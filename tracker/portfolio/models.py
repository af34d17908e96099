"""What a user has made public: their portfolio settings and one row per published object.

Published objects are rows here (one-to-one with the object, cascading with it) rather than
flags on the papers, replications and projects models: private is the default by
construction (no row), the other apps' forms, exports and migrations are untouched, and a
deleted object takes its publication with it.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

# Handles that would shadow a route or read as the site's own voice.
RESERVED_HANDLES = frozenset(
    {
        "admin", "api", "static", "media", "accounts", "account", "u", "s", "y", "year",
        "papers", "replications", "projects", "goals", "reminders", "portfolio", "healthz",
        "settings", "login", "logout", "signup", "help", "about", "root", "www", "mail",
        "support", "paperstreak", "badge", "new", "edit", "null", "none", "me",
    }
)  # fmt: skip
HANDLE_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,28}[a-z0-9])?$"


def new_secret() -> str:
    return secrets.token_urlsafe(24)


class PortfolioSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portfolio"
    )
    # Stored lower-case (the form folds it), so equality is case-insensitive uniqueness.
    handle = models.CharField(max_length=30, blank=True)
    enabled = models.BooleanField("public page on", default=False)
    allow_indexing = models.BooleanField("let search engines index it", default=False)
    show_replications = models.BooleanField("replications", default=True)
    show_projects = models.BooleanField("projects and competitions", default=True)
    show_writeups = models.BooleanField("write-ups", default=True)
    show_papers = models.BooleanField("papers explained", default=True)
    show_topics = models.BooleanField("topics and focus topic", default=True)
    show_activity = models.BooleanField("weekly streak and papers per week", default=True)
    # Secret link to the same page; empty means none. Regenerating replaces it at once.
    share_secret = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("handle"), name="portfolio_unique_handle", condition=~Q(handle="")
            ),
            models.UniqueConstraint(
                fields=["share_secret"],
                name="portfolio_unique_share_secret",
                condition=~Q(share_secret=""),
            ),
        ]

    def __str__(self) -> str:
        return self.handle or f"portfolio of user {self.user_id}"

    @property
    def is_public(self) -> bool:
        return self.enabled and bool(self.handle)


class PublicPaper(models.Model):
    paper = models.OneToOneField(
        "papers.Paper", on_delete=models.CASCADE, related_name="public_entry"
    )
    summary_public = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"public paper {self.paper_id}"


class PublicReplication(models.Model):
    replication = models.OneToOneField(
        "replications.Replication", on_delete=models.CASCADE, related_name="public_entry"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"public replication {self.replication_id}"


class PublicProject(models.Model):
    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="public_entry"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"public project {self.project_id}"
