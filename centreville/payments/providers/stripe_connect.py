"""Stripe Connect with separate charges and transfers: the customer pays the basket once, on Stripe's
hosted Checkout page (no script of ours or Stripe's runs on our pages), then each shop's connected
account receives its order's share by a Transfer in the basket's transfer group.

Every call that moves money carries an idempotency key made from our own row's id, so that sending it
again after a timeout cannot move the money twice.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, ClassVar

import stripe
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from stripe.params import AccountCreateParams

from centreville.payments.models import Payment, PaymentShare, ShopPaymentAccount
from centreville.shops.models import Shop

from .base import (
    SIGNATURE_TOLERANCE_SECONDS,
    UNREADABLE,
    AccountStatus,
    EventType,
    InvalidWebhook,
    ProviderError,
    ProviderEvent,
    check_timestamp,
    from_cents,
    short_text,
    signed_timestamp,
    to_cents,
)

SIGNATURE_HEADER = "Stripe-Signature"
# An unpaid Checkout Session expires after this (30 minutes is Stripe's shortest), which sends
# `checkout.session.expired`: the orders then go back to payment at pickup.
CHECKOUT_EXPIRES_AFTER_SECONDS = 30 * 60
PAID_SESSION = {"checkout.session.completed", "checkout.session.async_payment_succeeded"}
FAILED_SESSION = {"checkout.session.async_payment_failed", "checkout.session.expired"}
# What is kept of an event: enough to follow a payment, none of the customer's details (name, e-mail,
# address) that a Checkout Session carries.
KEPT_FIELDS = (
    "id",
    "object",
    "status",
    "payment_status",
    "amount_total",
    "amount_refunded",
    "currency",
    "payment_intent",
)


@lru_cache(maxsize=4)
def _client(secret_key: str, http_client: stripe.HTTPClient | None) -> stripe.StripeClient:
    return stripe.StripeClient(secret_key, http_client=http_client, max_network_retries=2)


ACCOUNT_UPDATED = "account.updated"
# What is kept of an account event: its state, none of the merchant's details (name, e-mail, bank).
KEPT_ACCOUNT_FIELDS = ("id", "object", "charges_enabled", "payouts_enabled", "details_submitted")
KEPT_REQUIREMENTS = ("currently_due", "past_due", "pending_verification", "disabled_reason")


def account_status_of(account: Mapping[str, Any]) -> AccountStatus:
    """An Account object (or the `data.object` of an `account.updated` event) as the platform reads it."""
    requirements = account.get("requirements") or {}
    return AccountStatus(
        account_id=str(account["id"]),
        charges_enabled=bool(account.get("charges_enabled")),
        details_submitted=bool(account.get("details_submitted")),
        currently_due=tuple(requirements.get("currently_due") or ()),
        past_due=tuple(requirements.get("past_due") or ()),
        pending_verification=tuple(requirements.get("pending_verification") or ()),
        disabled_reason=str(requirements.get("disabled_reason") or ""),
    )


def _id_of(value: Any) -> str:
    """An id Stripe sends either as a string or, when expanded, as the object itself."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return str(value.get("id", ""))
    return str(getattr(value, "id", "") or "")


