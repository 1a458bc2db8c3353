"""Reserving a way for one shop's order: what is accepted, and every refusal in French."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from centreville.fulfilment.models import FulfilmentMethod, ShopFulfilment
from centreville.fulfilment.selectors import delivery_windows
from centreville.fulfilment.services import FulfilmentChoice, fulfilment_reserve
from centreville.orders.models import Order, OrderStatus
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.tests.factories import TownFactory

from .factories import (
    DeliveryZoneFactory,
    LockerFactory,
    RelayPointFactory,
    ShopFulfilmentFactory,
    TownFulfilmentFactory,
    order_for,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
TUESDAY = date(2026, 12, 1)
NOW = datetime.combine(TUESDAY, time(8), tzinfo=PARIS)
TOTAL = Decimal("30.00")


def at(hour: int, minute: int = 0, day: date = TUESDAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


@pytest.fixture
def shop() -> Shop:
    """A shop open Tuesday to Saturday with a lunch break, two orders per 30-minute slot, all ways on."""
    rules = ShopFulfilmentFactory.create(
        shop__opening_hours="Tu-Sa 09:00-12:30,14:00-19:00",
        shop__offers_delivery=True,
        preparation_minutes=30,
        slot_capacity=2,
        relay_enabled=True,
        locker_enabled=True,
        delivery_enabled=True,
    )
    TownFulfilmentFactory.create(
        town=rules.shop.town,
        relay_enabled=True,
        locker_enabled=True,
        delivery_enabled=True,
        delivery_base_fee=Decimal("5.00"),
        subsidy_percent=100,
        subsidy_cap=Decimal("4.00"),
    )
    return rules.shop


def reserve(shop: Shop, *, now: datetime = NOW, **choice: Any) -> dict[str, Any]:
    return fulfilment_reserve(shop=shop, choice=FulfilmentChoice(**choice), items_total=TOTAL, now=now)


def refusal(shop: Shop, *, now: datetime = NOW, **choice: object) -> str:
    with pytest.raises(ValidationError) as caught:
        reserve(shop, now=now, **choice)
    return caught.value.messages[0]


def test_a_free_slot_gives_the_order_its_slot_and_nothing_else(shop: Shop) -> None:
    values = reserve(shop, method="pickup", slot_start=at(9))

    assert values == {
        "fulfilment": "pickup",
        "pickup_slot_start": at(9),
        "pickup_slot_end": at(9, 30),
        "relay_point_id": None,
        "locker_id": None,
        "delivery_zone_id": None,
        "delivery_address": "",
        "delivery_postcode": "",
        "delivery_city": "",
        "delivery_fee": Decimal("0.00"),
        "delivery_subsidy": Decimal("0.00"),
    }


def test_a_full_slot_is_refused(shop: Shop) -> None:
    order_for(shop, slot_start=at(9), status=OrderStatus.PLACED)
    order_for(shop, slot_start=at(9), status=OrderStatus.ACCEPTED)

    assert (
        refusal(shop, method="pickup", slot_start=at(9)) == "Ce créneau est complet, choisissez-en un autre."
    )
    assert reserve(shop, method="pickup", slot_start=at(9, 30))["pickup_slot_start"] == at(9, 30)


def test_a_refused_order_gives_its_place_in_the_slot_back(shop: Shop) -> None:
    order_for(shop, slot_start=at(9), status=OrderStatus.PLACED)
    order_for(shop, slot_start=at(9), status=OrderStatus.REFUSED)

    assert reserve(shop, method="pickup", slot_start=at(9))["pickup_slot_start"] == at(9)


@pytest.mark.parametrize(
    "slot_start",
    [
        pytest.param(at(9, 10), id="not on the slot grid"),
        pytest.param(at(13), id="during the lunch break"),
        pytest.param(at(12, 30), id="when the morning ends"),
        pytest.param(at(8), id="before opening"),
        pytest.param(at(10, day=TUESDAY - timedelta(days=1)), id="on the closed day (and in the past)"),
        pytest.param(at(10, day=TUESDAY + timedelta(days=30)), id="too far ahead"),
        pytest.param(datetime(2026, 12, 1, 9, 0), id="without a time zone"),
    ],
)
def test_a_slot_that_would_not_be_offered_is_refused(shop: Shop, slot_start: datetime) -> None:
    assert refusal(shop, method="pickup", slot_start=slot_start) == (
        "Ce créneau n'est plus proposé, choisissez-en un autre."
    )


def test_a_slot_inside_the_preparation_time_is_refused(shop: Shop) -> None:
    ready = at(9, 45)  # ready at 10:15 at the earliest

    assert "plus proposé" in refusal(shop, method="pickup", slot_start=at(10), now=ready)
    assert reserve(shop, method="pickup", slot_start=at(10, 30), now=ready)["pickup_slot_end"] == at(11)


def test_pickup_needs_a_slot(shop: Shop) -> None:
    assert refusal(shop, method="pickup") == "Choisissez un créneau de retrait."


def test_the_same_slot_given_in_another_time_zone_is_accepted(shop: Shop) -> None:
    values = reserve(shop, method="pickup", slot_start=at(9).astimezone(ZoneInfo("UTC")))

    assert values["pickup_slot_start"] == at(9)


def test_pickup_creates_the_shop_settings_row_it_locks() -> None:
    shop = ShopFactory.create(offers_click_collect=True, opening_hours="Mo-Su 08:00-20:00")

    values = reserve(shop, method="pickup", slot_start=at(9, 30))  # default preparation: 60 minutes

    assert values["pickup_slot_end"] == at(10)
    assert ShopFulfilment.objects.filter(shop=shop).count() == 1


def test_pickup_is_refused_when_the_shop_does_not_take_click_and_collect(shop: Shop) -> None:
    Shop.objects.filter(pk=shop.pk).update(offers_click_collect=False)
    shop.refresh_from_db()

    message = refusal(shop, method="pickup", slot_start=at(9))

    assert message == f"« {shop.name} » ne propose pas ce mode : Retrait en boutique."


def test_a_way_the_town_switched_off_is_refused_even_if_the_shop_kept_it(shop: Shop) -> None:
    relay = RelayPointFactory.create(town=shop.town)
    shop.town.fulfilment.relay_enabled = False
    shop.town.fulfilment.save()

    assert "ne propose pas ce mode : Retrait en point relais" in refusal(
        shop, method="relay", relay_point_id=relay.pk
    )


def test_an_unknown_way_is_refused(shop: Shop) -> None:
    assert refusal(shop, method="drone") == "Choisissez un mode de retrait ou de livraison."


def test_a_relay_point_of_the_town_in_service_is_accepted(shop: Shop) -> None:
    relay = RelayPointFactory.create(town=shop.town)

    values = reserve(shop, method="relay", relay_point_id=relay.pk)

    assert values["fulfilment"] == "relay"
    assert values["relay_point_id"] == relay.pk
    assert values["pickup_slot_start"] is None


@pytest.mark.parametrize("where", ["out of service", "in another town"])
def test_a_relay_point_out_of_service_or_of_another_town_is_refused(shop: Shop, where: str) -> None:
    town = shop.town if where == "out of service" else TownFactory.create()
    relay = RelayPointFactory.create(town=town, is_active=where != "out of service")

    message = refusal(shop, method="relay", relay_point_id=relay.pk)

    assert message == "Ce point relais n'est plus disponible, choisissez-en un autre."


def test_a_relay_choice_needs_a_relay_point(shop: Shop) -> None:
    RelayPointFactory.create(town=shop.town)

    assert refusal(shop, method="relay") == "Choisissez un point relais."


def test_a_locker_is_refused_when_every_compartment_is_taken(shop: Shop) -> None:
    locker = LockerFactory.create(town=shop.town, compartments=1)
    other = LockerFactory.create(town=shop.town)
    order_for(shop, fulfilment=FulfilmentMethod.LOCKER, locker=locker, status=OrderStatus.READY)

    message = refusal(shop, method="locker", locker_id=locker.pk)

    assert message.startswith(f"La consigne « {locker.name} » est pleine")
    assert reserve(shop, method="locker", locker_id=other.pk)["locker_id"] == other.pk


def test_a_locker_of_another_town_is_refused(shop: Shop) -> None:
    locker = LockerFactory.create()

    assert refusal(shop, method="locker", locker_id=locker.pk) == (
        "Cette consigne n'est plus disponible, choisissez-en une autre."
    )


def test_delivery_sets_the_zone_the_fee_and_the_town_subsidy(shop: Shop) -> None:
    zone = DeliveryZoneFactory.create(town=shop.town, postcodes=["61200"], extra_fee=Decimal("1.50"))

    values = reserve(
        shop,
        method="delivery",
        slot_start=at(9),
        delivery_address=" 3  rue Pierre Ozenne ",
        delivery_postcode="61 200",
        delivery_city=" Argentan ",
    )

    assert values["delivery_zone_id"] == zone.pk
    assert values["delivery_address"] == "3 rue Pierre Ozenne"
    assert values["delivery_postcode"] == "61200"
    assert values["delivery_city"] == "Argentan"
    assert (values["pickup_slot_start"], values["pickup_slot_end"]) == (at(9), at(11))  # a 2-hour window
    assert values["delivery_fee"] == Decimal("6.50")
    assert values["delivery_subsidy"] == Decimal("4.00")  # 100 % capped at 4 €


def test_delivery_needs_an_address_and_a_zone(shop: Shop) -> None:
    DeliveryZoneFactory.create(town=shop.town, postcodes=["61200"])

    assert refusal(shop, method="delivery", delivery_postcode="61200") == "Indiquez l'adresse de livraison."
    assert refusal(shop, method="delivery", delivery_address="1 rue Haute", delivery_postcode="14000") == (
        "Cette adresse est en dehors des zones de livraison de la ville."
    )
    assert refusal(shop, method="delivery", delivery_address="1 rue Haute", delivery_postcode="612") == (
        "« 612 » n'est pas un code postal français (5 chiffres)."
    )


def test_delivery_needs_a_town_and_a_window_that_is_offered_and_not_full(shop: Shop) -> None:
    DeliveryZoneFactory.create(town=shop.town, postcodes=["61200"])
    ShopFulfilment.objects.filter(shop=shop).update(delivery_capacity=1)
    order_for(shop, slot_start=at(14), fulfilment="delivery")

    def delivery_refusal(**choice: Any) -> str:
        return refusal(
            shop, method="delivery", delivery_address="1 rue Haute", delivery_postcode="61200", **choice
        )

    assert delivery_refusal(slot_start=at(9)) == "Indiquez la commune de livraison."
    assert delivery_refusal(delivery_city="Argentan") == "Choisissez une plage de livraison."
    assert delivery_refusal(slot_start=at(10), delivery_city="Argentan") == (
        "Ce créneau n'est plus proposé, choisissez-en un autre."  # windows start at 09:00, 14:00, 16:00
    )
    assert delivery_refusal(slot_start=at(14), delivery_city="Argentan") == (
        "Ce créneau est complet, choisissez-en un autre."
    )


def test_delivery_windows_follow_the_delivery_hours_when_the_shop_gives_them(shop: Shop) -> None:
    ShopFulfilment.objects.filter(shop=shop).update(
        delivery_hours="Tu,Fr 17:00-20:00", delivery_window_minutes=90
    )

    windows = delivery_windows(shop, now=NOW, open_days=2)

    assert [(w.start, w.end) for w in windows] == [
        (at(17), at(18, 30)),
        (at(18, 30), at(20)),
        (at(17, day=TUESDAY + timedelta(days=3)), at(18, 30, day=TUESDAY + timedelta(days=3))),
        (at(18, 30, day=TUESDAY + timedelta(days=3)), at(20, day=TUESDAY + timedelta(days=3))),
    ]


def test_delivery_is_refused_when_the_shop_does_not_deliver(shop: Shop) -> None:
    DeliveryZoneFactory.create(town=shop.town)
    Shop.objects.filter(pk=shop.pk).update(offers_delivery=False)
    shop.refresh_from_db()

    assert "ne propose pas ce mode : Livraison à domicile" in refusal(
        shop, method="delivery", delivery_address="1 rue Haute", delivery_postcode="61200"
    )


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and concurrent transactions"
)


@pytest.mark.postgresql
@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_twenty_customers_for_a_slot_of_two_make_exactly_two_orders() -> None:
    rules = ShopFulfilmentFactory.create(shop__opening_hours="Tu-Sa 09:00-19:00", slot_capacity=2)
    shop = Shop.objects.select_related("town").get(pk=rules.shop.pk)
    start = threading.Barrier(20)

    def attempt(n: int) -> str:
        try:
            start.wait()
            with transaction.atomic():
                values = reserve(shop, method="pickup", slot_start=at(10))
                order_for(shop, **values)
            return "ok"
        except ValidationError as error:
            return error.messages[0]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(attempt, range(20)))

    assert answers.count("ok") == 2
    assert answers.count("Ce créneau est complet, choisissez-en un autre.") == 18
    assert Order.objects.filter(shop=shop, pickup_slot_start=at(10)).count() == 2
