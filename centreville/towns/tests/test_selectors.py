from __future__ import annotations

import pytest

from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopFactory
from centreville.towns import selectors
from centreville.towns.tests.factories import TerritoryFactory, TownFactory

pytestmark = pytest.mark.django_db


def test_space_by_slug_finds_a_town_then_a_territory() -> None:
    territory = TerritoryFactory.create(slug="terres-d-argentan")
    town = TownFactory.create(slug="argentan", territory=territory)
    TownFactory.create(territory=territory, is_published=False)

    town_space = selectors.space_by_slug("argentan")
    territory_space = selectors.space_by_slug("terres-d-argentan")

    assert town_space is not None
    assert town_space.town == town
    assert not town_space.is_territory
    assert territory_space is not None
    assert territory_space.town is None
    assert territory_space.town_ids == (town.pk,)  # the unpublished town stays out
    assert selectors.space_by_slug("ailleurs") is None


def test_an_unpublished_town_is_found_only_when_asked() -> None:
    TownFactory.create(slug="bientot", is_published=False)
    assert selectors.space_by_slug("bientot") is None
    assert selectors.space_by_slug("bientot", include_unpublished=True) is not None


def test_an_empty_territory_is_no_space() -> None:
    TerritoryFactory.create(slug="vide")
    assert selectors.space_by_slug("vide") is None


def test_scoping_keeps_each_town_to_itself() -> None:
    town, other = TownFactory.create(), TownFactory.create()
    mine = ShopFactory.create(town=town)
    ShopFactory.create(town=other)
    space = selectors.space_by_slug(town.slug)
    assert space is not None

    assert list(Shop.objects.in_space(space)) == [mine]
    assert list(Shop.objects.for_town(town)) == [mine]
