"""Webhook deliveries are counted in the platform's metrics: applied, replayed, refused."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from prometheus_client import REGISTRY
from pytest_django import DjangoCaptureOnCommitCallbacks

from centreville.orders.payment import payment_start
from centreville.payments.models import Payment

from .conftest import RecordingStripeHTTP, place_basket, session_completed, stripe_delivery

pytestmark = pytest.mark.django_db
WEBHOOK = reverse("payments:stripe_webhook")


def count(outcome: str, event_type: str = "succeeded") -> float:
    labels = {"provider": "stripe", "type": event_type, "outcome": outcome}
    return REGISTRY.get_sample_value("centreville_webhook_events_total", labels) or 0.0


def test_webhook_events_are_counted_by_outcome(
    client: Client,
    stripe_http: RecordingStripeHTTP,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    basket = place_basket(prices=("12.50",))
    payment_start(orders=basket.orders, return_url="https://x.example/r/", cancel_url="https://x.example/c/")
    payment = Payment.objects.get()
    before = {outcome: count(outcome) for outcome in ("applied", "duplicate")}
    invalid_before = count("invalid", "unknown")
    body, headers = stripe_delivery(session_completed("evt_paid", payment.provider_reference, 1250))
    forged, _ = stripe_delivery(session_completed("evt_2", payment.provider_reference, 1), secret="whsec_x")

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            client.post(WEBHOOK, body, content_type="application/json", headers=headers)
    client.post(WEBHOOK, forged, content_type="application/json", headers=headers)

    assert count("applied") == before["applied"] + 1
    assert count("duplicate") == before["duplicate"] + 1
    assert count("invalid", "unknown") == invalid_before + 1
