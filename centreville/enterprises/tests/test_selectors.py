from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from centreville.enterprises.geo import bounding_box, distance_km
from centreville.enterprises.selectors import (
    enterprises_of,
    pickup_week_in_words,
    producers_near,
    shops_to_buy_for,
    space_producer_ids,
    town_producers,
)
from centreville.enterprises.tests.factories import (
    BuyerFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    SpaceProducerFactory,
)
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
from centreville.towns.selectors import public_space
from centreville.towns.tests.factories import TerritoryFactory, TownFactory

pytestmark = pytest.mark.django_db


def test_a_town_shows_its_own_and_its_territorys_producers_a_territory_its_own_and_its_towns() -> None:
    territory = TerritoryFactory.create(slug="terres")
    town = TownFactory.create(slug="argentan", territory=territory)
    sister = TownFactory.create(slug="ecouche", territory=territory)
    elsewhere = TownFactory.create(slug="alencon")
    mine, shared, sisters, theirs, inactive = EnterpriseFactory.create_batch(5)
    inactive.is_active = False
    inactive.save()
    SpaceProducerFactory.create(town=town, enterprise=mine)
    SpaceProducerFactory.create(town=town, enterprise=inactive)
    SpaceProducerFactory.create(town=town, enterprise=BuyerFactory.create())
    SpaceProducerFactory.create(territory=territory, enterprise=shared)
    SpaceProducerFactory.create(town=sister, enterprise=sisters)
    SpaceProducerFactory.create(town=elsewhere, enterprise=theirs)

    assert space_producer_ids(public_space("argentan")[0]) == {mine.pk, shared.pk}
    assert space_producer_ids(public_space("terres")[0]) == {mine.pk, shared.pk, sisters.pk}
    assert space_producer_ids(public_space("alencon")[0]) == {theirs.pk}
    assert space_producer_ids(None) is None


def test_distances_and_the_box_that_holds_a_radius() -> None:
    # Argentan to Alençon: about 36 km as the crow flies.
    assert 35 < distance_km(48.7449, -0.0203, 48.4329, 0.0913) < 37
    box = bounding_box(48.7449, -0.0203, 10)
    # Just inside 10 km to the north, south, east and west.
    for bearing_lat, bearing_lon in ((0.0898, 0), (-0.0898, 0), (0, 0.1362), (0, -0.1362)):
        lat, lon = 48.7449 + bearing_lat, -0.0203 + bearing_lon
        assert 9.9 < distance_km(48.7449, -0.0203, lat, lon) < 10
        assert box.south <= lat <= box.north
        assert box.west <= lon <= box.east


def test_producers_near_a_point_are_within_the_circle_nearest_first() -> None:
    bourg = EnterpriseFactory.create(name="Bourg")
    alencon = EnterpriseFactory.create(
        name="Alençon", latitude=Decimal("48.432900"), longitude=Decimal("0.091300")
    )
    # Inside the box but outside the circle: the corner of the square around Argentan.
    EnterpriseFactory.create(
        name="Coin", latitude=Decimal("48.744900") + Decimal("0.40"), longitude=Decimal("0.58")
    )
    EnterpriseFactory.create(name="Fermée", is_active=False)
    BuyerFactory.create(name="Restaurant")

    found = producers_near(48.7445, -0.0203, radius_km=50)

    assert [enterprise for enterprise, _km in found] == [bourg, alencon]
    assert 35 < found[1][1] < 37


def test_a_towns_producers_say_which_it_shows() -> None:
    town = TownFactory.create(latitude=Decimal("48.744500"), longitude=Decimal("-0.020300"))
    near, shown = EnterpriseFactory.create_batch(2)
    far = EnterpriseFactory.create(latitude=Decimal("48.117300"), longitude=Decimal("-1.677800"))
    SpaceProducerFactory.create(town=town, enterprise=shown)
    SpaceProducerFactory.create(town=town, enterprise=far)

    producers = town_producers(town)

    assert {item.enterprise: item.is_shown for item in producers.nearby} == {near: False, shown: True}
    assert [item.enterprise for item in producers.shown] == [shown, far]


def test_a_persons_enterprises_and_the_shops_they_may_buy_for() -> None:
    member = EnterpriseMemberFactory.create(enterprise__name="B")
    EnterpriseMemberFactory.create(user=member.user, enterprise__name="A", is_owner=False)
    EnterpriseMemberFactory.create(user=member.user, enterprise__name="Closed", enterprise__is_active=False)
    free, taken = ShopFactory.create_batch(2)
    for shop in (free, taken):
        ShopMembershipFactory.create(shop=shop, user=member.user)
    BuyerFactory.create(shop=taken)

    mine = enterprises_of(member.user)

    assert [(item.enterprise.name, item.is_owner) for item in mine] == [("A", False), ("B", True)]
    assert shops_to_buy_for(member.user) == [free]


def test_pickup_windows_in_words_leave_out_closed_days() -> None:
    week = pickup_week_in_words("Tu,Fr 17:00-19:00; Sa 09:00-12:00", at=datetime(2026, 12, 8, 10, tzinfo=UTC))
    assert [(day.day, day.hours) for day in week] == [
        ("mardi", "de 17:00 à 19:00"),
        ("vendredi", "de 17:00 à 19:00"),
        ("samedi", "de 09:00 à 12:00"),
    ]
    assert pickup_week_in_words("n'importe quoi", at=datetime(2026, 12, 8, 10, tzinfo=UTC)) == []
