"""Factories for fulfilment settings and places, and a plain order holding a slot or a place."""

from __future__ import annotations

import itertools
from datetime import datetime
from decimal import Decimal
from typing import Any

import factory
from factory.django import DjangoModelFactory

from centreville.fulfilment.models import (
    DeliveryZone,
    FulfilmentMethod,
    Locker,
    RelayPoint,
    ShopFulfilment,
    TownFulfilment,
)
from centreville.orders.models import Order, OrderEvent, OrderStatus
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.tests.factories import TownFactory

_references = itertools.count(1)


class TownFulfilmentFactory(DjangoModelFactory[TownFulfilment]):
    class Meta:
        model = TownFulfilment

    town = factory.SubFactory(TownFactory)


class ShopFulfilmentFactory(DjangoModelFactory[ShopFulfilment]):
    class Meta:
        model = ShopFulfilment

    shop = factory.SubFactory(ShopFactory, offers_click_collect=True)
    preparation_minutes = 0
    slot_minutes = 30
    slot_capacity = 2


class RelayPointFactory(DjangoModelFactory[RelayPoint]):
    class Meta:
        model = RelayPoint

    town = factory.SubFactory(TownFactory)
    name = factory.Sequence(lambda n: f"Maison de la presse {n}")
    street_address = "5 place du Marché"
    opening_hours = "Mo-Sa 07:00-19:30"


class LockerFactory(DjangoModelFactory[Locker]):
    class Meta:
        model = Locker

    town = factory.SubFactory(TownFactory)
    name = factory.Sequence(lambda n: f"Consigne {n}")
    street_address = "place Mahé"
    opening_hours = "24/7"
    compartments = 12


class DeliveryZoneFactory(DjangoModelFactory[DeliveryZone]):
    class Meta:
        model = DeliveryZone

    town = factory.SubFactory(TownFactory)
    name = factory.Sequence(lambda n: f"Zone {n}")
    postcodes = factory.LazyFunction(lambda: ["61200"])


def order_for(
    shop: Shop,
    *,
    status: str = OrderStatus.PLACED,
    slot_start: datetime | None = None,
    **values: Any,
) -> Order:
    """An order of the shop as checkout leaves it (no lines: fulfilment only looks at its fields)."""
    number = next(_references)
    fields: dict[str, Any] = {
        "fulfilment": values.pop("fulfilment", FulfilmentMethod.PICKUP),
        "pickup_slot_start": slot_start,
        "items_total": Decimal("20.00"),
    }
    fields.update(values)
    return Order.objects.create(
        town=shop.town,
        shop=shop,
        reference=f"T-{number:07d}",
        basket_reference=f"P-{number:07d}",
        customer_name="Jeanne Martin",
        customer_contact="jeanne@example.fr",
        status=status,
        **fields,
    )


def delivered(shop: Shop, *, at: datetime, fee: str, subsidy: str, **values: Any) -> Order:
    """A delivered order, marked collected at `at`."""
    order = order_for(
        shop,
        status=OrderStatus.COLLECTED,
        fulfilment=FulfilmentMethod.DELIVERY,
        delivery_fee=Decimal(fee),
        delivery_subsidy=Decimal(subsidy),
        **values,
    )
    event = OrderEvent.objects.create(
        order=order, from_status=OrderStatus.READY, to_status=OrderStatus.COLLECTED
    )
    OrderEvent.objects.filter(pk=event.pk).update(created_at=at)
    return order
