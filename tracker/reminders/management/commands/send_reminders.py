import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.reminders.dispatch import dispatch


class Command(BaseCommand):
    help = "Run one reminder dispatcher tick (what the beat entry runs every 5 minutes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            help="Pretend the clock shows this ISO-8601 instant with an offset, "
            "e.g. 2026-11-23T08:00:00+00:00 or 2026-11-23T08:00Z.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would happen; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = None
        if options["now"]:
            try:
                now = dt.datetime.fromisoformat(options["now"])
            except ValueError as exc:
                raise CommandError(f"--now is not ISO-8601: {exc}") from None
            if now.tzinfo is None or now.utcoffset() is None:
                raise CommandError("--now needs a UTC offset, e.g. 2026-11-23T08:00+00:00")
        result = dispatch(now, dry_run=options["dry_run"])
        prefix = "dry run: " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{result.now.isoformat()} {result.as_log()}")
