"""Text messages through a provider interface: the SMS_BACKEND setting names the class that sends them."""

from __future__ import annotations

import sys
import threading
from typing import ClassVar, NamedTuple, Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class SmsBackend(Protocol):
    def send(self, to: str, body: str) -> None:
        """Send `body` to the E.164 number `to`; raise on any failure (the message is then retried)."""


class ConsoleSmsBackend:
    """Prints each message instead of sending it, as Django's console e-mail backend does."""

    _lock = threading.Lock()

    def send(self, to: str, body: str) -> None:
        with self._lock:
            sys.stdout.write(f"SMS to {to}\n{body}\n{'-' * 40}\n")
            sys.stdout.flush()


class Sms(NamedTuple):
    to: str
    body: str


class MemorySmsBackend:
    """Keeps every message in `MemorySmsBackend.outbox`, for tests."""

    outbox: ClassVar[list[Sms]] = []

    def send(self, to: str, body: str) -> None:
        self.outbox.append(Sms(to, body))


def sms_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    return backend
