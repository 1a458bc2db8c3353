"""The settings services: all-or-nothing writes with French errors."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from centreville.fulfilment.models import RelayPoint, ShopFulfilment, TownFulfilment, TownOrderSettings
from centreville.fulfilment.services import (
    delivery_zone_create,
    relay_point_create,
    relay_point_update,
    shop_fulfilment_update,
    town_fulfilment_update,
)
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.tests.factories import TownFactory

from .factories import RelayPointFactory, TownFulfilmentFactory

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
