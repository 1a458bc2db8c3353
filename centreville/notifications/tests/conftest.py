"""A shop that can be told by e-mail and SMS, and orders placed in it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from centreville.accounts.models import User
from centreville.catalogue.stock import Wanted
from centreville.catalogue.tests.factories import ProductFactory
from centreville.notifications.sms import MemorySmsBackend, Sms
from centreville.orders.models import Order
from centreville.orders.tests.factories import order_place
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory

from .backends import FlakySmsBackend


@pytest.fixture(autouse=True)
def sms_outbox() -> Iterator[list[Sms]]:
    MemorySmsBackend.outbox.clear()
    FlakySmsBackend.failures_left = 0
    yield MemorySmsBackend.outbox
    MemorySmsBackend.outbox.clear()


@pytest.fixture
def shop() -> Shop:
    shop = ShopFactory.create(
        name="Boulangerie Martin",
        email="Boulangerie@example.fr",
        phone="+33611223344",
        street_address="12 rue de la République",
    )
    ShopMembershipFactory.create(shop=shop, user__email="marie@example.fr")
    return shop


@pytest.fixture
def place(shop: Shop) -> Callable[..., Order]:
    def place(contact: str = "jeanne@example.fr", customer: User | None = None, **fields: Any) -> Order:
        product = ProductFactory.create(shop=shop, title="Pain de campagne", price="4.20", stock=10)
        order = order_place(
            shop=shop,
            wanted=[Wanted(product.pk, 2)],
            customer=customer,
            customer_name="Jeanne Dupont",
            customer_contact=contact,
        )
        if fields:
            Order.objects.filter(pk=order.pk).update(**fields)
            order.refresh_from_db()
        return order

    return place
