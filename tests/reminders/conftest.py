from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from accounts.models import User
from tests.factories import UserFactory
from tests.reminders.smtp_sink import SmtpSink
from tracker.reminders.schedule import next_send_at


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Factories hash a password per user; PBKDF2 would make 60-user tests crawl.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def eager_celery() -> Iterator[None]:
    """Run tasks in-process when their on_commit callback fires (retries run inline too)."""
    from tracker.celery import app

    old = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    # Retries re-run inline only when eager errors are not propagated.
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = old


@pytest.fixture
def smtp_sink(settings: Any) -> Iterator[SmtpSink]:
    """A real aiosmtpd server; the "reminders" mailer points at it."""
    with SmtpSink() as sink:
        settings.MAILERS = {**settings.MAILERS, "reminders": sink.mailer()}
        yield sink


def make_learner(**fields: Any) -> User:
    defaults = {"week_start": 0, "reminder_weekday": 0, "reminder_time": dt.time(9)}
    return UserFactory(**(defaults | fields))


def schedule_after(user: User, after: dt.datetime) -> dt.datetime:
    """Store the user's next slot after ``after`` as if the scheduler had computed it then."""
    slot = next_send_at(
        user.timezone, user.week_start, user.reminder_weekday, user.reminder_time, after
    )
    User.objects.filter(pk=user.pk).update(next_reminder_at=slot)
    user.next_reminder_at = slot
    return slot


def tamper(token: str) -> str:
    """Change one character inside the signature (not its last, partly unused, one)."""
    i = len(token) - 10
    return token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]
