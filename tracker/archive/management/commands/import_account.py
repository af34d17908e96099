from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.archive.importer import ArchiveError, apply_plan, plan_import, read_archive


class Command(BaseCommand):
    help = "Import an account archive into a user's account: everything or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the archive (ZIP) or its paperstreak.json")
        parser.add_argument("--user", required=True, help="the account's email address")
        parser.add_argument("--dry-run", action="store_true", help="show the plan, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = get_user_model().objects.get(email__iexact=options["user"])
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"No user {options['user']}") from exc
        try:
            doc = read_archive(Path(options["file"]).read_bytes())
        except OSError as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc}") from exc
        except ArchiveError as exc:
            raise CommandError(f"Refused, nothing imported: {exc}") from exc
        plan = plan_import(doc, user)
        for name, create, dups, rejected in plan.summary():
            self.stdout.write(f"{name}: {create} to create, {dups} duplicates, {rejected} rejected")
        for r in plan.rejected:
            self.stdout.write(f"  rejected {r.label} #{r.row_id}: {r.reason}")
        for note in plan.notes:
            self.stdout.write(f"  note: {note}")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing written.")
            return
        created = apply_plan(plan, user)
        self.stdout.write(f"Imported {created} rows into {user.email}.")
