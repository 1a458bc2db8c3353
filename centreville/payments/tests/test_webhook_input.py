"""Stripe's webhook answers 400 to what it cannot read, never 500, and never marks a payment paid for
another amount or currency than the one asked. Every delivery is signed here, with no network."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from centreville.orders.models import Order, PaymentState
from centreville.orders.payment import payment_start
from centreville.payments.models import Payment, PaymentStatus, WebhookEvent
from centreville.payments.providers import FakeProvider, InvalidWebhook
from centreville.payments.providers.base import signature_header
from centreville.payments.providers.fake import SIGNATURE_HEADER, _secret
from centreville.payments.services import payment_webhook_receive

from .conftest import RecordingStripeHTTP, place_basket, session_completed, stripe_event, stripe_signature

pytestmark = pytest.mark.django_db
WEBHOOK = reverse("payments:stripe_webhook")
RETURN_URL = "https://centreville.example/villeneuve/commande/suivi/abc/"


def deliver(client: Client, body: bytes) -> int:
    """POST a body to the webhook, signed with the right secret whatever it holds."""
    response = client.post(WEBHOOK, body, content_type="application/json", headers=stripe_signature(body))
    return response.status_code


def pending_payment() -> Payment:
    basket = place_basket(prices=("12.50", "7.30"))  # 19.80 €
    payment_start(orders=basket.orders, return_url=RETURN_URL, cancel_url=RETURN_URL)
    return Payment.objects.get()


def completed(payment: Payment, **changes: Any) -> dict[str, Any]:
    event = session_completed("evt_paid", payment.provider_reference, 1980, "pi_42")
    event["data"]["object"].update(changes)
    return event


def assert_still_pending(payment: Payment) -> None:
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert set(Order.objects.values_list("payment_state", flat=True)) == {PaymentState.PENDING}


def test_a_body_that_is_not_utf8_is_refused_with_400(
    client: Client, stripe_http: RecordingStripeHTTP
) -> None:
    body = json.dumps(stripe_event("evt_1", "checkout.session.expired", {"id": "cs_1"})).encode()

    assert deliver(client, body.replace(b"cs_1", b"cs_\xff\xfe")) == 400
    assert deliver(client, b"\xff\xfe\x00{") == 400
    assert not WebhookEvent.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        # An id longer than any we keep
        json.dumps(stripe_event("evt_" + "x" * 300, "checkout.session.expired", {"id": "cs_1"})).encode(),
        json.dumps(stripe_event("evt_1", "checkout.session.expired", {"id": "cs_" + "y" * 300})).encode(),
        json.dumps(stripe_event("evt_1", "t" * 200, {"id": "cs_1"})).encode(),
        # A NUL character, which no database keeps in a text
        json.dumps(stripe_event("evt_\x00", "checkout.session.expired", {"id": "cs_1"})).encode(),
        # Numbers no payment, date or Python float can hold
        json.dumps(
            {**stripe_event("evt_1", "checkout.session.expired", {"id": "cs_1"}), "created": 10**30}
        ).encode(),
        json.dumps(
            {**stripe_event("evt_1", "checkout.session.expired", {"id": "cs_1"}), "created": -(10**30)}
        ).encode(),
        json.dumps(session_completed("evt_1", "cs_1", 1980)).replace("1980", "1e400").encode(),
        json.dumps(session_completed("evt_1", "cs_1", 1980)).replace("1980", "NaN").encode(),
        json.dumps(session_completed("evt_1", "cs_1", 1980)).replace("1980", "9" * 5000).encode(),
        # Nested deeper than a parser goes
        b'{"id": "evt_1", "type": "x", "created": 1, "data": {"object": '
        + b"[" * 100_000
        + b"]" * 100_000
        + b"}}",
    ],
)
def test_signed_events_we_cannot_read_are_refused_with_400(
    client: Client, stripe_http: RecordingStripeHTTP, body: bytes
) -> None:
    assert deliver(client, body) == 400
    assert not WebhookEvent.objects.exists()


def test_a_payment_for_another_amount_is_not_marked_paid_and_is_recorded_for_the_team(
    client: Client, stripe_http: RecordingStripeHTTP, caplog: pytest.LogCaptureFixture
) -> None:
    payment = pending_payment()

    with caplog.at_level(logging.ERROR, logger="centreville.payments"):
        assert deliver(client, json.dumps(completed(payment, amount_total=50)).encode()) == 200

    assert_still_pending(payment)
    event = WebhookEvent.objects.get()
    assert not event.processed
    assert "19.80 EUR attendus, le prestataire annonce 0.50 EUR" in event.problem
    assert "Rien n'est marqué payé" in event.problem
    assert payment.basket_reference in caplog.text
    assert not stripe_http.calls("POST", "/v1/transfers")  # no shop is paid for it either


@pytest.mark.parametrize("changes", [{"currency": "usd"}, {"currency": None}, {"amount_total": None}])
def test_a_payment_in_another_currency_or_of_no_stated_amount_is_not_marked_paid(
    client: Client, stripe_http: RecordingStripeHTTP, changes: dict[str, Any]
) -> None:
    payment = pending_payment()

    assert deliver(client, json.dumps(completed(payment, **changes)).encode()) == 200

    assert_still_pending(payment)
    assert WebhookEvent.objects.get().problem


def test_the_right_amount_and_currency_still_pay(client: Client, stripe_http: RecordingStripeHTTP) -> None:
    payment = pending_payment()

    assert deliver(client, json.dumps(completed(payment, currency="EUR")).encode()) == 200

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert WebhookEvent.objects.get().problem == ""


def test_the_fake_provider_checks_the_amount_too() -> None:
    basket = place_basket(prices=("12.50",))
    payment_start(orders=basket.orders, return_url=RETURN_URL, cancel_url=RETURN_URL)
    payment = Payment.objects.get()
    body, headers = FakeProvider().signed_event(
        provider_reference=payment.provider_reference,
        event_type="payment.succeeded",
        amount=payment.amount / 2,
    )

    payment_webhook_receive(provider_name="fake", body=body, headers=headers)

    assert_still_pending(payment)
    unreadable = body.replace(b'"6.25"', b'"Infinity"')
    signed = {SIGNATURE_HEADER: signature_header(unreadable, _secret(), int(time.time()))}
    with pytest.raises(InvalidWebhook):
        payment_webhook_receive(provider_name="fake", body=unreadable, headers=signed)
