from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.archive.export import write_zip


class Command(BaseCommand):
    help = "Write a user's account archive (ZIP: paperstreak.json, papers.bib, CSVs) to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="the account's email address")
        parser.add_argument("--out", required=True, help="the ZIP file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = get_user_model().objects.get(email__iexact=options["user"])
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"No user {options['user']}") from exc
        out = Path(options["out"])
        write_zip(user, out)
        self.stdout.write(f"Wrote {out} ({out.stat().st_size} bytes).")
