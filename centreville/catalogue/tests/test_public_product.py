"""A product's public page: what it says, when it is 404, how many queries it takes, and its cache."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from centreville.accounts.tests.factories import UserFactory
from centreville.activity import services as activity
from centreville.catalogue import services as catalogue_services
from centreville.catalogue.models import Product
from centreville.catalogue.photos import product_photo_add
from centreville.catalogue.tests.factories import (
    ProductCategoryFactory,
    ProductFactory,
    ProductVariantFactory,
)
from centreville.core.tests.samples import valid_upload
from centreville.shops.models import ShopStatus
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def counts_in_memory(settings: Settings, db: None) -> Iterator[None]:
    """Page views counted in memory, as in production, so that counting writes no row during the test."""
    settings.ACTIVITY_FLUSH_EVENTS = 100_000
    settings.ACTIVITY_FLUSH_SECONDS = 3600
    yield
    activity.flush()


def url_of(product: Product) -> str:
    return f"/{product.shop.town.slug}/commerces/{product.shop.slug}/produits/{product.slug}/"


def page_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_product_page_shows_price_availability_photos_description_category_and_shop(client: Client) -> None:
    shop = ShopFactory.create(name="Fromagerie Lebrun", opening_hours="Mo-Su 00:00-24:00")
    category = ProductCategoryFactory.create(slug="fromages-cremerie", name="Fromages et crèmerie")
    product = ProductFactory.create(
        shop=shop,
        title="Camembert de Normandie AOP",
        description="Au lait cru, moulé à la louche.",
        price=Decimal("12.50"),
        stock=3,
        category=category,
    )
    photo = product_photo_add(
        product=product, upload=valid_upload((800, 600)), alt_text="Le camembert entier"
    )

    page = page_of(client, url_of(product))

    assert '<h1 lang="fr">Camembert de Normandie AOP</h1>' in page
    assert "12,50\u00a0€" in page
    assert "En stock" in page
    assert "Au lait cru, moulé à la louche." in page
    assert "Fromages et crèmerie" in page
    assert 'alt="Le camembert entier"' in page
    assert f"{photo.small.url} 320w" in page
    assert "Fromagerie Lebrun" in page
    assert f'href="/{shop.town.slug}/commerces/{shop.slug}/"' in page
    assert "Ouvert" in page


@pytest.mark.parametrize(("stock", "words"), [(4, "En stock"), (0, "Épuisé"), (None, "Disponible")])
def test_availability_is_said_in_words(client: Client, stock: int | None, words: str) -> None:
    product = ProductFactory.create(stock=stock)

    assert re.search(rf'class="availability[^"]*">{words}</p>', page_of(client, url_of(product)))


def test_prices_are_written_the_french_way(client: Client) -> None:
    product = ProductFactory.create(price=Decimal("1250.00"))

    assert "1\u00a0250,00\u00a0€" in page_of(client, url_of(product))


def test_variants_are_listed_with_their_own_price_and_stock(client: Client) -> None:
    product = ProductFactory.create(price=Decimal("30.00"))
    ProductVariantFactory.create(product=product, label="Taille M", size="M", colour="bleu marine", stock=0)
    ProductVariantFactory.create(product=product, label="Taille L", price=Decimal("27.00"), stock=2)

    page = page_of(client, url_of(product))

    assert "à partir de 27,00\u00a0€" in page
    assert re.search(
        r"Taille M <span class=\"muted\">\(bleu marine\)</span></th>\s*<td>30,00\xa0€</td>\s*<td>Épuisé",
        page,
    )
    assert re.search(r"Taille L</th>\s*<td>27,00\xa0€</td>\s*<td>En stock", page)


def test_related_products_come_from_the_same_shop(client: Client) -> None:
    product = ProductFactory.create(title="Baguette")
    ProductFactory.create(shop=product.shop, title="Pain de seigle")
    ProductFactory.create(shop=product.shop, title="Pain caché", is_visible=False)
    ProductFactory.create(title="Pain d'une autre boutique")

    page = page_of(client, url_of(product))

    assert "Du même commerce" in page
    assert "Pain de seigle" in page
    assert "Pain caché" not in page
    assert "Pain d&#x27;une autre boutique" not in page


def test_hidden_products_and_products_of_unpublished_shops_are_404(client: Client) -> None:
    hidden = ProductFactory.create(is_visible=False)
    in_draft = ProductFactory.create(shop=ShopFactory.create(status=ShopStatus.DRAFT))
    in_hidden_shop = ProductFactory.create(shop=ShopFactory.create(status=ShopStatus.HIDDEN))

    for product in (hidden, in_draft, in_hidden_shop):
        assert client.get(url_of(product)).status_code == 404


def test_a_product_is_404_under_another_town_or_another_shop(client: Client) -> None:
    product = ProductFactory.create()
    other_town = TownFactory.create()
    neighbour = ShopFactory.create(town=product.shop.town)

    assert (
        client.get(f"/{other_town.slug}/commerces/{product.shop.slug}/produits/{product.slug}/").status_code
        == 404
    )
    assert (
        client.get(f"/{neighbour.town.slug}/commerces/{neighbour.slug}/produits/{product.slug}/").status_code
        == 404
    )


def test_product_page_queries_do_not_grow_with_the_shops_products(
    client: Client, counts_in_memory: None, django_assert_max_num_queries: Any
) -> None:
    product = ProductFactory.create()
    ProductVariantFactory.create_batch(3, product=product)
    product_photo_add(product=product, upload=valid_upload(), alt_text="Une photo")
    ProductFactory.create_batch(30, shop=product.shop)

    with django_assert_max_num_queries(7):
        assert client.get(url_of(product)).status_code == 200


def test_a_second_anonymous_visit_makes_no_query_and_a_change_shows_at_once(
    client: Client,
    counts_in_memory: None,
    django_assert_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    product = ProductFactory.create(price=Decimal("12.50"))
    first = client.get(url_of(product))

    with django_assert_num_queries(0):
        second = client.get(url_of(product))
    assert second.content == first.content

    with django_capture_on_commit_callbacks(execute=True):
        catalogue_services.product_set_price(product=product, price=Decimal("9.90"))
    assert "9,90\u00a0€" in page_of(client, url_of(product))


def test_a_signed_in_person_gets_a_fresh_page_and_never_fills_the_cache(
    client: Client, counts_in_memory: None
) -> None:
    product = ProductFactory.create()
    page_of(client, url_of(product))

    client.force_login(UserFactory.create())
    signed_in = page_of(client, url_of(product))
    anonymous = page_of(Client(), url_of(product))

    assert "Se déconnecter" in signed_in
    assert "Se déconnecter" not in anonymous


def test_a_variant_is_not_labelled_twice(client: Client) -> None:
    product = ProductFactory.create(title="Escarpins")
    ProductVariantFactory.create(product=product, label="Taille 38", size="38")
    ProductVariantFactory.create(product=product, label="Rouge, taille 39", size="39", colour="rouge")
    ProductVariantFactory.create(product=product, label="Modèle d'exposition", size="40", colour="noir")

    page = page_of(client, url_of(product))

    assert "Taille 38</th>" in page
    assert "(38)" not in page
    assert "Rouge, taille 39</th>" in page
    assert 'Modèle d&#x27;exposition <span class="muted">(40, noir)</span></th>' in page


def test_one_price_for_every_variant_is_said_once_without_from(client: Client) -> None:
    same = ProductFactory.create(price=Decimal("139.00"))
    for size in ("38", "39", "40"):
        ProductVariantFactory.create(product=same, label=f"Taille {size}")
    varied = ProductFactory.create(price=Decimal("139.00"))
    ProductVariantFactory.create(product=varied, label="Petit", price=Decimal("99.00"))
    ProductVariantFactory.create(product=varied, label="Grand")

    same_page = page_of(client, url_of(same))
    varied_page = page_of(client, url_of(varied))

    assert '<strong class="price">139,00\u00a0€</strong>' in same_page
    assert "à partir de" not in same_page
    assert "à partir de 99,00\u00a0€" in varied_page


def test_a_product_without_stock_count_reads_as_available(client: Client) -> None:
    product = ProductFactory.create(stock=None)

    page = page_of(client, url_of(product))

    assert "Disponible" in page
    assert "Sur demande" not in page
