"""An e-mail backend for the scale-out rehearsal: Django's file backend, as slow as a mail server, which says
while it sends (a file named after the worker's process id in BENCH_MAIL_DIR/sending/), so that the rehearsal
can kill a worker in the middle of a send."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path

from django.core.mail import EmailMessage
from django.core.mail.backends.filebased import EmailBackend

SEND_SECONDS = 0.05


class SlowFileBackend(EmailBackend):
    file_path: str  # set by Django's file backend (EMAIL_FILE_PATH); its type stubs leave it out

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        # Tasks run in the worker's own process (core.worker): its id names the worker.
        marker = Path(self.file_path) / "sending" / str(os.getpid())
        marker.parent.mkdir(exist_ok=True)
        marker.touch()
        try:
            time.sleep(SEND_SECONDS)
            return super().send_messages(email_messages)
        finally:
            marker.unlink(missing_ok=True)
