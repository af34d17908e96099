from typing import Any

from tracker.reminders.management.commands.dispatch_reminders import Command as DispatchCommand


class Command(DispatchCommand):
    help = "Deprecated: renamed to dispatch_reminders, which takes the same options."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stderr.write(
            "send_reminders is deprecated and will be removed; use dispatch_reminders."
        )
        super().handle(*args, **options)
