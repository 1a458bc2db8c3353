"""Stripe Connect, separate charges and transfers, with every HTTP request caught by a recorder."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from centreville.orders.models import Order, OrderStatus, PaymentChoice, PaymentState
from centreville.orders.payment import payment_start
from centreville.orders.services import order_transition
from centreville.payments.models import Payment, PaymentShare, PaymentStatus, Refund, WebhookEvent
from centreville.payments.services import payments_send_unsent

from .conftest import (
    Basket,
    RecordingStripeHTTP,
    place_basket,
    session_completed,
    stripe_delivery,
    stripe_event,
)

pytestmark = pytest.mark.django_db
RETURN_URL = "https://centreville.example/villeneuve/commande/suivi/abc/"
CANCEL_URL = "https://centreville.example/villeneuve/panier/"
WEBHOOK = reverse("payments:stripe_webhook")


def post_event(client: Client, payload: dict[str, object]) -> int:
    body, headers = stripe_delivery(payload)
    response = client.post(
        WEBHOOK,
        body,
        content_type="application/json",
        headers={"Stripe-Signature": headers["Stripe-Signature"]},
    )
    return response.status_code


def paid_basket(
    client: Client, stripe_http: RecordingStripeHTTP, capture: DjangoCaptureOnCommitCallbacks
) -> tuple[Basket, Payment]:
    basket = place_basket(prices=("12.50", "7.30"))
    payment_start(orders=basket.orders, return_url=RETURN_URL, cancel_url=CANCEL_URL)
    payment = Payment.objects.get()
    with capture(execute=True):
        assert (
            post_event(client, session_completed("evt_paid", payment.provider_reference, 1980, "pi_42"))
            == 200
        )
    return basket, payment


def test_the_charge_is_one_checkout_session_for_the_basket_total_in_cents(
    stripe_http: RecordingStripeHTTP,
) -> None:
    basket = place_basket(prices=("12.50", "7.30"))

    url = payment_start(orders=basket.orders, return_url=RETURN_URL, cancel_url=CANCEL_URL)

    [call] = stripe_http.requests
    assert (call.method, call.path) == ("POST", "/v1/checkout/sessions")
    params = call.params
    assert params["mode"] == "payment"
    assert sorted(int(params[f"line_items[{n}][price_data][unit_amount]"]) for n in range(2)) == [730, 1250]
    assert {params[f"line_items[{n}][price_data][currency]"] for n in range(2)} == {"eur"}
    assert params["payment_intent_data[transfer_group]"] == basket.orders[0].basket_reference
    assert (params["success_url"], params["cancel_url"]) == (RETURN_URL, CANCEL_URL)
    payment = Payment.objects.get()
    assert (payment.provider, payment.provider_reference, payment.amount) == (
        "stripe",
        "cs_test_1",
        Decimal("19.80"),
    )
    assert url == "https://checkout.stripe.com/c/pay/cs_test_1"


def test_a_paid_basket_sends_each_shop_its_share_by_one_transfer(
    client: Client,
    stripe_http: RecordingStripeHTTP,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    basket, payment = paid_basket(client, stripe_http, django_capture_on_commit_callbacks)

    transfers = stripe_http.calls("POST", "/v1/transfers")
    assert sorted((t.params["destination"], int(t.params["amount"])) for t in transfers) == [
        ("acct_shop0", 1250),
        ("acct_shop1", 730),
    ]
    assert {t.params["transfer_group"] for t in transfers} == {basket.orders[0].basket_reference}
    assert {t.params["source_transaction"] for t in transfers} == {"ch_of_pi_42"}
    shares = PaymentShare.objects.order_by("pk")
    assert sorted(t.idempotency_key or "" for t in transfers) == sorted(f"transfer-{s.pk}" for s in shares)
    assert all(share.transfer_reference.startswith("tr_") for share in shares)
    payment.refresh_from_db()
    assert (payment.status, payment.charge_reference) == (PaymentStatus.PAID, "pi_42")
    assert {o.payment_state for o in Order.objects.filter(basket_reference=payment.basket_reference)} == {
        PaymentState.PAID
    }


def test_the_same_webhook_delivered_five_times_is_answered_200_and_handled_once(
    client: Client,
    stripe_http: RecordingStripeHTTP,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    _basket, payment = paid_basket(client, stripe_http, django_capture_on_commit_callbacks)
    replay = session_completed("evt_paid", payment.provider_reference, 1980, "pi_42")

    with django_capture_on_commit_callbacks(execute=True):
        answers = [post_event(client, replay) for _ in range(4)]

    assert answers == [200] * 4
    assert WebhookEvent.objects.filter(event_id="evt_paid").count() == 1
    assert len(stripe_http.calls("POST", "/v1/transfers")) == 2


def test_a_webhook_with_a_bad_signature_is_refused_with_400(
    client: Client, stripe_http: RecordingStripeHTTP
) -> None:
    body, _headers = stripe_delivery(
        session_completed("evt_1", "cs_test_1", 1980), secret="whsec_someone_else"
    )

    response = client.post(WEBHOOK, body, content_type="application/json", headers=_headers)
    unsigned = client.post(WEBHOOK, body, content_type="application/json")

    assert (response.status_code, unsigned.status_code) == (400, 400)
    assert not WebhookEvent.objects.exists()
    assert client.get(WEBHOOK).status_code == 405


def test_an_expired_checkout_puts_the_orders_back_to_payment_at_pickup(
    client: Client, stripe_http: RecordingStripeHTTP
) -> None:
    basket = place_basket()
    payment_start(orders=basket.orders, return_url=RETURN_URL, cancel_url=CANCEL_URL)

    assert post_event(client, stripe_event("evt_exp", "checkout.session.expired", {"id": "cs_test_1"})) == 200

    assert Payment.objects.get().status == PaymentStatus.FAILED
    assert {
        (o.payment, o.payment_state)
        for o in Order.objects.filter(basket_reference=basket.orders[0].basket_reference)
    } == {(PaymentChoice.AT_PICKUP, PaymentState.NONE)}


def test_cancelling_a_paid_order_reverses_its_transfer_and_refunds_the_customer(
    client: Client,
    stripe_http: RecordingStripeHTTP,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    basket, payment = paid_basket(client, stripe_http, django_capture_on_commit_callbacks)
    first = basket.orders[0]
    share = PaymentShare.objects.get(order=first)

    with django_capture_on_commit_callbacks(execute=True):
        order_transition(order=first, to_status=OrderStatus.CANCELLED, actor=None, as_customer=True)

    [reversal] = stripe_http.calls("POST", f"/v1/transfers/{share.transfer_reference}/reversals")
    [refund_call] = stripe_http.calls("POST", "/v1/refunds")
    assert int(reversal.params["amount"]) == 1250
    assert (refund_call.params["payment_intent"], int(refund_call.params["amount"])) == ("pi_42", 1250)
    refund = Refund.objects.get()
    assert refund_call.idempotency_key == f"refund-{refund.pk}"
    assert refund.provider_reference.startswith("re_")
    first.refresh_from_db()
    assert (first.status, first.payment_state) == (OrderStatus.CANCELLED, PaymentState.REFUNDED)

    # Stripe then reports the refund: amounts are cumulative, nothing is counted twice.
    refunded = stripe_event(
        "evt_ref", "charge.refunded", {"id": "ch_1", "payment_intent": "pi_42", "amount_refunded": 1250}
    )
    assert post_event(client, refunded) == 200
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == (PaymentStatus.PARTIALLY_REFUNDED, Decimal("12.50"))


def test_a_refund_stripe_could_not_take_is_sent_again_later_with_the_same_key(
    client: Client,
    stripe_http: RecordingStripeHTTP,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    basket, _payment = paid_basket(client, stripe_http, django_capture_on_commit_callbacks)
    stripe_http.failing.add("/v1/refunds")

    with django_capture_on_commit_callbacks(execute=True):
        order_transition(order=basket.orders[1], to_status=OrderStatus.REFUSED, actor=None, reason="Rupture")

    refund = Refund.objects.get()
    assert refund.provider_reference == ""  # recorded, not sent: the cancellation itself went through
    assert Order.objects.get(pk=basket.orders[1].pk).status == OrderStatus.REFUSED

    stripe_http.failing.clear()
    assert payments_send_unsent() == 1

    refund.refresh_from_db()
    assert refund.provider_reference.startswith("re_")
    assert {call.idempotency_key for call in stripe_http.calls("POST", "/v1/refunds")} == {
        f"refund-{refund.pk}"
    }
    assert payments_send_unsent() == 0


def test_a_share_refunded_before_its_transfer_left_is_never_transferred(
    client: Client,
    stripe_http: RecordingStripeHTTP,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    stripe_http.failing.add("/v1/transfers")
    basket, _payment = paid_basket(client, stripe_http, django_capture_on_commit_callbacks)
    assert set(PaymentShare.objects.values_list("transfer_reference", flat=True)) == {""}

    with django_capture_on_commit_callbacks(execute=True):
        order_transition(
            order=basket.orders[0], to_status=OrderStatus.CANCELLED, actor=None, as_customer=True
        )
    stripe_http.failing.clear()
    payments_send_unsent()

    assert not [call for call in stripe_http.requests if call.path.endswith("/reversals")]
    sent = [call for call in stripe_http.calls("POST", "/v1/transfers") if call.path == "/v1/transfers"]
    assert [call.params["destination"] for call in sent][-1] == "acct_shop1"
    assert PaymentShare.objects.get(order=basket.orders[0]).transfer_reference == ""
    assert PaymentShare.objects.get(order=basket.orders[1]).transfer_reference.startswith("tr_")
