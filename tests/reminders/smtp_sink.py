"""A real SMTP server (aiosmtpd) for tests and the benchmark.

``replies`` is a queue of scripted answers to DATA ("451 4.3.0 Try again later",
"550 5.1.1 No such user"); when it is empty every message is accepted. Accepted messages
are parsed into ``email.message.EmailMessage`` objects.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections import deque
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        # One EHLO per SMTP connection (no STARTTLS here): counts the connections opened.
        with self.sink.lock:
            self.sink.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.sink.lock:
            if self.sink.replies:
                return self.sink.replies.popleft()
            self.sink.raw.append(envelope.content)
            self.sink.count += 1
            if self.sink.keep_messages:
                self.sink.messages.append(
                    email.message_from_bytes(envelope.content, policy=email.policy.default)
                )
        return "250 2.0.0 OK"


class SmtpSink:
    def __init__(
        self, port: int | None = None, *, keep_messages: bool = True, delay: float = 0.0
    ) -> None:
        self.port = port or free_port()
        self.delay = delay
        self.replies: deque[str] = deque()
        self.messages: list[email.message.EmailMessage] = []
        self.raw: list[bytes] = []
        self.count = 0
        self.connections = 0
        self.keep_messages = keep_messages
        self.lock = threading.Lock()
        self.controller = Controller(
            _Handler(self), hostname="127.0.0.1", port=self.port, ready_timeout=10
        )

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def mailer(self) -> dict[str, Any]:
        return {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 5},
        }

    def start(self) -> SmtpSink:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def to(self, address: str) -> list[email.message.EmailMessage]:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
