from __future__ import annotations

import pytest

from centreville.enterprises.geo import bounding_box, distance_km
from centreville.enterprises.selectors import space_producer_ids
from centreville.enterprises.tests.factories import BuyerFactory, EnterpriseFactory, SpaceProducerFactory
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
