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
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from centreville.payments.models import Payment, PaymentShare, ProviderName, ShopPaymentAccount
from centreville.shops.models import Shop

from .base import (
    UNREADABLE,
    AccountStatus,
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
    "account.updated": EventType.ACCOUNT_UPDATED,
}
# What a test account lacks until its merchant fills the local onboarding page.
FAKE_ACCOUNT_NEEDS = ("business_profile.url", "external_account", "representative.dob.day")


def _secret() -> str:
    return "centreville.payments.fake:" + settings.SECRET_KEY


def fake_payments_allowed() -> bool:
    """Only the demo and the tests turn PAYMENT_FAKE_ALLOWED on: elsewhere, "paying" here moves no money."""
    return bool(getattr(settings, "PAYMENT_FAKE_ALLOWED", False))


def fake_payment(reference: str) -> Payment | None:
    """A payment to this provider, by the reference its local checkout page is addressed with."""
    return Payment.objects.filter(provider=ProviderName.FAKE, provider_reference=reference).first()


def fake_account_exists(account_id: str) -> bool:
    """Whether a shop's account at this provider has this id (its local onboarding page is addressed with)."""
    return ShopPaymentAccount.objects.filter(provider=ProviderName.FAKE, account_id=account_id).exists()


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

    def refund(
        self, payment: Payment, share: PaymentShare | None, amount: Decimal, *, idempotency_key: str
    ) -> str:
        return f"fake_re_{idempotency_key}"

    def create_account(self, shop: Shop, *, idempotency_key: str) -> str:
        return "fake_acct_" + secrets.token_urlsafe(12)

    def account_link(self, account_id: str, *, return_url: str, refresh_url: str) -> str:
        query = urlencode({"retour": return_url, "reprendre": refresh_url})
        return reverse("payments:fake_onboarding", args=[account_id]) + "?" + query

    def account_status(self, account_id: str) -> AccountStatus:
        """A test account is what its local onboarding page made it: kept on our own row."""
        account = ShopPaymentAccount.objects.filter(provider=self.name, account_id=account_id).first()
        if account is None or not account.details_submitted:
            return AccountStatus(
                account_id=account_id,
                charges_enabled=False,
                details_submitted=False,
                currently_due=FAKE_ACCOUNT_NEEDS,
            )
        return AccountStatus(
            account_id=account_id,
            charges_enabled=account.charges_enabled,
            details_submitted=True,
            currently_due=tuple(account.requirements_due),
            pending_verification=tuple(account.pending_verification),
        )

    def signed_account_event(self, *, account_id: str, complete: bool) -> tuple[bytes, dict[str, str]]:
        """An `account.updated` delivery: the test account is complete (ready for payments) or not."""
        timestamp = int(time.time())
        body = json.dumps(
            {
                "id": f"evt_account_{account_id}_{'complete' if complete else 'incomplete'}_{timestamp}",
                "type": "account.updated",
                "created": timestamp,
                "data": {
                    "reference": account_id,
                    "charges_enabled": complete,
                    "details_submitted": complete,
                    "currently_due": [] if complete else list(FAKE_ACCOUNT_NEEDS),
                },
            }
        ).encode()
        return body, {SIGNATURE_HEADER: signature_header(body, _secret(), timestamp)}

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
            if payload["type"] == "account.updated":
                return self._account_event(payload, data)
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

    def _account_event(self, payload: dict[str, object], data: dict[str, object]) -> ProviderEvent:
        account_id = short_text(data["reference"])
        due = data.get("currently_due") or []
        if not isinstance(due, list):
            raise InvalidWebhook("unreadable requirements")
        return ProviderEvent(
            id=short_text(payload["id"]),
            type=EventType.ACCOUNT_UPDATED,
            provider_reference=account_id,
            amount=None,
            created=datetime.fromtimestamp(int(str(payload["created"])), tz=UTC),
            provider_type="account.updated",
            payload=payload,
            account=AccountStatus(
                account_id=account_id,
                charges_enabled=bool(data.get("charges_enabled")),
                details_submitted=bool(data.get("details_submitted")),
                currently_due=tuple(str(item) for item in due),
            ),
        )