class StripeConnectProvider:
    name = "stripe"
    needs_connected_accounts = True
    # The HTTP client the Stripe library talks through; None is the library's own (tests put a fake here).
    http_client: ClassVar[stripe.HTTPClient | None] = None

    def __init__(self, *, secret_key: str, webhook_secret: str) -> None:
        self.webhook_secret = webhook_secret
        self.client = _client(secret_key, self.http_client)

    @classmethod
    def from_settings(cls) -> StripeConnectProvider:
        return cls(secret_key=settings.STRIPE_SECRET_KEY, webhook_secret=settings.STRIPE_WEBHOOK_SECRET)

    def create_charge(
        self, payment: Payment, shares: Sequence[PaymentShare], return_url: str, cancel_url: str
    ) -> tuple[str, str]:
        if not shares:
            return self._open_session(payment, self._single_session(payment), return_url, cancel_url)
        return self._open_session(payment, self._basket_session(payment, shares), return_url, cancel_url)

    def _single_session(self, payment: Payment) -> dict[str, Any]:
        """A payment without orders: one line, the whole amount to the payee's connected account (a
        destination charge: Stripe sends it there once paid), or kept on the platform's without one."""
        intent: dict[str, Any] = {"metadata": {"reference": payment.basket_reference}}
        if payment.payee_account_id:
            intent["transfer_data"] = {"destination": payment.payee_account_id}
        return {
            "client_reference_id": payment.basket_reference,
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": payment.currency,
                        "unit_amount": to_cents(payment.amount),
                        "product_data": {"name": payment.description or payment.basket_reference},
                    },
                }
            ],
            "payment_intent_data": intent,
            "metadata": {"reference": payment.basket_reference},
        }

    def _basket_session(self, payment: Payment, shares: Sequence[PaymentShare]) -> dict[str, Any]:
        return {
            "client_reference_id": payment.basket_reference,
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": payment.currency,
                        "unit_amount": to_cents(share.amount),
                        "product_data": {
                            "name": _("%(shop)s — commande %(reference)s")
                            % {"shop": share.order.shop.name, "reference": share.order.reference}
                        },
                    },
                }
                for share in shares
            ],
            "payment_intent_data": {
                "transfer_group": payment.basket_reference,
                "metadata": {"basket_reference": payment.basket_reference},
            },
            "metadata": {"basket_reference": payment.basket_reference},
        }

    def _open_session(
        self, payment: Payment, params: dict[str, Any], return_url: str, cancel_url: str
    ) -> tuple[str, str]:
        language = translation.get_language() or "fr"
        session_params: Any = {
            "mode": "payment",
            **params,
            "success_url": return_url,
            "cancel_url": cancel_url,
            "expires_at": int(time.time()) + CHECKOUT_EXPIRES_AFTER_SECONDS,
            "locale": "fr" if language.startswith("fr") else "en",
        }
        try:
            session = self.client.v1.checkout.sessions.create(session_params)
        except stripe.StripeError as error:
            raise ProviderError(str(error)) from error
        if not session.url:
            raise ProviderError("Stripe gave no payment page")
        return session.id, session.url

    def _charge_of(self, payment: Payment) -> str:
        intent = self.client.v1.payment_intents.retrieve(payment.charge_reference)
        return _id_of(intent.latest_charge)

    def transfer(self, payment: Payment, share: PaymentShare, *, idempotency_key: str) -> str:
        account = ShopPaymentAccount.objects.filter(
            shop_id=share.order.shop_id, provider=self.name, charges_enabled=True
        ).first()
        if account is None:
            raise ProviderError(f"shop {share.order.shop_id} has no Stripe account ready for payments")
        try:
            transfer = self.client.v1.transfers.create(
                {
                    "amount": to_cents(share.amount),
                    "currency": payment.currency,
                    "destination": account.account_id,
                    "transfer_group": payment.basket_reference,
                    # Tied to the customer's charge, the transfer waits for its funds instead of failing.
                    "source_transaction": self._charge_of(payment),
                    "metadata": {"order": share.order.reference},
                },
                {"idempotency_key": idempotency_key},
            )
        except stripe.StripeError as error:
            raise ProviderError(str(error)) from error
        return transfer.id

    def refund(
        self, payment: Payment, share: PaymentShare | None, amount: Decimal, *, idempotency_key: str
    ) -> str:
        if share is None:
            return self._refund_whole(payment, amount, idempotency_key=idempotency_key)
        try:
            if share.transfer_reference:
                # The shop already received this money: take it back from its account first.
                self.client.v1.transfers.reversals.create(
                    share.transfer_reference,
                    {"amount": to_cents(amount), "metadata": {"order": share.order.reference}},
                    {"idempotency_key": f"{idempotency_key}-reversal"},
                )
            refund = self.client.v1.refunds.create(
                {
                    "payment_intent": payment.charge_reference,
                    "amount": to_cents(amount),
                    "metadata": {"order": share.order.reference},
                },
                {"idempotency_key": idempotency_key},
            )
        except stripe.StripeError as error:
            raise ProviderError(str(error)) from error
        return refund.id

    def _refund_whole(self, payment: Payment, amount: Decimal, *, idempotency_key: str) -> str:
        params: Any = {
            "payment_intent": payment.charge_reference,
            "amount": to_cents(amount),
            "metadata": {"reference": payment.basket_reference},
        }
        if payment.payee_account_id:
            # The payee received the money (destination charge): it is taken back from its account.
            params["reverse_transfer"] = True
        try:
            refund = self.client.v1.refunds.create(params, {"idempotency_key": idempotency_key})
        except stripe.StripeError as error:
            raise ProviderError(str(error)) from error
        return refund.id

    def create_account(self, shop: Shop, *, idempotency_key: str) -> str:
        # Express: Stripe hosts the onboarding and the merchant's dashboard; the shop receives transfers
        # (separate charges and transfers), and card payments make `charges_enabled` meaningful.
        params: AccountCreateParams = {
            "type": "express",
            "country": "FR",
            "capabilities": {"card_payments": {"requested": True}, "transfers": {"requested": True}},
            "business_profile": {"name": shop.name},
            "metadata": {"shop": str(shop.pk), "town": shop.town.slug},
        }
        if shop.email:
            params["email"] = shop.email
        try:
            account = self.client.v1.accounts.create(params, {"idempotency_key": idempotency_key})
        except stripe.StripeError as error:
            raise ProviderError(str(error)) from error
        return account.id

    def account_link(self, account_id: str, *, return_url: str, refresh_url: str) -> str:
        try:
            link = self.client.v1.account_links.create(
                {
                    "account": account_id,
                    "type": "account_onboarding",
                    "return_url": return_url,
                    "refresh_url": refresh_url,
                }
            )
        except stripe.StripeError as error:
            raise ProviderError(str(error)) from error
        return link.url

    def account_status(self, account_id: str) -> AccountStatus:
        try:
            account = self.client.v1.accounts.retrieve(account_id)
        except stripe.StripeError as error:
            raise ProviderError(str(error)) from error
        return account_status_of(account.to_dict())

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> ProviderEvent:
        header = headers.get(SIGNATURE_HEADER, "")
        try:
            # Read in stripe/_webhook.py and stripe/_util.py (stripe 16.1): verify_header compares each
            # signature with secure_compare, which is hmac.compare_digest (constant time), and refuses a
            # timestamp older than the tolerance. It accepts any timestamp in the future, so that side
            # is checked just below.
            stripe.WebhookSignature.verify_header(
                body, header, self.webhook_secret, tolerance=SIGNATURE_TOLERANCE_SECONDS
            )
        except (stripe.SignatureVerificationError, ValueError) as error:  # ValueError: not UTF-8
            raise InvalidWebhook(str(error)) from error
        check_timestamp(signed_timestamp(header), time.time())
        try:
            payload = json.loads(body)
            return self._event(payload)
        except UNREADABLE as error:
            raise InvalidWebhook("unreadable event") from error

    def _event(self, payload: dict[str, Any]) -> ProviderEvent:
        event_type = short_text(payload["type"], 100)
        data = payload["data"]["object"]
        if event_type == ACCOUNT_UPDATED:
            return self._account_event(payload, data)
        kind, reference, amount, charge = EventType.OTHER, short_text(_id_of(data)), None, ""
        if event_type in PAID_SESSION and data.get("payment_status") == "paid":
            kind, amount, charge = (
                EventType.SUCCEEDED,
                data.get("amount_total"),
                short_text(_id_of(data.get("payment_intent"))),
            )
        elif event_type in FAILED_SESSION:
            kind = EventType.FAILED
        elif event_type == "charge.refunded":
            # Refunds are about the charge: it is found by its PaymentIntent, known since it was paid.
            kind, reference, amount = (
                EventType.REFUNDED,
                short_text(_id_of(data.get("payment_intent"))),
                data.get("amount_refunded"),
            )
        return ProviderEvent(
            id=short_text(payload["id"]),
            type=kind,
            provider_reference=reference,
            amount=from_cents(int(amount)) if amount is not None else None,
            created=datetime.fromtimestamp(int(payload["created"]), tz=UTC),
            provider_type=event_type,
            charge_reference=charge,
            currency=str(data.get("currency") or "").lower() or None,
            payload={
                "id": payload["id"],
                "type": event_type,
                "created": payload["created"],
                "object": {key: data[key] for key in KEPT_FIELDS if key in data},
            },
        )

    def _account_event(self, payload: dict[str, Any], data: dict[str, Any]) -> ProviderEvent:
        status = account_status_of(data)
        requirements = data.get("requirements") or {}
        return ProviderEvent(
            id=short_text(payload["id"]),
            type=EventType.ACCOUNT_UPDATED,
            provider_reference=short_text(status.account_id),
            amount=None,
            created=datetime.fromtimestamp(int(payload["created"]), tz=UTC),
            provider_type=ACCOUNT_UPDATED,
            payload={
                "id": payload["id"],
                "type": ACCOUNT_UPDATED,
                "created": payload["created"],
                "object": {key: data[key] for key in KEPT_ACCOUNT_FIELDS if key in data}
                | {
                    "requirements": {
                        key: requirements[key] for key in KEPT_REQUIREMENTS if key in requirements
                    }
                },
            },
            account=status,
        )
