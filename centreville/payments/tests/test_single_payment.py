"""A payment without orders (a sale of the town's vouchers): paid whole to one payee, given back whole."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from centreville.payments.models import Payment, PaymentPurpose, PaymentStatus, Refund
from centreville.payments.providers import FakeProvider
from centreville.payments.services import (
    payment_give_back_whole,
    payment_open_single,
    payment_webhook_receive,
)
from centreville.payments.signals import payment_succeeded
from centreville.towns.tests.factories import TownFactory

from .conftest import RecordingStripeHTTP, session_completed, stripe_delivery

pytestmark = pytest.mark.django_db
RETURN_URL = "http://testserver/villeneuve/bons/acheter/achat/abc/"
CANCEL_URL = RETURN_URL + "?paiement=abandonne"


def _open(payee: str | None = None) -> Payment:
    return payment_open_single(
        town=TownFactory.create(),
        reference="BC-0123456789",
        amount=Decimal("40.00"),
        description="Carte cadeau — 2 × 20,00 €",
        payee_account_id=payee,
        return_url=RETURN_URL,
        cancel_url=CANCEL_URL,
    )


def _pay_fake(payment: Payment) -> None:
    body, headers = FakeProvider().signed_event(
        provider_reference=payment.provider_reference, event_type="payment.succeeded", amount=payment.amount
    )
    payment_webhook_receive(provider_name="fake", body=body, headers=headers)


def test_a_payment_without_orders_is_paid_with_no_order_and_ignored_by_the_orders() -> None:
    payment = _open()
    heard: list[dict[str, Any]] = []

    def listen(sender: Any, **kwargs: Any) -> None:
        heard.append(kwargs)

    payment_succeeded.connect(listen, dispatch_uid="test.single")
    try:
        _pay_fake(payment)
    finally:
        payment_succeeded.disconnect(dispatch_uid="test.single")

    payment.refresh_from_db()
    assert (payment.purpose, payment.status, payment.shares.count()) == (
        PaymentPurpose.VOUCHER_SALE,
        PaymentStatus.PAID,
        0,
    )
    [call] = heard
    assert call["order_ids"] == []
    assert call["payment"].basket_reference == "BC-0123456789"


def test_given_back_whole_once_and_sent_to_the_provider_after_the_commit(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    payment = _open()
    _pay_fake(payment)
    payment.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        payment_give_back_whole(payment=payment)
        payment_give_back_whole(payment=payment)
        payment.save()

    [refund] = Refund.objects.filter(payment=payment)
    assert (refund.order_id, refund.amount, refund.provider_reference) == (
        None,
        Decimal("40.00"),
        f"fake_re_refund-{refund.pk}",
    )
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == (PaymentStatus.REFUNDED, Decimal("40.00"))


def test_below_the_minimum_or_with_payments_off_nothing_is_opened(settings: Any) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="au moins 0,50"):
        payment_open_single(
            town=TownFactory.create(),
            reference="BC-1",
            amount=Decimal("0.20"),
            description="",
            payee_account_id=None,
            return_url=RETURN_URL,
            cancel_url=CANCEL_URL,
        )
    settings.PAYMENT_PROVIDER = "none"
    with pytest.raises(ValidationError, match="n'est pas proposé"):
        _open()
    assert not Payment.objects.exists()


def test_stripe_sends_the_money_to_the_payee_account_and_takes_it_back_from_there(
    stripe_http: RecordingStripeHTTP,
    client: Client,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    payment = _open(payee="acct_holder")

    [call] = stripe_http.requests
    params = call.params
    assert (call.method, call.path) == ("POST", "/v1/checkout/sessions")
    assert params["line_items[0][price_data][unit_amount]"] == "4000"
    assert params["line_items[0][price_data][product_data][name]"] == "Carte cadeau — 2 × 20,00 €"
    assert params["payment_intent_data[transfer_data][destination]"] == "acct_holder"
    assert "payment_intent_data[transfer_group]" not in params
    assert (params["success_url"], params["cancel_url"]) == (RETURN_URL, CANCEL_URL)

    body, headers = stripe_delivery(session_completed("evt_sale", payment.provider_reference, 4000, "pi_9"))
    response = client.post(
        reverse("payments:stripe_webhook"), body, content_type="application/json", headers=headers
    )
    assert response.status_code == 200
    payment.refresh_from_db()
    assert (payment.status, payment.charge_reference) == (PaymentStatus.PAID, "pi_9")
    assert not stripe_http.calls("POST", "/v1/transfers")  # the destination charge pays the payee itself

    with django_capture_on_commit_callbacks(execute=True):
        payment_give_back_whole(payment=payment)
        payment.save()
    [refund_call] = stripe_http.calls("POST", "/v1/refunds")
    assert refund_call.params["payment_intent"] == "pi_9"
    assert refund_call.params["amount"] == "4000"
    assert refund_call.params["reverse_transfer"] == "true"


def test_stripe_without_a_payee_keeps_the_money_on_the_platform(stripe_http: RecordingStripeHTTP) -> None:
    _open(payee=None)
    [call] = stripe_http.requests
    assert not any(key.startswith("payment_intent_data[transfer_data]") for key in call.params)
