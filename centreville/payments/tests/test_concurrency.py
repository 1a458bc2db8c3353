"""Deliveries and cancellations at the same moment, each in its own connection: one payment, no deadlock."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial

import pytest
from django.db import connection, connections

from centreville.orders.models import Order, OrderStatus, PaymentState
from centreville.orders.payment import payment_start
from centreville.orders.services import order_transition
from centreville.payments.models import Payment, PaymentShare, PaymentStatus, Refund, WebhookEvent
from centreville.payments.providers import FakeProvider
from centreville.payments.services import payment_webhook_receive

from .conftest import place_basket


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions")
def test_five_concurrent_deliveries_of_one_event_record_one_payment() -> None:
    basket = place_basket(prices=("12.50", "7.30"))
    payment_start(orders=basket.orders, return_url="/retour/", cancel_url="/panier/")
    payment = Payment.objects.get()
    body, headers = FakeProvider().signed_event(
        provider_reference=payment.provider_reference, event_type="payment.succeeded", amount=payment.amount
    )
    start = threading.Barrier(5)
    answers: list[bool] = []
    lock = threading.Lock()

    def deliver() -> None:
        try:
            start.wait()
            recorded = payment_webhook_receive(provider_name="fake", body=body, headers=headers)
            with lock:
                answers.append(recorded)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answers) == [False, False, False, False, True]
    assert WebhookEvent.objects.count() == 1
    assert Payment.objects.get().status == PaymentStatus.PAID
    assert set(Order.objects.values_list("payment_state", flat=True)) == {PaymentState.PAID}
    transfers = list(PaymentShare.objects.values_list("transfer_reference", flat=True))
    assert len(transfers) == 2
    assert all(transfers)  # each share sent once, after the one commit


def at_once(*works: Callable[[], object]) -> list[BaseException]:
    """Run each piece of work in its own thread and connection, all released together; their errors."""
    start = threading.Barrier(len(works))
    errors: list[BaseException] = []

    def run(work: Callable[[], object]) -> None:
        try:
            start.wait()
            work()
        except BaseException as error:  # a deadlock would surface here
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions")
def test_a_cancellation_racing_the_payment_neither_deadlocks_nor_keeps_the_money() -> None:
    for _round in range(5):
        basket = place_basket(prices=("12.50", "7.30"))
        payment_start(orders=basket.orders, return_url="/retour/", cancel_url="/panier/")
        payment = Payment.objects.get(basket_reference=basket.orders[0].basket_reference)
        body, headers = FakeProvider().signed_event(
            provider_reference=payment.provider_reference,
            event_type="payment.succeeded",
            amount=payment.amount,
        )
        cancelled, kept = basket.orders

        errors = at_once(
            partial(
                order_transition,
                order=cancelled,
                to_status=OrderStatus.CANCELLED,
                actor=None,
                as_customer=True,
            ),
            partial(payment_webhook_receive, provider_name="fake", body=body, headers=headers),
        )

        assert errors == []
        # Whichever came first, the cancelled order's share goes back and the other order stays paid.
        assert Refund.objects.get(payment=payment).order_id == cancelled.pk
        assert Order.objects.get(pk=cancelled.pk).payment_state == PaymentState.REFUNDED
        assert Order.objects.get(pk=kept.pk).payment_state == PaymentState.PAID
        assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PARTIALLY_REFUNDED
