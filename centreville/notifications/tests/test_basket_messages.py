"""Fewer messages, where the customer wants them: one confirmation for a basket across shops, then one per
order when it changes, on the channel the customer chose; the merchants keep their per-order messages."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from centreville.accounts.tests.factories import UserFactory
from centreville.baskets.models import Basket
from centreville.baskets.tests.factories import (
    NOW,
    BasketFactory,
    BasketLineFactory,
    every_way,
    pickup,
    shop_taking_orders,
    town_taking_orders,
)
from centreville.catalogue.tests.factories import ProductFactory
from centreville.fulfilment.services import FulfilmentChoice
from centreville.notifications.sms import Sms
from centreville.orders.checkout import CheckoutResult, checkout
from centreville.orders.contact import CustomerContact
from centreville.orders.models import ContactPreference, OrderStatus
from centreville.orders.services import order_transition
from centreville.shops.tests.factories import ShopMembershipFactory

pytestmark = pytest.mark.django_db

CUSTOMER_MOBILE = "+33612345678"
# The basket's locker and delivery are paid online.
PAID_ONLINE: dict[str, Any] = {
    "pay_online": True,
    "return_url": "http://testserver/suivi/",
    "cancel_url": "http://testserver/suivi/",
    "now": NOW,
}


def four_shop_basket() -> tuple[Basket, dict[int, FulfilmentChoice], list[Any]]:
    town, places = town_taking_orders()
    basket = BasketFactory.create(town=town)
    shops = [
        shop_taking_orders(town, name=f"Commerce {n}", phone=f"+3361122334{n}", email=f"shop{n}@example.fr")
        for n in range(4)
    ]
    for shop in shops:
        BasketLineFactory.create(
            basket=basket, product=ProductFactory.create(shop=shop, stock=10, price=Decimal("4.00"))
        )
    merchants = [ShopMembershipFactory.create(shop=shop).user for shop in shops]
    return basket, every_way(shops, places), merchants


def to_customer(outbox: list[Sms]) -> list[Sms]:
    return [sms for sms in outbox if sms.to == CUSTOMER_MOBILE]


def test_a_four_shop_basket_sends_the_customer_one_sms_then_one_per_change(
    sms_outbox: list[Sms], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    basket, choices, merchants = four_shop_basket()

    with django_capture_on_commit_callbacks(execute=True):
        result = checkout(
            basket=basket,
            customer=None,
            customer_name="Jeanne Martin",
            customer_contact="06 12 34 56 78",
            choices=choices,
            **PAID_ONLINE,
        )

    [confirmation] = to_customer(sms_outbox)
    for order in result.orders:
        assert order.reference in confirmation.body
        assert order.shop.name in confirmation.body
    assert f"http://testserver/{basket.town.slug}/commande/" in confirmation.body  # absolute, worker-made
    # Each merchant still hears of their own order, on their own phone.
    assert sorted(sms.to for sms in sms_outbox if sms.to != CUSTOMER_MOBILE) == [
        f"+3361122334{n}" for n in range(4)
    ]

    with django_capture_on_commit_callbacks(execute=True):
        order_transition(order=result.orders[0], to_status=OrderStatus.ACCEPTED, actor=merchants[0])
    with django_capture_on_commit_callbacks(execute=True):
        order_transition(order=result.orders[1], to_status=OrderStatus.ACCEPTED, actor=merchants[1])

    customer_sms = to_customer(sms_outbox)
    assert len(customer_sms) == 3
    assert result.orders[0].reference in customer_sms[1].body
    assert result.orders[1].reference in customer_sms[2].body


def test_a_customer_who_gave_both_is_told_on_the_channel_they_chose(
    sms_outbox: list[Sms], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    basket, choices, merchants = four_shop_basket()
    contact = CustomerContact(email="jeanne@example.fr", phone=CUSTOMER_MOBILE, notify_by="email")

    with django_capture_on_commit_callbacks(execute=True):
        result: CheckoutResult = checkout(
            basket=basket,
            customer=None,
            customer_name="Jeanne Martin",
            customer_contact="",
            contact=contact,
            choices=choices,
            **PAID_ONLINE,
        )
    with django_capture_on_commit_callbacks(execute=True):
        order_transition(order=result.orders[2], to_status=OrderStatus.ACCEPTED, actor=merchants[2])

    assert to_customer(sms_outbox) == []
    to_jeanne = [message for message in mail.outbox if message.to == ["jeanne@example.fr"]]
    assert [message.subject for message in to_jeanne] == [
        f"Panier {result.basket_reference} enregistré : 4 commandes",
        f"Commande {result.orders[2].reference} acceptée par Commerce 2",
    ]
    assert result.orders[0].customer_contact == "jeanne@example.fr"
    assert (result.orders[0].customer_phone, result.orders[0].notify_by) == (CUSTOMER_MOBILE, "email")


class CheckoutPage:
    def __init__(self, client: Client) -> None:
        town, _places = town_taking_orders()
        self.town = town
        self.shop = shop_taking_orders(town, name="Fromagerie")
        self.client = client
        product = ProductFactory.create(shop=self.shop, stock=10, price=Decimal("4.00"))
        client.post(f"/{town.slug}/panier/ajouter/", {"product": product.pk, "quantity": "1"})

    def post(self, **contact: str) -> Any:
        slot = pickup(self.shop, now=timezone.now()).slot_start  # the page reads the clock
        assert slot is not None
        data = {
            "customer_name": "Jeanne Martin",
            "payment": "at_pickup",
            "etape": "confirmer",
            f"commerce-{self.shop.pk}-method": "pickup",
            f"commerce-{self.shop.pk}-slot": slot.isoformat(),
            **contact,
        }
        return self.client.post(f"/{self.town.slug}/panier/commande/", data)


def test_checkout_asks_which_channel_when_both_are_given_and_remembers_a_signed_in_choice(
    client: Client, sms_outbox: list[Sms]
) -> None:
    user = UserFactory.create(email="jeanne@example.fr")
    client.force_login(user)
    page = CheckoutPage(client)

    undecided = page.post(customer_phone="06 12 34 56 78", customer_email="jeanne@example.fr")
    assert undecided.status_code == 422
    assert "Choisissez comment être prévenu : par SMS ou par e-mail." in unescape(undecided.content.decode())

    placed = page.post(customer_phone="06 12 34 56 78", customer_email="jeanne@example.fr", notify_by="sms")
    assert placed.status_code == 302
    preference = ContactPreference.objects.get(user=user)
    assert (preference.notify_by, preference.phone) == ("sms", CUSTOMER_MOBILE)

    again = CheckoutPage(client)  # the next basket
    form = unescape(client.get(f"/{again.town.slug}/panier/commande/").content.decode())
    assert 'value="06 12 34 56 78"' in form
    assert 'value="jeanne@example.fr"' in form
    [sms_radio] = re.findall(r'<input type="radio" name="notify_by" value="sms"[^>]*>', form)
    assert "checked" in sms_radio


def test_one_contact_given_decides_the_channel(
    client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    page = CheckoutPage(client)

    with django_capture_on_commit_callbacks(execute=True):
        response = page.post(customer_email="jeanne@example.fr")

    assert response.status_code == 302
    [message] = [m for m in mail.outbox if m.to == ["jeanne@example.fr"]]
    assert "enregistrée chez Fromagerie" in message.subject


def test_an_sms_choice_needs_a_mobile(client: Client) -> None:
    page = CheckoutPage(client)

    response = page.post(customer_phone="02 33 12 34 56", customer_email="jeanne@example.fr", notify_by="sms")

    assert response.status_code == 422
    assert "Ce numéro ne reçoit pas de SMS" in unescape(response.content.decode())
