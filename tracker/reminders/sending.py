"""Handing reminder emails to the SMTP server, and what its errors mean.

The send tasks use this; it knows nothing about Reminder rows or Celery.
"""

from __future__ import annotations

import logging
import smtplib
from types import TracebackType
from typing import Any

from django.core.mail import EmailMessage, mailers

logger = logging.getLogger(__name__)


class BatchConnection:
    """One SMTP connection for one send task: opened at its first send, closed at its end.

    A task carries SEND_BATCH rows, so the connection (TCP, EHLO, maybe STARTTLS and AUTH)
    is paid once per batch, not once per message. After any error the connection is closed
    and the next send opens a new one, so a failed send never leaves a half-used connection
    behind. (This replaced a thread-local connection kept across tasks with an idle timer:
    bench/bench_fanout.py measured the same throughput for both, see docs/architecture.md.)
    """

    def __init__(self) -> None:
        self._mailer: Any = None

    def send(self, message: EmailMessage) -> None:
        if self._mailer is None:
            mailer = mailers["reminders"]
            mailer.open()  # opened here, send_messages() leaves it open
            self._mailer = mailer
        try:
            self._mailer.send_messages([message])
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        mailer, self._mailer = self._mailer, None
        if mailer is not None:
            try:
                mailer.close()
            except Exception:  # the connection is being thrown away either way
                logger.debug("closing the reminders SMTP connection failed", exc_info=True)

    def __enter__(self) -> BatchConnection:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


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
