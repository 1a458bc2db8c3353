"""Account e-mails (confirmation, password reset…), rendered in the request and sent by the worker; the
scheduled erasure of personal data kept past its retention period (`retention.py`)."""

from __future__ import annotations

from datetime import datetime

from django.core.mail import EmailMultiAlternatives
from django_tasks import task

from .retention import personal_data_purge


@task()
def send_account_email(
    *, subject: str, body: str, from_email: str, to: list[str], html: str = "", headers: dict[str, str]
) -> None:
    message = EmailMultiAlternatives(subject, body, from_email, to, headers=headers)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


@task()
def purge_personal_data(at: str) -> dict[str, int]:
    """Erase the personal data kept past its retention period at the scheduler's round `at` (ISO 8601)."""
    return personal_data_purge(at=datetime.fromisoformat(at))
