"""The « mise en avant »: the town manager chooses the shops and products the town's home leads with."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.catalogue.tests.factories import ProductFactory
from centreville.shops.models import ShopStatus
from centreville.shops.tests.factories import ShopFactory
from centreville.showcase import featured
from centreville.towns.models import FeaturedProduct, FeaturedShop, Town
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


def manager_of(client: Client, town: Town) -> Client:
    client.force_login(TownRoleFactory.create(town=town, role=Role.MANAGER).user)
    return client


def page(client: Client, town: Town, **params: str) -> str:
    response = client.get(f"/{town.slug}/gestion/mise-en-avant/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_manager_puts_a_shop_forward_and_the_home_leads_with_it(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    town = TownFactory.create()
    ShopFactory.create_batch(3, town=town)
    chosen = ShopFactory.create(town=town, name="Mercerie Choisie")
    visitor = Client()
    visitor.get(f"/{town.slug}/")  # now in the page cache
    manager_of(client, town)

    assert "Mercerie Choisie" in page(client, town)  # among the choices
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/{town.slug}/gestion/mise-en-avant/commerce/ajouter/", {"shop": chosen.pk})

    assert response.status_code == 302
    assert (
        "« Mercerie Choisie » est mis en avant sur l&#x27;accueil."
        in client.get(response["Location"]).content.decode()
    )
    home = visitor.get(f"/{town.slug}/").content.decode()
    cards = home[home.index("Commerces à découvrir") :]
    assert cards.index("Mercerie Choisie") < cards.index("Boutique")


def test_only_published_shops_of_the_town_can_be_chosen_and_at_most_twelve(client: Client) -> None:
    town, other = TownFactory.create(), TownFactory.create()
    manager_of(client, town)
    url = f"/{town.slug}/gestion/mise-en-avant/commerce/ajouter/"

    for shop in (ShopFactory.create(town=other), ShopFactory.create(town=town, status=ShopStatus.DRAFT)):
        response = client.post(url, {"shop": shop.pk}, follow=True)
        assert "Ce commerce n&#x27;est pas un commerce publié de la ville." in response.content.decode()
    for shop in ShopFactory.create_batch(featured.MAX_FEATURED_SHOPS, town=town):
        featured.featured_shop_add(town=town, shop=shop)
    response = client.post(url, {"shop": ShopFactory.create(town=town).pk}, follow=True)

    assert "L&#x27;accueil montre 12 commerces au plus" in response.content.decode()
    assert FeaturedShop.objects.for_town(town).count() == featured.MAX_FEATURED_SHOPS
    assert not FeaturedShop.objects.for_town(other).exists()


def test_a_shop_chosen_twice_is_refused_in_french() -> None:
    town = TownFactory.create()
    shop = ShopFactory.create(town=town, name="Fleurs")
    featured.featured_shop_add(town=town, shop=shop)

    with pytest.raises(ValidationError, match=r"« Fleurs » est déjà mis en avant\."):
        featured.featured_shop_add(town=town, shop=shop)


def test_the_manager_finds_a_product_by_its_name_and_puts_it_forward(client: Client) -> None:
    town = TownFactory.create()
    shop = ShopFactory.create(town=town)
    cider = ProductFactory.create(shop=shop, title="Cidre fermier")
    ProductFactory.create(shop=shop, title="Cidre caché", is_visible=False)
    ProductFactory.create(shop=ShopFactory.create(), title="Cidre d'ailleurs")
    manager_of(client, town)

    found = page(client, town, produit="cidre")
    response = client.post(
        f"/{town.slug}/gestion/mise-en-avant/produit/ajouter/", {"product": cider.pk, "produit": "cidre"}
    )

    assert "Cidre fermier" in found
    assert "Cidre caché" not in found
    assert "Cidre d&#x27;ailleurs" not in found
    assert response["Location"].endswith("/gestion/mise-en-avant/?produit=cidre")
    assert list(FeaturedProduct.objects.for_town(town).values_list("product", flat=True)) == [cider.pk]


def test_the_manager_reorders_and_removes_choices(client: Client) -> None:
    town = TownFactory.create()
    first, second, third = (ShopFactory.create(town=town, name=name) for name in ("Un", "Deux", "Trois"))
    for shop in (first, second, third):
        featured.featured_shop_add(town=town, shop=shop)
    manager_of(client, town)
    base = f"/{town.slug}/gestion/mise-en-avant/commerce"

    client.post(f"{base}/{FeaturedShop.objects.get(shop=third).pk}/monter/")
    client.post(f"{base}/{FeaturedShop.objects.get(shop=first).pk}/retirer/")

    chosen = FeaturedShop.objects.for_town(town).order_by("position").values_list("shop__name", flat=True)
    assert list(chosen) == ["Trois", "Deux"]


def test_another_towns_choice_cannot_be_changed_from_here(client: Client) -> None:
    town, other = TownFactory.create(), TownFactory.create()
    theirs = featured.featured_shop_add(town=other, shop=ShopFactory.create(town=other))
    manager_of(client, town)

    response = client.post(f"/{town.slug}/gestion/mise-en-avant/commerce/{theirs.pk}/retirer/")

    assert response.status_code == 404
    assert FeaturedShop.objects.filter(pk=theirs.pk).exists()


def test_only_the_towns_managers_reach_the_page(client: Client) -> None:
    town = TownFactory.create()
    url = f"/{town.slug}/gestion/mise-en-avant/"

    assert client.get(url).status_code == 302  # to log in
    client.force_login(UserFactory.create())
    assert client.get(url).status_code == 403
    assert (
        client.post(f"{url}commerce/ajouter/", {"shop": ShopFactory.create(town=town).pk}).status_code == 403
    )
    assert not FeaturedShop.objects.exists()
