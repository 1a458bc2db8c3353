"""An e-mail backend for the scale-out rehearsal: Django's file backend, as slow as a mail server, so that
a worker killed at a random moment is most likely killed in the middle of a send."""

from __future__ import annotations

import time
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.filebased import EmailBackend

SEND_SECONDS = 0.05


class SlowFileBackend(EmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        time.sleep(SEND_SECONDS)
        return super().send_messages(email_messages)
