"""The basket pages: add from a cached product page, change quantities, errors kept beside the line."""

from __future__ import annotations

from html import unescape

import pytest
from django.conf import settings
from django.test import Client

from centreville.baskets.models import Basket, BasketLine
from centreville.baskets.tests.factories import BasketLineFactory, shop_taking_orders
from centreville.catalogue.models import Product
from centreville.catalogue.tests.factories import ProductFactory, ProductVariantFactory
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def town() -> Town:
    return TownFactory.create()


def test_the_session_cookie_is_same_site_lax_which_the_add_form_relies_on() -> None:
    assert getattr(settings, "SESSION_COOKIE_SAMESITE", "Lax") == "Lax"


def test_adding_from_a_page_without_csrf_token_fills_the_basket(town: Town) -> None:
    product = ProductFactory.create(shop=shop_taking_orders(town), title="Tarte aux pommes", stock=4)
    client = Client(enforce_csrf_checks=True)

    response = client.post(f"/{town.slug}/panier/ajouter/", {"product": product.pk, "quantity": "2"})

    assert response.status_code == 302
    assert response["Location"] == f"/{town.slug}/panier/"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "« Tarte aux pommes » est dans votre panier (quantité : 2)." in html
    assert "Commander" in html
    assert page["Cache-Control"].startswith("max-age=0")
    assert BasketLine.objects.get().quantity == 2


def test_a_refused_addition_goes_back_to_the_product_page_with_the_reason(town: Town) -> None:
    product = ProductFactory.create(shop=shop_taking_orders(town), title="Brioche", stock=1)
    client = Client()
    page = f"/{town.slug}/commerces/{product.shop.slug}/produits/{product.slug}/"

    response = client.post(
        f"/{town.slug}/panier/ajouter/", {"product": product.pk, "quantity": "3", "next": page}
    )

    assert response["Location"] == page
    assert "« Brioche » : il n'en reste que 1." in unescape(client.get(page).content.decode())
    assert not BasketLine.objects.exists()


def test_a_product_with_variants_added_from_a_list_leads_to_its_page(town: Town) -> None:
    product = ProductFactory.create(shop=shop_taking_orders(town), title="Pull")
    ProductVariantFactory.create(product=product)

    response = Client().post(
        f"/{town.slug}/panier/ajouter/",
        {"product": product.pk, "next": f"/{town.slug}/commerces/{product.shop.slug}/"},
    )

    assert response["Location"] == f"/{town.slug}/commerces/{product.shop.slug}/produits/{product.slug}/"


def test_an_address_of_another_site_is_never_followed(town: Town) -> None:
    product = ProductFactory.create(shop=shop_taking_orders(town), stock=0)

    response = Client().post(
        f"/{town.slug}/panier/ajouter/", {"product": product.pk, "next": "https://ailleurs.example/"}
    )

    assert response["Location"] == f"/{town.slug}/panier/"


def test_changing_and_removing_a_line(town: Town) -> None:
    client = Client()
    product = ProductFactory.create(shop=shop_taking_orders(town), stock=9)
    client.post(f"/{town.slug}/panier/ajouter/", {"product": product.pk})
    line = BasketLine.objects.get()

    client.post(f"/{town.slug}/panier/lignes/{line.pk}/", {"quantity": "4"})
    assert BasketLine.objects.get().quantity == 4
    client.post(f"/{town.slug}/panier/lignes/{line.pk}/retirer/")
    assert not BasketLine.objects.exists()


def test_a_refused_quantity_is_shown_beside_its_line_with_what_was_typed(town: Town) -> None:
    client = Client()
    product = ProductFactory.create(shop=shop_taking_orders(town), stock=3, title="Miel")
    client.post(f"/{town.slug}/panier/ajouter/", {"product": product.pk})
    line = BasketLine.objects.get()

    response = client.post(f"/{town.slug}/panier/lignes/{line.pk}/", {"quantity": "7"})

    html = unescape(response.content.decode())
    assert response.status_code == 422
    assert "« Miel » : il n'en reste que 3." in html
    assert 'value="7"' in html
    assert 'aria-invalid="true"' in html
    assert BasketLine.objects.get().quantity == 1


def test_another_visitors_line_is_out_of_reach(town: Town) -> None:
    others = BasketLineFactory.create(basket__town=town, quantity=1)
    client = Client()
    client.post(
        f"/{town.slug}/panier/ajouter/", {"product": ProductFactory.create(shop=shop_taking_orders(town)).pk}
    )

    client.post(f"/{town.slug}/panier/lignes/{others.pk}/retirer/")
    response = client.post(f"/{town.slug}/panier/lignes/{others.pk}/", {"quantity": "5"})

    assert response.status_code == 422
    assert BasketLine.objects.get(pk=others.pk).quantity == 1


def test_product_and_shop_pages_offer_the_basket_only_for_shops_taking_orders(town: Town) -> None:
    taking = ProductFactory.create(shop=shop_taking_orders(town), stock=2)
    sold_out = ProductFactory.create(shop=taking.shop, stock=0)
    showcase_only = ProductFactory.create(shop=ShopFactory.create(town=town), stock=2)
    client = Client()

    def page(product: Product) -> str:
        return client.get(
            f"/{town.slug}/commerces/{product.shop.slug}/produits/{product.slug}/"
        ).content.decode()

    assert f'action="/{town.slug}/panier/ajouter/"' in page(taking)
    assert "Ajouter au panier" not in page(sold_out)
    assert "Ajouter au panier" not in page(showcase_only)
    shop_page = client.get(f"/{town.slug}/commerces/{taking.shop.slug}/").content.decode()
    assert shop_page.count("Ajouter au panier") == 1
    assert not Basket.objects.exists()  # looking never makes a basket


def test_an_empty_basket_says_so_and_checkout_sends_back_to_it(town: Town) -> None:
    client = Client()

    assert "Votre panier est vide." in client.get(f"/{town.slug}/panier/").content.decode()
    response = client.get(f"/{town.slug}/panier/commande/")
    assert response["Location"] == f"/{town.slug}/panier/"


def test_adding_from_a_page_goes_back_to_it_with_a_message_and_the_count(town: Town) -> None:
    shop = shop_taking_orders(town)
    croissant = ProductFactory.create(shop=shop, title="Croissant", stock=9)
    baguette = ProductFactory.create(shop=shop, title="Baguette", stock=9)
    client = Client()
    page = f"/{town.slug}/commerces/{shop.slug}/"

    first = client.post(f"/{town.slug}/panier/ajouter/", {"product": croissant.pk, "next": page})
    client.post(f"/{town.slug}/panier/ajouter/", {"product": baguette.pk, "quantity": "2", "next": page})
    html = unescape(client.get(page).content.decode())

    assert first["Location"] == page
    assert "« Baguette » est dans votre panier (quantité : 2)." in html
    assert badge(3, "articles") in html
    assert BasketLine.objects.count() == 2


def badge(count: int, words: str) -> str:
    """The header's basket count as the page writes it: the number, and its words for screen readers."""
    return (
        f'<span class="basket-count"><span aria-hidden="true">{count}</span>'
        f'<span class="visually-hidden">{count} {words}</span></span>'
    )
