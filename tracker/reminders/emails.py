"""The reminder emails: one function per email, built by one helper."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tracker.reminders.content import ContentFlags, reminder_content

UNSUBSCRIBE_SALT = "tracker.reminders.unsubscribe"


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def list_id() -> str:
    return f"Paperstreak weekly reminders <reminders.{site_domain()}>"


def unsubscribe_token(user: Any) -> str:
    """Signed, salted token naming the user; no expiry, so old emails keep working."""
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def user_id_from_token(token: str) -> int:
    """The user id in an unsubscribe token; raises signing.BadSignature when tampered."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise signing.BadSignature("unexpected payload")
    return data["u"]


def unsubscribe_url(user: Any) -> str:
    return absolute_url(reverse("reminders:unsubscribe", args=[unsubscribe_token(user)]))


def reminder_message_id(reminder: Any) -> str:
    """Stable per Reminder row: a resend of the same week's email carries the same id."""
    return f"<reminder.{reminder.pk}.{reminder.week_start:%Y%m%d}@{site_domain()}>"


def plain_str(text: str) -> str:
    """``text`` as an exact ``str``, never a ``SafeString``.

    ``str()`` is not enough: ``SafeString.__str__`` returns the SafeString itself.
    """
    return str.__str__(text)


def build_email(
    name: str, context: dict[str, Any], *, to: str, from_email: str, headers: dict[str, str]
) -> EmailMultiAlternatives:
    """Render templates/emails/<name>/{subject.txt,body.txt,body.html} into one message.

    The subject and the text body are rendered with autoescape off, as plain text must be,
    so they hold user text verbatim: they leave here as plain ``str``, never the
    ``SafeString`` that ``render_to_string`` returns, so any page that shows them (the
    preview) escapes them again (S6). The HTML body is autoescaped markup.
    """
    # One line, no stray newlines (header injection).
    subject = " ".join(render_to_string(f"emails/{name}/subject.txt", context).split())
    text = plain_str(render_to_string(f"emails/{name}/body.txt", context))
    html = plain_str(render_to_string(f"emails/{name}/body.html", context))
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=from_email, to=[to], headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message


def weekly_reminder_email(
    user: Any,
    *,
    reminder: Any = None,
    now: dt.datetime | None = None,
    test: bool = False,
    flags: ContentFlags | None = None,
) -> EmailMultiAlternatives:
    """This week's reminder for ``user`` as it would be sent at ``now``.

    With a Reminder row the Message-ID derives from it (E2); previews and test sends get a
    fresh one. ``flags``: see :func:`tracker.reminders.content.reminder_content`.
    """
    now = now or timezone.now()
    content = reminder_content(user, now, flags)
    unsubscribe = unsubscribe_url(user)
    context = {
        "user": user,
        "c": content,
        "test": test,
        "unsubscribe_url": unsubscribe,
        "dashboard_url": absolute_url(reverse("dashboard:home")),
        "settings_url": absolute_url(reverse("accounts:settings")),
        "log_url": content.log_url,
    }
    message_id = (
        reminder_message_id(reminder)
        if reminder is not None
        else f"<reminder.test.{uuid.uuid4().hex}@{site_domain()}>"
    )
    headers = {
        "Message-ID": message_id,
        "List-Id": list_id(),
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    return build_email(
        "reminder",
        context,
        to=user.email,
        from_email=settings.REMINDER_FROM_EMAIL,
        headers=headers,
    )
