"""The settings services: all-or-nothing writes with French errors."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from centreville.fulfilment import services
from centreville.fulfilment.models import (
    DeliveryZone,
    RelayPoint,
    ShopFulfilment,
    TownFulfilment,
    TownOrderSettings,
)
from centreville.fulfilment.services import (
    delivery_zone_create,
    delivery_zone_update,
    relay_point_create,
    relay_point_update,
    shop_fulfilment_update,
    town_fulfilment_update,
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


def test_a_shop_cannot_switch_on_a_way_its_town_does_not_offer() -> None:
    shop = ShopFactory.create()

    with pytest.raises(ValidationError) as caught:
        shop_fulfilment_update(shop=shop, locker_enabled=True, slot_capacity=3)

    assert caught.value.message_dict == {
        "locker_enabled": ["La ville ne propose pas ce mode pour le moment."]
    }
    assert not ShopFulfilment.objects.filter(shop=shop).exists()  # nothing written


def test_a_shop_switches_on_a_way_its_town_offers() -> None:
    shop = ShopFactory.create()
    TownFulfilmentFactory.create(town=shop.town, locker_enabled=True)

    rules = shop_fulfilment_update(shop=shop, locker_enabled=True, slot_minutes=45)

    assert (rules.locker_enabled, rules.slot_minutes) == (True, 45)


def test_slot_settings_out_of_bounds_are_refused() -> None:
    shop = ShopFactory.create()

    with pytest.raises(ValidationError) as caught:
        shop_fulfilment_update(shop=shop, slot_minutes=5, slot_capacity=0)

    assert set(caught.value.message_dict) == {"slot_minutes", "slot_capacity"}


def test_town_settings_are_saved_together_or_not_at_all() -> None:
    town = TownFactory.create()

    with pytest.raises(ValidationError) as caught:
        town_fulfilment_update(town=town, relay_enabled=True, collect_within_days=0)

    assert "collect_within_days" in caught.value.message_dict
    assert not TownFulfilment.objects.exists()
    assert not TownOrderSettings.objects.exists()

    town_fulfilment_update(town=town, relay_enabled=True, subsidy_percent=80, collect_within_days=3)

    assert TownFulfilment.objects.get(town=town).subsidy_percent == 80
    assert TownOrderSettings.objects.get(town=town).collect_within_days == 3


def test_negative_amounts_are_refused() -> None:
    town = TownFactory.create()

    with pytest.raises(ValidationError) as caught:
        town_fulfilment_update(town=town, delivery_base_fee=Decimal("-1"), subsidy_cap=Decimal("-0.01"))

    assert caught.value.message_dict == {
        "delivery_base_fee": ["Un montant ne peut pas être négatif."],
        "subsidy_cap": ["Un montant ne peut pas être négatif."],
    }


def test_a_relay_point_needs_readable_hours() -> None:
    town = TownFactory.create()

    with pytest.raises(ValidationError) as caught:
        relay_point_create(town=town, name="Presse", street_address="1 place", opening_hours="8h-19h")

    assert caught.value.message_dict["opening_hours"][0].startswith("Horaires illisibles : « 8h-19h ».")
    assert not RelayPoint.objects.exists()


def test_taking_a_relay_point_out_of_service_keeps_it() -> None:
    relay = RelayPointFactory.create()

    relay_point_update(relay_point=relay, is_active=False)

    assert RelayPoint.objects.get(pk=relay.pk).is_active is False


def test_a_zone_needs_postcodes_or_a_positive_radius() -> None:
    town = TownFactory.create()

    with pytest.raises(ValidationError) as empty:
        delivery_zone_create(town=town, name="Nulle part", postcodes=[])
    with pytest.raises(ValidationError) as zero:
        delivery_zone_create(town=town, name="Point", radius_km=Decimal("0"))

    assert empty.value.messages == ["Indiquez des codes postaux ou un rayon autour du centre."]
    assert zero.value.message_dict == {"radius_km": ["Le rayon doit être supérieur à 0 km."]}


# --- Only the names each service changes, only the columns that change ---------------------------------


UNKNOWN_FIELD_CALLS: dict[str, Callable[[], object]] = {
    "town_fulfilment_update": lambda: town_fulfilment_update(town=TownFactory.create(), town_id=1),
    "relay_point_create": lambda: relay_point_create(town=TownFactory.create(), town_id=1),
    "relay_point_update": lambda: relay_point_update(relay_point=RelayPointFactory.create(), town_id=1),
    "locker_create": lambda: services.locker_create(town=TownFactory.create(), town_id=1),
    "locker_update": lambda: services.locker_update(locker=LockerFactory.create(), town_id=1),
    "delivery_zone_create": lambda: delivery_zone_create(town=TownFactory.create(), town_id=1),
    "delivery_zone_update": lambda: delivery_zone_update(zone=DeliveryZoneFactory.create(), town_id=1),
    "shop_fulfilment_update": lambda: shop_fulfilment_update(shop=ShopFactory.create(), shop_id=1),
}


@pytest.mark.parametrize("service", sorted(UNKNOWN_FIELD_CALLS))
def test_each_service_refuses_a_field_it_does_not_change(service: str) -> None:
    with pytest.raises(TypeError, match=f"{service}\\(\\) cannot change (town|shop)_id:"):
        UNKNOWN_FIELD_CALLS[service]()


def test_a_zone_changed_from_a_stale_copy_keeps_the_fee_changed_meanwhile() -> None:
    zone = DeliveryZoneFactory.create(name="Centre", extra_fee=Decimal("0.00"))
    stale = DeliveryZone.objects.get(pk=zone.pk)
    DeliveryZone.objects.filter(pk=zone.pk).update(extra_fee=Decimal("2.00"))  # another manager

    delivery_zone_update(zone=stale, name="Hyper-centre")

    zone.refresh_from_db()
    assert (zone.name, zone.extra_fee) == ("Hyper-centre", Decimal("2.00"))


def test_a_relay_point_taken_out_of_service_keeps_hours_changed_meanwhile() -> None:
    relay = RelayPointFactory.create(opening_hours="Mo-Sa 07:00-19:30")
    RelayPoint.objects.filter(pk=relay.pk).update(opening_hours="Mo-Fr 08:00-18:00")

    relay_point_update(relay_point=relay, is_active=False)

    relay.refresh_from_db()
    assert (relay.is_active, relay.opening_hours) == (False, "Mo-Fr 08:00-18:00")


def test_town_settings_saved_unchanged_write_nothing() -> None:
    rules = TownFulfilmentFactory.create(subsidy_percent=50)
    town_fulfilment_update(town=rules.town, collect_within_days=5)
    written = TownFulfilment.objects.get(pk=rules.pk).updated_at
    settings_written = TownOrderSettings.objects.get(town=rules.town).updated_at

    town_fulfilment_update(town=rules.town, subsidy_percent=50, collect_within_days=5)

    assert TownFulfilment.objects.get(pk=rules.pk).updated_at == written
    assert TownOrderSettings.objects.get(town=rules.town).updated_at == settings_written


def test_a_shop_changing_its_slot_length_keeps_a_capacity_changed_meanwhile() -> None:
    rules = ShopFulfilmentFactory.create(slot_minutes=30, slot_capacity=2)
    ShopFulfilment.objects.filter(pk=rules.pk).update(slot_capacity=5)

    shop_fulfilment_update(shop=rules.shop, slot_minutes=45)

    rules.refresh_from_db()
    assert (rules.slot_minutes, rules.slot_capacity) == (45, 5)
