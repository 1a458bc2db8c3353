from __future__ import annotations

import pytest

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.catalogue.tests.factories import ProductFactory
from centreville.shops.models import Shop, ShopStatus
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory
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


def test_dashboard_figures_of_one_town_ignore_the_other() -> None:
    town, other = TownFactory.create(), TownFactory.create()
    ShopFactory.create_batch(2, town=town)
    ShopFactory.create(town=town, status=ShopStatus.SUBMITTED)
    ProductFactory.create(
        shop=ShopMembershipFactory.create(shop=ShopFactory.create(town=town)).shop, is_visible=False
    )
    TownRoleFactory.create(town=town, role=Role.ELECTED)
    for _ in range(4):
        ProductFactory.create(shop=ShopMembershipFactory.create(shop=ShopFactory.create(town=other)).shop)
    TownRoleFactory.create(town=other, role=Role.ELECTED)

    figures = selectors.town_dashboard_figures(town)

    assert figures.published_shops == 3
    assert figures.shops_by_status["En attente de validation"] == 1
    assert (figures.products, figures.visible_products) == (1, 0)
    assert figures.merchants == 1
    assert figures.roles["Élu·e"] == 1


def test_platform_directory_counts_published_shops() -> None:
    town = TownFactory.create()
    ShopFactory.create_batch(2, town=town)
    ShopFactory.create(town=town, status=ShopStatus.CLOSED)

    directory = selectors.platform_directory()

    assert [(t.pk, getattr(t, "shop_count", None)) for t in directory.towns] == [(town.pk, 2)]
