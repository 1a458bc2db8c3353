"""How django-allauth treats our accounts.

- The client's address is the one our reverse proxies report (TRUSTED_PROXY_COUNT), as for every limit.
- Links in account e-mails (confirmation, password reset, sign-up) are built on PUBLIC_BASE_URL, never
  on the Host header of the request that caused them: a forged Host would otherwise send a reset link
  to another server (host-header poisoning).
- Every account e-mail is rendered in the request, in the person's language, then sent by the task
  queue: sign-up and password reset answer in the same time whether the address is known or not.
- A new password (changed or reset) goes through `user_password_set`, which revokes API tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import HttpRequest

from centreville.core.clientip import client_ip
from centreville.core.links import absolute_url, public_host

from .services import user_password_set
from .tasks import send_account_email


@dataclass(frozen=True)
class PublicSite:
    """What allauth's templates call `current_site`: the platform, at its public address."""

    name: str
    domain: str


def public_site() -> PublicSite:
    return PublicSite(name=settings.PLATFORM_NAME, domain=public_host())


def on_public_address(url: str) -> str:
    """The same page as `url`, on PUBLIC_BASE_URL whatever host `url` was built on."""
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return absolute_url((parts.path or "/") + query + fragment)


class AccountAdapter(DefaultAccountAdapter):
    def set_password(self, user: Any, password: str) -> None:
        """A password change or reset also revokes what the old password let people make (API tokens)."""
        user_password_set(user=user, password=password)

    def get_client_ip(self, request: HttpRequest) -> str:
        """The address rate limits count by: the same as every other limit of ours (TRUSTED_PROXY_COUNT)."""
        return client_ip(request)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render the message now, with links on the public address; the task queue sends it after commit."""
        links = {
            key: on_public_address(value)
            for key, value in context.items()
            if key.endswith("_url") and isinstance(value, str) and value
        }
        fields = {"request": allauth_context.request, "email": email, **context, **links}
        message = self.render_mail(template_prefix, email, {**fields, "current_site": public_site()})
        queue_account_email(message)


def queue_account_email(message: EmailMessage) -> None:
    """Send `message` from the task queue once the current transaction commits."""
    alternatives = getattr(message, "alternatives", [])
    subject, body, from_email = str(message.subject), str(message.body), str(message.from_email)
    to = [str(address) for address in message.to]
    html = next((str(content) for content, mimetype in alternatives if mimetype == "text/html"), "")
    headers = {str(key): str(value) for key, value in (message.extra_headers or {}).items()}
    transaction.on_commit(
        lambda: send_account_email.enqueue(
            subject=subject, body=body, from_email=from_email, to=to, html=html, headers=headers
        )
    )
