import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from tracker.reminders.dispatch import TickResult, dispatch
from tracker.reminders.tasks import publish_send_batches


class Command(BaseCommand):
    help = "Run one reminder dispatcher tick (what the beat entry runs every 5 minutes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            help="Pretend the clock shows this ISO-8601 instant with an offset, "
            "e.g. 2026-11-23T08:00:00+00:00 or 2026-11-23T08:00Z.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List who is due and count what would happen; change nothing.",
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
        result = dispatch(now, publish=publish_send_batches, dry_run=options["dry_run"])
        if options["dry_run"]:
            self._list_due(result)
        prefix = "dry run: " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{result.now.isoformat()} {result.as_log()}")

    def _list_due(self, result: TickResult) -> None:
        """One line per due user: address, their local slot, the week it is for, outcome."""
        # The dispatcher loads only the schedule columns; the addresses in one query.
        emails = dict(
            User.objects.filter(pk__in=[due.user_id for due in result.due]).values_list(
                "pk", "email"
            )
        )
        for due in result.due:
            local = due.slot.astimezone(ZoneInfo(due.timezone))
            self.stdout.write(
                f"{emails.get(due.user_id, f'user {due.user_id}')} "
                f"slot={local:%Y-%m-%d %H:%M} {due.timezone} "
                f"week={due.week_start.isoformat()} {due.outcome}"
            )
