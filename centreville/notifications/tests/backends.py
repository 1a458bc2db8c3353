"""Stand-ins for providers that fail, and an e-mail backend slow enough to let two senders race."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import ClassVar

from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend

from centreville.notifications.sms import MemorySmsBackend


class FlakySmsBackend(MemorySmsBackend):
    """Fails `failures_left` times, then sends into the memory outbox."""

    failures_left: ClassVar[int] = 0

    def send(self, to: str, body: str) -> None:
        if FlakySmsBackend.failures_left > 0:
            FlakySmsBackend.failures_left -= 1
            raise ConnectionError("SMS provider unreachable")
        super().send(to, body)


class SlowEmailBackend(EmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        time.sleep(0.2)
        return super().send_messages(email_messages)
