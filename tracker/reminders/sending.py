"""Handing reminder emails to the SMTP server, and what its errors mean.

The send tasks use this; it knows nothing about Reminder rows or Celery.
"""

from __future__ import annotations

import atexit
import logging
import smtplib
import threading
import time
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, mailers

logger = logging.getLogger(__name__)

# A kept connection idle longer than this is replaced before use: relays drop idle
# clients (often after 10-60 s), and a send on a dropped connection would cost a retry.
SMTP_IDLE_REUSE = 5.0

_local = threading.local()


def _close_quietly(mailer: Any) -> None:
    try:
        mailer.close()
    except Exception:  # the connection is being thrown away either way
        logger.debug("closing the reminders SMTP connection failed", exc_info=True)


def _close_kept_mailer() -> None:
    kept = getattr(_local, "mailer", None)
    _local.mailer = None
    if kept is not None:
        _close_quietly(kept[1])


atexit.register(_close_kept_mailer)


def send_with_kept_connection(message: EmailMessage) -> None:
    """Send through the "reminders" mailer, keeping its SMTP connection for the next send.

    Opening a connection (TCP, EHLO, maybe STARTTLS and AUTH) per message costs more than
    the message during a fan-out; each worker process (thread) keeps one. The connection
    is replaced when the MAILERS setting changed, after SMTP_IDLE_REUSE seconds idle, and
    after any error, so a failed send never leaves a half-used connection behind.
    """
    config = repr(settings.MAILERS.get("reminders"))
    kept = getattr(_local, "mailer", None)
    mailer = None
    if kept is not None:
        kept_config, kept_mailer, last_used = kept
        if kept_config == config and time.monotonic() - last_used < SMTP_IDLE_REUSE:
            mailer = kept_mailer
        else:
            _close_quietly(kept_mailer)
    _local.mailer = None
    if mailer is None:
        mailer = mailers["reminders"]
    try:
        mailer.open()  # opened here, send_messages() leaves it open
        mailer.send_messages([message])
    except BaseException:
        _close_quietly(mailer)
        raise
    _local.mailer = (config, mailer, time.monotonic())


class TransientSendError(Exception):
    """The mail server could not take the message now (connection, 4xx); try again later."""


def classify_smtp_error(exc: Exception) -> tuple[bool, str]:
    """(permanent?, reason) for an exception raised while handing a message to SMTP.

    5xx replies are permanent (the address or the message is refused); 4xx replies,
    dropped connections and socket errors are temporary.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        reason = "; ".join(
            f"{addr}: {code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
            for addr, (code, msg) in exc.recipients.items()
        )
        return bool(codes) and all(code >= 500 for code in codes), reason
    if isinstance(exc, smtplib.SMTPResponseException) and not isinstance(
        exc, smtplib.SMTPConnectError
    ):
        message = exc.smtp_error
        text = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
        return exc.smtp_code >= 500, f"{exc.smtp_code} {text}"
    return False, f"{type(exc).__name__}: {exc}"


def server_unavailable(exc: Exception) -> bool:
    """A temporary failure of the server rather than of this message: the next would fail too.

    A dropped or refused connection, socket errors and time-outs, 421 (closing down); not a
    4xx reply about this message or its recipient.
    """
    if isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code == 421
    # smtplib's exceptions are OSErrors too; the others left are about this message.
    return not isinstance(exc, smtplib.SMTPException)
