"""Recompute the per-day and per-week rollups from the rows they count."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.progress import rollups


class Command(BaseCommand):
    help = "Recompute the dashboard rollups of every user (or of --user EMAIL) from scratch."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", help="email of the one user to rebuild")

    def handle(self, *args: Any, **options: Any) -> None:
        users = get_user_model().objects.order_by("pk")
        if options["user"]:
            users = users.filter(email__iexact=options["user"])
            if not users.exists():
                raise CommandError(f"No user with the email {options['user']!r}")
        count = 0
        for pk in users.values_list("pk", flat=True).iterator():
            rollups.rebuild(pk)
            count += 1
        self.stdout.write(f"Rebuilt the rollups of {count} user(s).")
