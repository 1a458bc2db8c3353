"""Account e-mails (confirmation, password reset…), rendered in the request and sent by the worker."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_account_email(
    *, subject: str, body: str, from_email: str, to: list[str], html: str = "", headers: dict[str, str]
) -> None:
    message = EmailMultiAlternatives(subject, body, from_email, to, headers=headers)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
