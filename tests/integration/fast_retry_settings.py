"""Settings for worker tests that outlast the send task's whole retry ladder in seconds.

The production ladder (tracker.reminders.dispatch.RETRY_BACKOFF) spans 14 to 27 minutes;
here the same code waits 0.1 to 1 s per step, so an outage longer than all of it fits in a
test. Nothing else differs from tracker.settings.
"""

from tracker.settings import *  # noqa: F403

REMINDER_RETRY_BACKOFF = (0.2, 1.0)
