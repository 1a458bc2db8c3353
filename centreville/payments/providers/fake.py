"""A provider that never leaves this server: the demo and the tests pay on a local page.

Its events are signed like a provider's webhooks and go through the same code, so that a double click
on "Payer" is deduplicated exactly as a replayed webhook would be.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from centreville.payments.models import Payment, PaymentShare

from .base import (
    UNREADABLE,
    EventType,
    InvalidWebhook,
    ProviderEvent,
    short_text,
    signature_header,
    verify_signature_header,
)

SIGNATURE_HEADER = "Fake-Signature"
EVENT_TYPES = {
    "payment.succeeded": EventType.SUCCEEDED,
    "payment.failed": EventType.FAILED,
    "payment.refunded": EventType.REFUNDED,
}


def _secret() -> str:
    return "centreville.payments.fake:" + settings.SECRET_KEY


def fake_payments_allowed() -> bool:
    """Only the demo and the tests turn PAYMENT_FAKE_ALLOWED on: elsewhere, "paying" here moves no money."""
    return bool(getattr(settings, "PAYMENT_FAKE_ALLOWED", False))


class FakeProvider:
    """Refuses to exist (ImproperlyConfigured) where fake payments are not allowed."""

    name = "fake"
    needs_connected_accounts = False

    def __init__(self) -> None:
        if not fake_payments_allowed():
            raise ImproperlyConfigured("The fake payment provider runs only with PAYMENT_FAKE_ALLOWED on.")

    def create_charge(
        self, payment: Payment, shares: Sequence[PaymentShare], return_url: str, cancel_url: str
    ) -> tuple[str, str]:
        reference = "fake_" + secrets.token_urlsafe(18)
        return reference, reverse("payments:fake_checkout", args=[reference])

    def transfer(self, payment: Payment, share: PaymentShare, *, idempotency_key: str) -> str:
        return f"fake_tr_{idempotency_key}"

    def refund(self, payment: Payment, share: PaymentShare, amount: Decimal, *, idempotency_key: str) -> str:
        return f"fake_re_{idempotency_key}"

    def signed_event(
        self, *, provider_reference: str, event_type: str, amount: Decimal, timestamp: int | None = None
    ) -> tuple[bytes, dict[str, str]]:
        """A delivery as a provider would send it; one event id per payment and outcome."""
        timestamp = int(time.time()) if timestamp is None else timestamp
        body = json.dumps(
            {
                "id": f"evt_{event_type}_{provider_reference}",
                "type": event_type,
                "created": timestamp,
                "data": {"reference": provider_reference, "amount": str(amount), "currency": "eur"},
            }
        ).encode()
        return body, {SIGNATURE_HEADER: signature_header(body, _secret(), timestamp)}

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> ProviderEvent:
        verify_signature_header(body, headers.get(SIGNATURE_HEADER, ""), _secret(), time.time())
        try:
            payload = json.loads(body)
            data = payload["data"]
            amount = Decimal(data["amount"])
            if not amount.is_finite():
                raise InvalidWebhook("the amount is not a number")
            return ProviderEvent(
                id=short_text(payload["id"]),
                type=EVENT_TYPES.get(payload["type"], EventType.OTHER),
                provider_reference=short_text(data["reference"]),
                amount=amount,
                created=datetime.fromtimestamp(int(payload["created"]), tz=UTC),
                provider_type=short_text(payload["type"], 100),
                charge_reference=short_text(data["reference"]),
                payload=payload,
                currency=str(data.get("currency", "")).lower() or None,
            )
        except (*UNREADABLE, InvalidOperation) as error:
            raise InvalidWebhook("unreadable event") from error
