"""The platform's front page and the home of a town or territory over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from centreville.catalogue.tests.factories import ProductFactory
from centreville.shops.models import ShopStatus
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.tests.factories import TerritoryFactory, TownFactory

pytestmark = pytest.mark.django_db


def test_platform_home_lists_published_towns_and_territories(client: Client) -> None:
    territory = TerritoryFactory.create(name="Terres de Test")
    TownFactory.create(name="Argentan", territory=territory)
    TownFactory.create(name="Ville Cachée", is_published=False)

    page = client.get("/").content.decode()

    assert "Argentan" in page
    assert "Terres de Test" in page
    assert "Ville Cachée" not in page


def test_town_home_shows_only_published_shops_of_that_town(client: Client) -> None:
    town, other = TownFactory.create(), TownFactory.create()
    ShopFactory.create(town=town, name="Fromagerie Lebrun")
    ShopFactory.create(town=town, name="Brouillon Secret", status=ShopStatus.DRAFT)
    ShopFactory.create(town=other, name="Boutique d'Ailleurs")
    ProductFactory.create(shop=ShopFactory.create(town=town, name="Cave Martin"), title="Cidre fermier")

    page = client.get(f"/{town.slug}/").content.decode()

    assert "Fromagerie Lebrun" in page
    assert "Cidre fermier" in page
    assert "Brouillon Secret" not in page
    assert "Boutique d&#x27;Ailleurs" not in page


def test_territory_home_gathers_its_towns(client: Client) -> None:
    territory = TerritoryFactory.create()
    first, second = TownFactory.create(territory=territory), TownFactory.create(territory=territory)
    ShopFactory.create(town=first, name="Librairie du Pont")
    ShopFactory.create(town=second, name="Primeur des Halles")
    ShopFactory.create(town=TownFactory.create(), name="Hors Territoire")

    page = client.get(f"/{territory.slug}/").content.decode()

    assert "Librairie du Pont" in page
    assert "Primeur des Halles" in page
    assert "Hors Territoire" not in page


def test_unknown_or_unpublished_space_is_a_french_404(client: Client) -> None:
    hidden = TownFactory.create(is_published=False)

    for url in ("/nulle-part/", f"/{hidden.slug}/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Page introuvable" in response.content.decode()


def test_town_home_query_count_does_not_grow_with_shops(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    town = TownFactory.create()
    for _ in range(15):
        ProductFactory.create(shop=ShopFactory.create(town=town))

    # The space, shop rows, closures, shops shown and their photos, trades, chosen products, recent
    # products with photos and the others, products shown and their photos, the town's car parks, the
    # agenda's next dates.
    with django_assert_max_num_queries(13):
        assert client.get(f"/{town.slug}/").status_code == 200


def test_platform_home_never_names_an_unpublished_town_of_a_territory(client: Client) -> None:
    territory = TerritoryFactory.create(name="Terres de Test")
    TownFactory.create(name="Argentan", territory=territory)
    TownFactory.create(name="Bourg Secret", territory=territory, is_published=False)

    page = client.get("/").content.decode()

    assert "Terres de Test" in page
    assert "Bourg Secret" not in page


@pytest.mark.parametrize(
    ("name", "heading", "navigation"),
    [
        ("Argentan", "Le centre-ville d&#x27;Argentan", "Navigation d&#x27;Argentan"),
        ("Hérouville-Saint-Clair", "Le centre-ville d&#x27;Hérouville-Saint-Clair", "Navigation d&#x27;Hé"),
        ("Le Havre", "Le centre-ville du Havre", "Navigation du Havre"),
        ("Caen", "Le centre-ville de Caen", "Navigation de Caen"),
    ],
)
def test_town_names_after_de_are_elided_as_french_writes_them(
    client: Client, name: str, heading: str, navigation: str
) -> None:
    town = TownFactory.create(name=name)

    page = client.get(f"/{town.slug}/").content.decode()

    assert f"<h1>{heading}</h1>" in page
    assert f'aria-label="{navigation}' in page
    assert "de Argentan" not in page
    assert "de Le Havre" not in page


def test_town_names_in_english_come_without_french_articles(client: Client) -> None:
    town = TownFactory.create(name="Le Havre")
    client.cookies["django_language"] = "en"

    page = client.get(f"/{town.slug}/").content.decode()

    assert "<h1>Le Havre town centre</h1>" in page
    assert 'aria-label="Le Havre navigation"' in page


def test_counts_on_the_home_are_singular_for_zero_and_one_in_french(client: Client) -> None:
    empty = TownFactory.create()
    one = TownFactory.create()
    ShopFactory.create(town=one, opening_hours="24/7")

    assert "0 commerce indépendant vous attend." in client.get(f"/{empty.slug}/").content.decode()
    platform = client.get("/").content.decode()
    assert "<p>0 commerce</p>" in platform
    assert "<p>1 commerce</p>" in platform
    page = client.get(f"/{one.slug}/").content.decode()
    assert "1 commerce indépendant vous attend." in page
    assert "1 commerce est ouvert en ce moment." in page
