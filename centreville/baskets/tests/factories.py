"""Factories for baskets, and a town whose shops take orders every way, for checkout tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from factory.django import DjangoModelFactory

from centreville.baskets.models import Basket, BasketLine
from centreville.catalogue.tests.factories import ProductFactory
from centreville.fulfilment.models import (
    DeliveryZone,
    Locker,
    RelayPoint,
    ShopFulfilment,
    TownFulfilment,
    TownOrderSettings,
)
from centreville.fulfilment.selectors import delivery_windows, pickup_slots
from centreville.fulfilment.services import FulfilmentChoice
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

# Checkout tests run at this moment (a Tuesday morning), whatever the day they run.
NOW = datetime(2026, 12, 8, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


class BasketFactory(DjangoModelFactory[Basket]):
    class Meta:
        model = Basket

    town = factory.SubFactory(TownFactory)
    user = None


class BasketLineFactory(DjangoModelFactory[BasketLine]):
    class Meta:
        model = BasketLine

    basket = factory.SubFactory(BasketFactory)
    product = factory.SubFactory(ProductFactory, shop__town=factory.SelfAttribute("...basket.town"))
    variant = None
    quantity = 1


@dataclass(frozen=True)
class Places:
    relay_point: RelayPoint
    locker: Locker
    zone: DeliveryZone


def town_taking_orders(**town_fields: object) -> tuple[Town, Places]:
    """A town offering every way (relay point, locker, delivery in 61200 with half the fee paid), and
    online payment, which lockers and delivery need."""
    town = TownFactory.create(**town_fields)
    TownOrderSettings.objects.create(town=town, online_payment_enabled=True)
    TownFulfilment.objects.create(
        town=town,
        pickup_enabled=True,
        relay_enabled=True,
        locker_enabled=True,
        delivery_enabled=True,
        delivery_base_fee=Decimal("6.00"),
        subsidy_percent=50,
    )
    places = Places(
        relay_point=RelayPoint.objects.create(
            town=town,
            name="Maison de la presse",
            street_address="2 place Mahé",
            opening_hours="Mo-Sa 07:00-19:30",
        ),
        locker=Locker.objects.create(
            town=town,
            name="Consigne de la gare",
            street_address="Gare",
            opening_hours="24/7",
            compartments=20,
        ),
        zone=DeliveryZone.objects.create(town=town, name="Argentan", postcodes=["61200"]),
    )
    return town, places


def shop_taking_orders(town: Town, **fields: object) -> Shop:
    """A published shop open every hour, every way on, with a merchant to handle its orders."""
    shop = ShopFactory.create(
        town=town, opening_hours="24/7", offers_click_collect=True, offers_delivery=True, **fields
    )
    ShopMembershipFactory.create(shop=shop)
    ShopFulfilment.objects.create(
        shop=shop, pickup_enabled=True, relay_enabled=True, locker_enabled=True, delivery_enabled=True
    )
    return shop


def pickup(shop: Shop, *, now: datetime = NOW) -> FulfilmentChoice:
    return FulfilmentChoice(method="pickup", slot_start=pickup_slots(shop, now=now)[0].start)


def delivery(shop: Shop, *, now: datetime = NOW, postcode: str = "61200") -> FulfilmentChoice:
    """Delivery to an address of the town's zone, in the shop's first free window."""
    return FulfilmentChoice(
        method="delivery",
        slot_start=delivery_windows(shop, now=now)[0].start,
        delivery_address="12 rue de la Poste",
        delivery_postcode=postcode,
        delivery_city="Argentan",
    )


def every_way(shops: list[Shop], places: Places, *, now: datetime = NOW) -> dict[int, FulfilmentChoice]:
    """A different way for each shop in turn: pickup, relay point, locker, delivery (the last two are paid
    online)."""
    ways = [
        lambda shop: pickup(shop, now=now),
        lambda shop: FulfilmentChoice(method="relay", relay_point_id=places.relay_point.pk),
        lambda shop: FulfilmentChoice(method="locker", locker_id=places.locker.pk),
        lambda shop: delivery(shop, now=now),
    ]
    return {shop.pk: ways[n % len(ways)](shop) for n, shop in enumerate(shops)}
