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

from .base import EventType, InvalidWebhook, ProviderEvent, signature_header, verify_signature_header

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
                "data": {"reference": provider_reference, "amount": str(amount)},
            }
        ).encode()
        return body, {SIGNATURE_HEADER: signature_header(body, _secret(), timestamp)}

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> ProviderEvent:
        verify_signature_header(body, headers.get(SIGNATURE_HEADER, ""), _secret(), time.time())
        try:
            payload = json.loads(body)
            data = payload["data"]
            return ProviderEvent(
                id=str(payload["id"]),
                type=EVENT_TYPES.get(payload["type"], EventType.OTHER),
                provider_reference=str(data["reference"]),
                amount=Decimal(data["amount"]),
                created=datetime.fromtimestamp(int(payload["created"]), tz=UTC),
                provider_type=str(payload["type"]),
                charge_reference=str(data["reference"]),
                payload=payload,
            )
        except (ValueError, KeyError, TypeError, InvalidOperation) as error:
            raise InvalidWebhook("unreadable event") from error
