"""Which ways each shop offers: the town's and the shop's switches, and what each way needs."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from centreville.fulfilment.models import ShopFulfilment, TownFulfilment
from centreville.fulfilment.selectors import (
    fulfilment_methods,
    lockers,
    methods_for_shops,
    relay_points,
    with_opening_states,
)
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.tests.factories import TownFactory

from .factories import (
    DeliveryZoneFactory,
    LockerFactory,
    RelayPointFactory,
    ShopFulfilmentFactory,
    TownFulfilmentFactory,
)

pytestmark = pytest.mark.django_db

ALL_WAYS = {"relay_enabled": True, "locker_enabled": True, "delivery_enabled": True}


def test_without_any_settings_a_click_and_collect_shop_offers_pickup_only() -> None:
    shop = ShopFactory.create(offers_click_collect=True, offers_delivery=True)

    assert fulfilment_methods(shop) == ["pickup"]
    assert not TownFulfilment.objects.exists()
    assert not ShopFulfilment.objects.exists()


def test_pickup_needs_click_and_collect_and_readable_hours() -> None:
    no_click_collect = ShopFactory.create(offers_click_collect=False)
    no_hours = ShopFactory.create(offers_click_collect=True, opening_hours="")
    unreadable = ShopFactory.create(offers_click_collect=True)
    type(unreadable).objects.filter(pk=unreadable.pk).update(opening_hours="tous les jours")
    unreadable.refresh_from_db()

    assert fulfilment_methods(no_click_collect) == []
    assert fulfilment_methods(no_hours) == []
    assert fulfilment_methods(unreadable) == []


def test_a_way_needs_the_town_the_shop_and_a_place_in_service() -> None:
    town = TownFactory.create()
    TownFulfilmentFactory.create(town=town, **ALL_WAYS)
    everything = ShopFulfilmentFactory.create(shop__town=town, shop__offers_delivery=True, **ALL_WAYS).shop
    pickup_only = ShopFulfilmentFactory.create(shop__town=town, shop__offers_delivery=True).shop
    not_delivering = ShopFulfilmentFactory.create(shop__town=town, **ALL_WAYS).shop

    before_places = fulfilment_methods(everything)
    RelayPointFactory.create(town=town)
    LockerFactory.create(town=town)
    DeliveryZoneFactory.create(town=town)
    RelayPointFactory.create(town=TownFactory.create())  # another town's place changes nothing

    assert before_places == ["pickup"]
    assert fulfilment_methods(everything) == ["pickup", "relay", "locker", "delivery"]
    assert fulfilment_methods(pickup_only) == ["pickup"]
    assert fulfilment_methods(not_delivering) == ["pickup", "relay", "locker"]


def test_a_way_the_town_switched_off_is_not_offered() -> None:
    town = TownFactory.create()
    TownFulfilmentFactory.create(town=town, pickup_enabled=False, locker_enabled=True)
    LockerFactory.create(town=town)
    shop = ShopFulfilmentFactory.create(shop__town=town, locker_enabled=True).shop

    assert fulfilment_methods(shop) == ["locker"]


def test_methods_for_many_shops_take_three_queries(django_assert_num_queries) -> None:
    town = TownFactory.create()
    TownFulfilmentFactory.create(town=town, **ALL_WAYS)
    RelayPointFactory.create(town=town)
    shops = [ShopFulfilmentFactory.create(shop__town=town, relay_enabled=True).shop for _ in range(5)]
    shops.append(ShopFactory.create(town=town, offers_click_collect=True))
    stranger = ShopFulfilmentFactory.create(relay_enabled=True).shop  # of another town

    with django_assert_num_queries(3):
        methods = methods_for_shops(town, [*shops, stranger], online_payment=True)

    assert [methods[shop.pk] for shop in shops] == [["pickup", "relay"]] * 5 + [["pickup"]]
    assert methods[stranger.pk] == []


def test_relay_points_and_lockers_are_the_town_s_places_in_service_with_their_opening_state() -> None:
    town = TownFactory.create()
    press = RelayPointFactory.create(town=town, name="Maison de la presse", opening_hours="Mo-Sa 07:00-19:30")
    RelayPointFactory.create(town=town, is_active=False)
    RelayPointFactory.create()
    locker = LockerFactory.create(town=town)
    monday_noon = datetime(2026, 11, 30, 12, tzinfo=ZoneInfo("Europe/Paris"))

    places = with_opening_states(relay_points(town), town, at=monday_noon)

    assert [(place, opening.label) for place, opening in places] == [(press, "Ouvert · ferme à 19:30")]
    assert list(lockers(town)) == [locker]
