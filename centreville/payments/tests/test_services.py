"""Paying a basket online with the local fake provider: start, events in any order and any number, refunds."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from pytest_django import DjangoCaptureOnCommitCallbacks
from pytest_django.fixtures import Settings

from centreville.fulfilment.models import TownOrderSettings
from centreville.orders.models import Order, OrderStatus, PaymentChoice, PaymentState
from centreville.orders.payment import payment_start
from centreville.orders.services import order_transition
from centreville.payments.models import (
    Payment,
    PaymentShare,
    PaymentStatus,
    Refund,
    ShopPaymentAccount,
    WebhookEvent,
)
from centreville.payments.providers import FakeProvider
from centreville.payments.services import (
    online_payment_available,
    payment_record_event,
    payment_webhook_receive,
)
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.tests.factories import TownFactory

from .conftest import Basket, place_basket

pytestmark = pytest.mark.django_db
RETURN_URL = "/villeneuve/commande/suivi/abc/"
CANCEL_URL = "/villeneuve/panier/"


def start(basket: Basket) -> Payment:
    payment_start(orders=basket.orders, return_url=RETURN_URL, cancel_url=CANCEL_URL)
    return Payment.objects.get(
        basket_reference=basket.orders[0].basket_reference, status=PaymentStatus.PENDING
    )


def deliver(payment: Payment, event_type: str, amount: Decimal | None = None) -> bool:
    """The fake provider's signed event, through the same door as a provider's webhook."""
    body, headers = FakeProvider().signed_event(
        provider_reference=payment.provider_reference,
        event_type=event_type,
        amount=payment.amount if amount is None else amount,
    )
    return payment_webhook_receive(provider_name="fake", body=body, headers=headers)


def payment_states(basket: Basket) -> list[tuple[str, str]]:
    return [
        (o.payment, o.payment_state)
        for o in Order.objects.filter(pk__in=[o.pk for o in basket.orders]).order_by("pk")
    ]


def test_starting_a_payment_opens_one_charge_for_the_whole_basket() -> None:
    basket = place_basket(prices=("12.50", "7.30"))

    url = payment_start(orders=basket.orders, return_url=RETURN_URL, cancel_url=CANCEL_URL)

    payment = Payment.objects.get()
    assert url == f"/paiement/essai/{payment.provider_reference}/"
    assert (payment.amount, payment.currency, payment.status, payment.provider) == (
        Decimal("19.80"),
        "eur",
        PaymentStatus.PENDING,
        "fake",
    )
    assert sorted(share.amount for share in payment.shares.all()) == [Decimal("7.30"), Decimal("12.50")]
    assert payment_states(basket) == [(PaymentChoice.ONLINE, PaymentState.PENDING)] * 2
    assert basket.orders[0].payment_state == PaymentState.PENDING  # the caller's objects too


def test_asking_again_gives_the_same_page_and_no_second_charge() -> None:
    basket = place_basket()

    first = payment_start(orders=basket.orders, return_url=RETURN_URL, cancel_url=CANCEL_URL)
    second = payment_start(orders=basket.orders, return_url=RETURN_URL, cancel_url=CANCEL_URL)

    assert first == second
    assert Payment.objects.count() == 1


def test_a_payment_cannot_start_where_it_is_not_offered_or_too_small(settings: Settings) -> None:
    small = place_basket(prices=("0.20", "0.20"))
    with pytest.raises(ValidationError, match="au moins 0,50 €"):
        payment_start(orders=small.orders, return_url=RETURN_URL, cancel_url=CANCEL_URL)

    not_offered = place_basket()
    TownOrderSettings.objects.filter(town_id=not_offered.town_id).update(online_payment_enabled=False)
    with pytest.raises(ValidationError, match="pas proposé"):
        payment_start(orders=not_offered.orders, return_url=RETURN_URL, cancel_url=CANCEL_URL)

    mixed = place_basket().orders[:1] + place_basket().orders[:1]
    with pytest.raises(ValidationError, match="un seul panier"):
        payment_start(orders=mixed, return_url=RETURN_URL, cancel_url=CANCEL_URL)
    assert not Payment.objects.exists()
    assert payment_states(not_offered) == [(PaymentChoice.AT_PICKUP, PaymentState.NONE)] * 2


def test_online_payment_is_available_where_the_town_offers_it_and_every_shop_can_be_paid(
    settings: Settings,
) -> None:
    town = TownFactory.create()
    TownOrderSettings.objects.create(town=town, online_payment_enabled=True)
    ready, not_ready = ShopFactory.create(town=town), ShopFactory.create(town=town)
    ShopPaymentAccount.objects.create(shop=ready, account_id="acct_ready", charges_enabled=True)
    ShopPaymentAccount.objects.create(shop=not_ready, account_id="acct_later", charges_enabled=False)
    elsewhere = TownFactory.create()  # no settings: pay at pickup only

    assert online_payment_available(town, [ready, not_ready])  # the fake provider pays any shop
    assert not online_payment_available(elsewhere)
    settings.PAYMENT_PROVIDER = "stripe"
    assert online_payment_available(town, [ready])
    assert not online_payment_available(town, [ready, not_ready])
    assert not online_payment_available(town, [ShopFactory.create(town=town)])


def test_the_same_event_delivered_five_times_records_one_payment(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    basket = place_basket()
    payment = start(basket)

    with django_capture_on_commit_callbacks(execute=True):
        answers = [deliver(payment, "payment.succeeded") for _ in range(5)]

    assert answers == [True, False, False, False, False]
    assert WebhookEvent.objects.filter(provider="fake").count() == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert payment_states(basket) == [(PaymentChoice.ONLINE, PaymentState.PAID)] * 2
    # Each shop's share was sent once, under a key that makes sending it again harmless.
    assert sorted(PaymentShare.objects.values_list("transfer_reference", flat=True)) == sorted(
        f"fake_tr_transfer-{share.pk}" for share in payment.shares.all()
    )


def test_a_payment_is_paid_once_even_when_two_events_say_so() -> None:
    basket = place_basket()
    payment = start(basket)
    body, headers = FakeProvider().signed_event(
        provider_reference=payment.provider_reference, event_type="payment.succeeded", amount=payment.amount
    )
    event = FakeProvider().parse_webhook(body, headers)
    other = type(event)(**{**event.__dict__, "id": "evt_another_delivery_of_the_news"})

    assert payment_record_event(provider_name="fake", event=event) is True
    assert payment_record_event(provider_name="fake", event=other) is True  # new event, nothing to change

    assert list(WebhookEvent.objects.order_by("pk").values_list("processed", flat=True)) == [True, False]
    assert Payment.objects.get().status == PaymentStatus.PAID


def test_a_success_arriving_after_the_refund_does_not_revive_the_payment() -> None:
    basket = place_basket()
    payment = start(basket)

    deliver(payment, "payment.refunded")
    deliver(payment, "payment.succeeded")

    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == (PaymentStatus.REFUNDED, payment.amount)
    assert payment_states(basket) == [(PaymentChoice.ONLINE, PaymentState.REFUNDED)] * 2
    assert list(WebhookEvent.objects.order_by("pk").values_list("type", "processed")) == [
        ("payment.refunded", True),
        ("payment.succeeded", False),
    ]


def test_a_failed_payment_lets_the_customer_pay_at_pickup_or_try_again() -> None:
    basket = place_basket()
    failed = start(basket)

    deliver(failed, "payment.failed")
    deliver(failed, "payment.succeeded")  # late and out of order: a failed payment stays failed

    failed.refresh_from_db()
    assert failed.status == PaymentStatus.FAILED
    assert not failed.shares.exists()
    assert payment_states(basket) == [(PaymentChoice.AT_PICKUP, PaymentState.NONE)] * 2
    retry = start(basket)
    assert retry.pk != failed.pk
    deliver(retry, "payment.succeeded")
    assert payment_states(basket) == [(PaymentChoice.ONLINE, PaymentState.PAID)] * 2


def test_a_refused_or_cancelled_order_gets_its_share_back(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    basket = place_basket(prices=("12.50", "7.30"))
    payment = start(basket)
    deliver(payment, "payment.succeeded")
    first, second = basket.orders

    with django_capture_on_commit_callbacks(execute=True):
        order_transition(order=first, to_status=OrderStatus.CANCELLED, actor=None, as_customer=True)

    refund = Refund.objects.get()
    assert (refund.order_id, refund.amount, refund.provider_reference) == (
        first.pk,
        Decimal("12.50"),
        f"fake_re_refund-{refund.pk}",
    )
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == (PaymentStatus.PARTIALLY_REFUNDED, Decimal("12.50"))
    assert payment_states(basket) == [
        (PaymentChoice.ONLINE, PaymentState.REFUNDED),
        (PaymentChoice.ONLINE, PaymentState.PAID),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        order_transition(order=second, to_status=OrderStatus.REFUSED, actor=None, reason="Rupture")

    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == (PaymentStatus.REFUNDED, Decimal("19.80"))
    assert Refund.objects.count() == 2


def test_an_order_cancelled_while_the_customer_pays_is_refunded_when_the_payment_arrives(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    basket = place_basket(prices=("12.50", "7.30"))
    payment = start(basket)
    first, _second = basket.orders
    order_transition(order=first, to_status=OrderStatus.CANCELLED, actor=None, as_customer=True)
    assert not Refund.objects.exists()  # nothing was taken yet

    with django_capture_on_commit_callbacks(execute=True):
        deliver(payment, "payment.succeeded")

    assert Refund.objects.get().order_id == first.pk
    assert Refund.objects.get().provider_reference
    assert payment_states(basket) == [
        (PaymentChoice.ONLINE, PaymentState.REFUNDED),
        (PaymentChoice.ONLINE, PaymentState.PAID),
    ]
    # The cancelled order's share never reaches its shop.
    assert PaymentShare.objects.get(order=first).transfer_reference == ""
    assert PaymentShare.objects.get(order=_second).transfer_reference


def test_an_order_paid_at_pickup_is_not_refunded_online() -> None:
    basket = place_basket()

    order_transition(order=basket.orders[0], to_status=OrderStatus.CANCELLED, actor=None, as_customer=True)

    assert not Refund.objects.exists()
    assert payment_states(basket)[0] == (PaymentChoice.AT_PICKUP, PaymentState.NONE)


def test_an_event_about_a_payment_we_do_not_know_is_kept_and_changes_nothing() -> None:
    body, headers = FakeProvider().signed_event(
        provider_reference="fake_unknown", event_type="payment.succeeded", amount=Decimal("3.00")
    )

    assert payment_webhook_receive(provider_name="fake", body=body, headers=headers) is True

    assert WebhookEvent.objects.get().processed is False


def test_an_order_the_shop_cancels_or_nobody_collects_after_accepting_is_refunded(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    basket = place_basket(prices=("12.50", "7.30"))
    payment = start(basket)
    deliver(payment, "payment.succeeded")
    first, second = basket.orders
    for order in basket.orders:
        order_transition(order=order, to_status=OrderStatus.ACCEPTED, actor=None)
    order_transition(order=second, to_status=OrderStatus.READY, actor=None)

    with django_capture_on_commit_callbacks(execute=True):
        order_transition(
            order=first,
            to_status=OrderStatus.SHOP_CANCELLED,
            actor=None,
            reason="Article abîmé",
            unavailable_lines=[first.lines.get().pk],
        )
    with django_capture_on_commit_callbacks(execute=True):
        order_transition(order=second, to_status=OrderStatus.NOT_COLLECTED, actor=None, reason="Absent")

    assert sorted((refund.order_id, refund.amount) for refund in Refund.objects.all()) == [
        (first.pk, Decimal("12.50")),
        (second.pk, Decimal("7.30")),
    ]
    assert all(refund.provider_reference for refund in Refund.objects.all())
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    assert payment_states(basket) == [(PaymentChoice.ONLINE, PaymentState.REFUNDED)] * 2
