"""Sending text messages, through a pluggable backend in the manner of Django's e-mail backends.

The setting `REUNIFY_SMS_BACKEND` names the backend class by dotted path:

- `reunify.reminders.sms.ConsoleBackend` writes each message to standard output (development);
- `reunify.reminders.sms.LocmemBackend` keeps them in `reunify.reminders.sms.outbox` (tests);
- `reunify.reminders.sms.DisabledBackend` refuses to send (production until a gateway is set).

A backend for a real gateway subclasses `BaseSMSBackend` and implements `send_messages`
(docs/reminders.md shows one for an HTTP gateway).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass
class SMSMessage:
    to: str  # E.164, e.g. "+13145550123"
    body: str
    reference: str = ""  # Reunify's own id for the message (for delivery reports)
    gateway_id: str = ""  # a backend may set the gateway's id for the message here


class SMSNotConfiguredError(Exception):
    """Raised by DisabledBackend: no gateway is configured."""


class BaseSMSBackend:
    """Subclasses implement `send_messages`; `open` and `close` are for connection reuse."""

    def __init__(self, *, fail_silently: bool = False, **kwargs: Any) -> None:
        self.fail_silently = fail_silently

    def open(self) -> bool | None:
        return None

    def close(self) -> None:
        return None

    def __enter__(self) -> BaseSMSBackend:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send_messages(self, messages: Sequence[SMSMessage]) -> int:
        """Send the messages; return how many the gateway accepted. Raise on failure unless
        `fail_silently`."""
        raise NotImplementedError("SMS backends implement send_messages()")


class ConsoleBackend(BaseSMSBackend):
    def __init__(self, *, stream: TextIO | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def send_messages(self, messages: Sequence[SMSMessage]) -> int:
        with self._lock:
            for message in messages:
                self.stream.write(f"SMS to {message.to}\n{message.body}\n{'-' * 79}\n")
            self.stream.flush()
        return len(messages)


outbox: list[SMSMessage] = []


class LocmemBackend(BaseSMSBackend):
    """Keeps messages in `outbox`, like django.core.mail.backends.locmem; clear it between tests."""

    def send_messages(self, messages: Sequence[SMSMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


class DisabledBackend(BaseSMSBackend):
    def send_messages(self, messages: Sequence[SMSMessage]) -> int:
        if self.fail_silently or not messages:
            return 0
        raise SMSNotConfiguredError("No SMS gateway is configured (REUNIFY_SMS_BACKEND).")


def get_backend(backend: str | None = None, **kwargs: Any) -> BaseSMSBackend:
    """An instance of the configured backend (or the one named by `backend`)."""
    klass = import_string(backend or settings.REUNIFY_SMS_BACKEND)
    return klass(**kwargs)  # type: ignore[no-any-return]


def send_sms(to: str, body: str, *, reference: str = "", fail_silently: bool = False) -> int:
    with get_backend(fail_silently=fail_silently) as backend:
        return backend.send_messages([SMSMessage(to=to, body=body, reference=reference)])
