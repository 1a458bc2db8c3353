"""What every payment provider offers the platform, and the signed-webhook check they share."""

from __future__ import annotations

import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from hashlib import sha256
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from centreville.payments.models import Payment, PaymentShare
    from centreville.shops.models import Shop

# A signed event older or newer than this is refused: a captured delivery cannot be replayed later.
SIGNATURE_TOLERANCE_SECONDS = 5 * 60
# The longest id, reference or type an event may carry: what our records keep (WebhookEvent, Payment).
LONGEST_TEXT = 255
# What reading a signed body can raise besides InvalidWebhook, whatever numbers or text it holds.
UNREADABLE = (ValueError, KeyError, TypeError, AttributeError, ArithmeticError, OSError, RecursionError)


class EventType(StrEnum):
    """What an event means for a payment, whatever the provider calls it."""

    SUCCEEDED = "succeeded"
    FAILED = "failed"  # refused, abandoned or expired: nothing was taken
    REFUNDED = "refunded"  # `amount` is then the total refunded so far
    ACCOUNT_UPDATED = "account_updated"  # a shop's account changed: `account` says how it is now
    OTHER = "other"


@dataclass(frozen=True)
class AccountStatus:
    """Where a shop's account at the provider stands (Stripe: the Account's flags and requirements)."""

    account_id: str
    charges_enabled: bool
    details_submitted: bool
    currently_due: tuple[str, ...] = ()
    past_due: tuple[str, ...] = ()
    pending_verification: tuple[str, ...] = ()
    disabled_reason: str = ""

    @property
    def due(self) -> list[str]:
        """What the shop still has to give, past due first, each once."""
        return list(dict.fromkeys((*self.past_due, *self.currently_due)))


@dataclass(frozen=True)
class ProviderEvent:
    id: str
    type: EventType
    provider_reference: str
    amount: Decimal | None
    created: datetime
    provider_type: str = ""  # the provider's own name for the event, kept for the record
    charge_reference: str = ""  # the charge behind a paid event (Stripe: the PaymentIntent)
    payload: Mapping[str, Any] = field(default_factory=dict)
    account: AccountStatus | None = None  # for ACCOUNT_UPDATED
    currency: str | None = None  # of `amount`, lower case ("eur")


class InvalidWebhook(Exception):
    """The request does not come from the provider (bad or stale signature) or cannot be read."""


class ProviderError(Exception):
    """The provider could not do what was asked; the caller may try again later."""


class PaymentProvider(Protocol):
    name: str
    # Whether each shop needs its own account at the provider before it can be paid online.
    needs_connected_accounts: bool

    def create_charge(
        self, payment: Payment, shares: Sequence[PaymentShare], return_url: str, cancel_url: str
    ) -> tuple[str, str]:
        """Open a charge for the payment; return (provider_reference, URL where the customer pays). A payment
        without orders (no shares) is paid whole to its `payee_account_id`, or to the platform."""
        ...

    def transfer(self, payment: Payment, share: PaymentShare, *, idempotency_key: str) -> str:
        """Send a shop its share of a paid payment; return the transfer's reference."""
        ...

    def refund(
        self, payment: Payment, share: PaymentShare | None, amount: Decimal, *, idempotency_key: str
    ) -> str:
        """Give `amount` of a share (or, without a share, of a payment without orders) back to the customer;
        return the refund's reference."""
        ...

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> ProviderEvent:
        """The event in a delivery, after checking its signature; raises InvalidWebhook."""
        ...

    def create_account(self, shop: Shop, *, idempotency_key: str) -> str:
        """Open the shop's account, where its share of online payments goes; return the account's id."""
        ...

    def account_link(self, account_id: str, *, return_url: str, refresh_url: str) -> str:
        """A one-time address of the provider's hosted onboarding for this account (Stripe: an Account
        Link); the merchant comes back to `return_url`, or to `refresh_url` when the link has expired."""
        ...

    def account_status(self, account_id: str) -> AccountStatus:
        """The account as the provider sees it now."""
        ...


def short_text(value: Any, limit: int = LONGEST_TEXT) -> str:
    """A text of the event as we keep it; InvalidWebhook when it is longer than `limit` or holds a NUL."""
    text = str(value)
    if len(text) > limit or "\x00" in text:
        raise InvalidWebhook("an id, reference or type is too long or holds a NUL character")
    return text


def to_cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def from_cents(cents: int) -> Decimal:
    """Raises ArithmeticError (decimal.InvalidOperation) for an amount beyond any payment's."""
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def signature_header(body: bytes, secret: str, timestamp: int) -> str:
    """A `t=…,v1=…` header: HMAC-SHA256 of "timestamp.body", the scheme Stripe uses."""
    signed = f"{timestamp}.".encode() + body
    return f"t={timestamp},v1={hmac.new(secret.encode(), signed, sha256).hexdigest()}"


def signed_timestamp(header: str) -> int:
    """The `t=` part of a signature header; raises InvalidWebhook when there is none."""
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            return int(value)
    raise InvalidWebhook("no timestamp in the signature header")


def check_timestamp(timestamp: int, now: float, tolerance: int = SIGNATURE_TOLERANCE_SECONDS) -> None:
    if abs(now - timestamp) > tolerance:
        raise InvalidWebhook("timestamp outside the tolerance")


def verify_signature_header(body: bytes, header: str, secret: str, now: float) -> None:
    """Accept the body only if one v1 signature matches (compared in constant time) and it is recent."""
    timestamp = signed_timestamp(header)
    expected = signature_header(body, secret, timestamp).rpartition("v1=")[2]
    signatures = [
        value for key, _, value in (part.strip().partition("=") for part in header.split(",")) if key == "v1"
    ]
    if not any(hmac.compare_digest(expected, signature) for signature in signatures):
        raise InvalidWebhook("no matching signature")
    check_timestamp(timestamp, now)
