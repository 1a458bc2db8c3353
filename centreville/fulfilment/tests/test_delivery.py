"""Delivery quotes: the zone (by postcode or distance), the fee rule, free delivery, the town's subsidy."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from centreville.fulfilment.services import delivery_quote, distance_km
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

from .factories import DeliveryZoneFactory, TownFulfilmentFactory

pytestmark = pytest.mark.django_db

# About 2.2 km north-east of the town centre (48.7445, -0.0203), and about 15 km away.
NEAR = (Decimal("48.760000"), Decimal("0.000000"))
FAR = (Decimal("48.870000"), Decimal("0.080000"))


@pytest.fixture
def town() -> Town:
    town = TownFactory.create(postcodes=["61200"])
    TownFulfilmentFactory.create(
        town=town,
        delivery_enabled=True,
        delivery_base_fee=Decimal("4.00"),
        delivery_fee_per_km=Decimal("0.50"),
    )
    return town


def quote(town: Town, postcode: str = "61200", total: str = "20.00", position: tuple | None = None):
    latitude, longitude = position or (None, None)
    return delivery_quote(
        town=town, postcode=postcode, items_total=Decimal(total), latitude=latitude, longitude=longitude
    )


def test_distances_are_great_circle_kilometres() -> None:
    one_degree = distance_km(Decimal("48"), Decimal("-0.02"), Decimal("49"), Decimal("-0.02"))
    argentan_to_alencon = distance_km(
        Decimal("48.7445"), Decimal("-0.0203"), Decimal("48.4329"), Decimal("0.0913")
    )

    assert one_degree == Decimal("111.195")  # one degree along a meridian
    assert Decimal("35") < argentan_to_alencon < Decimal("36.5")


def test_a_postcode_zone_charges_the_base_fee_and_its_supplement(town: Town) -> None:
    zone = DeliveryZoneFactory.create(town=town, postcodes=["61200", "61150"], extra_fee=Decimal("1.00"))

    result = quote(town, postcode="61150")

    assert result.zone == zone
    assert result.fee == Decimal("5.00")  # no position: no per-km part
    assert result.subsidy == Decimal("0.00")
    assert result.customer_pays == Decimal("5.00")


def test_a_distance_zone_charges_per_kilometre_when_the_position_is_known(town: Town) -> None:
    zone = DeliveryZoneFactory.create(town=town, postcodes=[], radius_km=Decimal("5"))

    result = quote(town, postcode="", position=NEAR)

    assert result.zone == zone
    assert result.distance_km is not None
    assert Decimal("2") < result.distance_km < Decimal("2.5")
    assert result.fee == (Decimal("4.00") + Decimal("0.50") * result.distance_km).quantize(Decimal("0.01"))


def test_beyond_the_radius_and_outside_the_postcodes_is_refused(town: Town) -> None:
    DeliveryZoneFactory.create(town=town, postcodes=[], radius_km=Decimal("5"))
    DeliveryZoneFactory.create(town=town, postcodes=["61200"], is_active=False)

    with pytest.raises(ValidationError) as far:
        quote(town, postcode="61200", position=FAR)
    with pytest.raises(ValidationError) as no_position:
        quote(town, postcode="61200")

    assert far.value.messages == ["Cette adresse est en dehors des zones de livraison de la ville."]
    assert no_position.value.messages == far.value.messages


def test_of_several_matching_zones_the_cheapest_is_taken(town: Town) -> None:
    DeliveryZoneFactory.create(
        town=town, name="Couronne", postcodes=[], radius_km=Decimal("20"), extra_fee=Decimal("3")
    )
    centre = DeliveryZoneFactory.create(town=town, name="Centre", postcodes=[], radius_km=Decimal("5"))

    assert quote(town, position=NEAR).zone == centre


def test_delivery_is_free_from_the_town_amount(town: Town) -> None:
    DeliveryZoneFactory.create(town=town)
    town.fulfilment.delivery_free_from = Decimal("50.00")
    town.fulfilment.subsidy_percent = 100
    town.fulfilment.save()

    just_below = quote(town, total="49.99")
    at_the_amount = quote(town, total="50.00")

    assert just_below.fee == Decimal("4.00")
    assert (at_the_amount.fee, at_the_amount.subsidy) == (Decimal("0.00"), Decimal("0.00"))


@pytest.mark.parametrize(
    ("percent", "cap", "subsidy"),
    [
        (100, None, "7.33"),
        (100, "5.00", "5.00"),
        (50, None, "3.67"),  # half of 7.33, rounded to the cent
        (50, "2.00", "2.00"),
        (0, "5.00", "0.00"),
    ],
)
def test_the_town_pays_its_percentage_of_the_fee_up_to_its_cap(
    town: Town, percent: int, cap: str | None, subsidy: str
) -> None:
    DeliveryZoneFactory.create(town=town, extra_fee=Decimal("3.33"))
    town.fulfilment.subsidy_percent = percent
    town.fulfilment.subsidy_cap = Decimal(cap) if cap else None
    town.fulfilment.save()

    result = quote(town)

    assert result.fee == Decimal("7.33")
    assert result.subsidy == Decimal(subsidy)
    assert result.customer_pays == Decimal("7.33") - Decimal(subsidy)


def test_a_town_without_delivery_refuses_every_quote() -> None:
    town = TownFactory.create()
    DeliveryZoneFactory.create(town=town)

    with pytest.raises(ValidationError) as caught:
        quote(town)

    assert caught.value.messages == ["La livraison à domicile n'est pas proposée dans cette ville."]


def test_zones_of_another_town_never_match(town: Town) -> None:
    DeliveryZoneFactory.create(postcodes=["61200"])  # another town's zone

    with pytest.raises(ValidationError):
        quote(town)


def test_a_postcode_or_a_position_is_needed(town: Town) -> None:
    DeliveryZoneFactory.create(town=town)

    with pytest.raises(ValidationError) as caught:
        quote(town, postcode=" ")

    assert caught.value.messages == ["Indiquez le code postal de livraison."]
