from __future__ import annotations

import pytest
from django.test import Client

from centreville.catalogue.tests.factories import ProductFactory
from centreville.shops.models import ShopStatus
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.tests.factories import TerritoryFactory, TownFactory

pytestmark = pytest.mark.django_db


def test_shop_page_shows_the_shop_and_its_visible_products(client: Client) -> None:
    shop = ShopFactory.create(name="Fromagerie Lebrun", phone="02 33 36 12 34")
    ProductFactory.create(shop=shop, title="Camembert de Normandie AOP", stock=None)
    ProductFactory.create(shop=shop, title="Produit masqué", is_visible=False)

    page = client.get(f"/{shop.town.slug}/commerces/{shop.slug}/").content.decode()

    assert "Fromagerie Lebrun" in page
    assert "Camembert de Normandie AOP" in page
    assert "Disponible" in page
    assert "Produit masqué" not in page


@pytest.mark.parametrize(
    "status", [ShopStatus.DRAFT, ShopStatus.SUBMITTED, ShopStatus.REJECTED, ShopStatus.CLOSED]
)
def test_unpublished_shops_have_no_public_page(client: Client, status: str) -> None:
    shop = ShopFactory.create(status=status)
    assert client.get(f"/{shop.town.slug}/commerces/{shop.slug}/").status_code == 404


def test_a_shop_is_not_reachable_through_another_town(client: Client) -> None:
    shop = ShopFactory.create()
    other = TownFactory.create()
    assert client.get(f"/{other.slug}/commerces/{shop.slug}/").status_code == 404


def test_shop_pages_live_under_their_town_not_the_territory(client: Client) -> None:
    territory = TerritoryFactory.create()
    shop = ShopFactory.create(town=TownFactory.create(territory=territory))
    assert client.get(f"/{territory.slug}/commerces/{shop.slug}/").status_code == 404
    assert client.get(f"/{shop.town.slug}/commerces/{shop.slug}/").status_code == 200


@pytest.mark.parametrize("hours", ["Tu-Fr 09:00-12:15 / 14:15-19:00", "lundi 9h-12h", "Mo-Sa 25:00-26:00"])
def test_unreadable_opening_hours_are_refused_in_french(hours: str) -> None:
    from django.core.exceptions import ValidationError

    shop = ShopFactory.build(town=TownFactory.create(), opening_hours=hours)
    shop.category.save()
    with pytest.raises(ValidationError) as error:
        shop.full_clean()
    assert "Horaires illisibles" in error.value.message_dict["opening_hours"][0]
