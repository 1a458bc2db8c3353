"""The e-mails of training sessions, written out by the worker in the town's time zone: a seat freed for
someone waiting, a session cancelled, the reminder the day before. Every link is absolute (`core.links`),
and each message links to the session's calendar file (.ics) to add it to a diary."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from centreville.core.channels import Channel
from centreville.core.links import absolute_url
from centreville.notifications.messages import Message
from centreville.notifications.models import Audience

from .models import Registration

TEMPLATES = "support/training/email"


def training_messages(*, kind: str, registration_ids: Sequence[int]) -> list[Message]:
    """One e-mail to each of these registrants about their session; none to an account without a valid
    address. The key names the session's version, so a reminder after a change of date is a new message."""
    registrations = (
        Registration.objects.filter(pk__in=list(registration_ids))
        .select_related("session__town", "user", "shop")
        .order_by("pk")
    )
    messages = []
    for registration in registrations:
        address = registration.user.email.strip().lower()
        try:
            validate_email(address)
        except ValidationError:
            continue
        session = registration.session
        key = f"{kind}:{registration.pk}:{session.sequence}:email:{address}"
        context = _context(registration, kind=kind)
        with translation.override(settings.LANGUAGE_CODE), timezone.override(session.town.timezone):
            subject = " ".join(render_to_string(f"{TEMPLATES}/{kind}_subject.txt", context).split())
            body = re.sub(
                r"\n{3,}", "\n\n", render_to_string(f"{TEMPLATES}/{kind}_body.txt", context).strip()
            )
            body += "\n"
        messages.append(
            Message(
                key=key,
                kind=kind,
                audience=Audience.MERCHANT,
                channel=Channel.EMAIL,
                recipient=address,
                subject=subject[:250],
                body=body,
                order_id=None,
            )
        )
    return messages


def _context(registration: Registration, *, kind: str) -> dict[str, Any]:
    session = registration.session
    town = session.town
    return {
        "kind": kind,
        "registration": registration,
        "session": session,
        "town": town,
        "platform": settings.PLATFORM_NAME,
        "ics_url": absolute_url(reverse("support_public:training_ics", args=[town.slug, session.pk])),
        "page_url": absolute_url(reverse("support_merchant:training_list", args=[town.slug])),
    }
