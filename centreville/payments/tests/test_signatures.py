"""Only deliveries signed with our secret, within 5 minutes either side of now, are believed."""

from __future__ import annotations

import json
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from pytest_django.fixtures import Settings

from centreville.payments.checks import payment_settings
from centreville.payments.providers import (
    SIGNATURE_TOLERANCE_SECONDS,
    EventType,
    FakeProvider,
    InvalidWebhook,
    StripeConnectProvider,
    current_provider,
)

from .conftest import RecordingStripeHTTP, session_completed, stripe_delivery, stripe_event, stripe_signature


@pytest.fixture
def stripe_provider(stripe_http: RecordingStripeHTTP) -> StripeConnectProvider:
    return StripeConnectProvider.from_settings()


def test_the_tolerance_is_five_minutes() -> None:
    assert SIGNATURE_TOLERANCE_SECONDS == 5 * 60


def test_a_well_signed_stripe_event_is_read(stripe_provider: StripeConnectProvider) -> None:
    body, headers = stripe_delivery(session_completed("evt_1", "cs_test_9", 1980, intent="pi_9"))

    event = stripe_provider.parse_webhook(body, headers)

    assert (event.id, event.type, event.provider_reference) == ("evt_1", EventType.SUCCEEDED, "cs_test_9")
    assert (event.amount, event.charge_reference) == (Decimal("19.80"), "pi_9")
    assert event.provider_type == "checkout.session.completed"


def test_a_tampered_body_is_refused(stripe_provider: StripeConnectProvider) -> None:
    body, headers = stripe_delivery(session_completed("evt_1", "cs_test_9", 1980))
    tampered = body.replace(b"1980", b"1")

    with pytest.raises(InvalidWebhook):
        stripe_provider.parse_webhook(tampered, headers)


def test_a_signature_made_with_another_secret_is_refused(stripe_provider: StripeConnectProvider) -> None:
    body, headers = stripe_delivery(session_completed("evt_1", "cs_test_9", 1980), secret="whsec_not_ours")

    with pytest.raises(InvalidWebhook):
        stripe_provider.parse_webhook(body, headers)


def test_a_missing_or_garbled_signature_is_refused(stripe_provider: StripeConnectProvider) -> None:
    body, _headers = stripe_delivery(session_completed("evt_1", "cs_test_9", 1980))

    for headers in (
        {},
        {"Stripe-Signature": "n'importe quoi"},
        {"Stripe-Signature": f"t={int(time.time())}"},
    ):
        with pytest.raises(InvalidWebhook):
            stripe_provider.parse_webhook(body, headers)


def test_a_delivery_older_than_five_minutes_is_refused(stripe_provider: StripeConnectProvider) -> None:
    payload = session_completed("evt_1", "cs_test_9", 1980)
    now = int(time.time())

    stripe_provider.parse_webhook(*stripe_delivery(payload, timestamp=now - 290))
    with pytest.raises(InvalidWebhook):
        stripe_provider.parse_webhook(*stripe_delivery(payload, timestamp=now - 301))


def test_a_delivery_dated_beyond_five_minutes_ahead_is_refused(
    stripe_provider: StripeConnectProvider,
) -> None:
    payload = session_completed("evt_1", "cs_test_9", 1980)
    now = int(time.time())

    stripe_provider.parse_webhook(*stripe_delivery(payload, timestamp=now + 290))
    with pytest.raises(InvalidWebhook):
        stripe_provider.parse_webhook(*stripe_delivery(payload, timestamp=now + 400))


def test_a_signed_body_that_is_not_an_event_is_refused(stripe_provider: StripeConnectProvider) -> None:
    for body in (b"pas du json", json.dumps({"id": "evt_1"}).encode()):
        with pytest.raises(InvalidWebhook):
            stripe_provider.parse_webhook(body, stripe_signature(body))


