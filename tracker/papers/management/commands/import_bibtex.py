from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.papers import bibtex, imports


class Command(BaseCommand):
    help = "Import a BibTeX file into a user's library (the same code as the upload page)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="email of the library's owner")
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would happen, change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            user = get_user_model().objects.get(email__iexact=options["user"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user with email {options['user']!r}.") from None
        try:
            if path.stat().st_size > bibtex.MAX_BYTES:
                raise CommandError("The file is larger than 5 MB; split it and import the parts.")
            entries = bibtex.parse_bibtex(path.read_bytes())
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from None
        except bibtex.BibtexError as exc:
            raise CommandError(str(exc)) from None
        plan = imports.import_entries(user, entries, dry_run=options["dry_run"])
        verbosity = options["verbosity"]
        if verbosity > 1:
            for entry, why in plan.duplicates:
                self.stdout.write(f"duplicate  {entry.key or entry.index}: {why}")
        if verbosity > 0:
            for entry in plan.rejected:
                self.stdout.write(
                    f"rejected   {entry.key or entry.index} (line {entry.line}): {entry.error}"
                )
        counts = plan.counts
        prefix = "Dry run, nothing saved: " if options["dry_run"] else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}created {counts['created']}, duplicate {counts['duplicate']}, "
                f"rejected {counts['rejected']}"
            )
        )