@pytest.mark.parametrize(
    ("event_type", "data", "expected"),
    [
        ("checkout.session.expired", {"id": "cs_1"}, (EventType.FAILED, "cs_1", None)),
        ("checkout.session.async_payment_failed", {"id": "cs_1"}, (EventType.FAILED, "cs_1", None)),
        (
            "checkout.session.async_payment_succeeded",
            {"id": "cs_1", "payment_status": "paid", "amount_total": 500, "payment_intent": "pi_1"},
            (EventType.SUCCEEDED, "cs_1", Decimal("5.00")),
        ),
        # Paid by a slow method (bank transfer): not paid yet, the async event will say.
        (
            "checkout.session.completed",
            {"id": "cs_1", "payment_status": "unpaid"},
            (EventType.OTHER, "cs_1", None),
        ),
        (
            "charge.refunded",
            {"id": "ch_1", "payment_intent": "pi_1", "amount_refunded": 730},
            (EventType.REFUNDED, "pi_1", Decimal("7.30")),
        ),
        ("customer.created", {"id": "cus_1"}, (EventType.OTHER, "cus_1", None)),
    ],
)
def test_stripe_events_are_read_as_what_they_mean_for_a_payment(
    stripe_provider: StripeConnectProvider,
    event_type: str,
    data: dict[str, object],
    expected: tuple[object, ...],
) -> None:
    event = stripe_provider.parse_webhook(*stripe_delivery(stripe_event("evt_1", event_type, data)))

    assert (event.type, event.provider_reference, event.amount) == expected


def test_the_fake_provider_signs_its_events_and_checks_them_the_same_way() -> None:
    provider = FakeProvider()
    body, headers = provider.signed_event(
        provider_reference="fake_abc", event_type="payment.succeeded", amount=Decimal("19.80")
    )

    event = provider.parse_webhook(body, headers)

    assert (event.type, event.provider_reference, event.amount) == (
        EventType.SUCCEEDED,
        "fake_abc",
        Decimal("19.80"),
    )
    with pytest.raises(InvalidWebhook):
        provider.parse_webhook(body.replace(b"19.80", b"0.01"), headers)
    stale = provider.signed_event(
        provider_reference="fake_abc",
        event_type="payment.succeeded",
        amount=Decimal("19.80"),
        timestamp=int(time.time()) - 301,
    )
    with pytest.raises(InvalidWebhook):
        provider.parse_webhook(*stale)


def test_what_is_kept_of_a_stripe_event_leaves_the_customer_out(
    stripe_provider: StripeConnectProvider,
) -> None:
    payload = session_completed("evt_1", "cs_test_9", 1980)
    payload["data"]["object"]["customer_details"] = {"email": "jeanne@example.fr", "name": "Jeanne Martin"}

    event = stripe_provider.parse_webhook(*stripe_delivery(payload))

    assert "jeanne" not in json.dumps(event.payload).lower()
    assert event.payload["object"]["id"] == "cs_test_9"


def test_stripe_without_its_keys_is_reported_at_start(settings: Settings) -> None:
    settings.PAYMENT_PROVIDER = "stripe"
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = "whsec_x"

    assert [error.id for error in payment_settings()] == ["payments.E002"]
    settings.PAYMENT_PROVIDER = "paypal"
    assert [error.id for error in payment_settings()] == ["payments.E001"]


def test_the_fake_provider_is_refused_where_fake_payments_are_not_allowed(settings: Settings) -> None:
    settings.PAYMENT_FAKE_ALLOWED = False
    settings.PAYMENT_PROVIDER = "fake"

    assert [error.id for error in payment_settings()] == ["payments.E003"]
    with pytest.raises(ImproperlyConfigured):
        FakeProvider()
    settings.PAYMENT_PROVIDER = "none"
    assert payment_settings() == []


def test_no_online_payment_is_a_valid_choice(settings: Settings) -> None:
    settings.PAYMENT_PROVIDER = "none"

    assert payment_settings() == []
    with pytest.raises(ImproperlyConfigured):
        current_provider()
