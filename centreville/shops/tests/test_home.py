"""The town home leads with the town team's choice, then with shops and products that have photos, varied
across trades; its cards show photos; its query count does not grow with the town."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import translation
from pytest_django.fixtures import Settings

from centreville.activity import services as activity
from centreville.catalogue import selectors as catalogue_selectors
from centreville.catalogue.models import Product, ProductPhoto
from centreville.catalogue.photos import product_photo_add
from centreville.catalogue.tests.factories import ProductFactory
from centreville.core.tests.samples import valid_upload
from centreville.shops import selectors
from centreville.shops.models import Shop, ShopPhoto, ShopStatus
from centreville.shops.photos import shop_photo_add
from centreville.shops.tests.factories import ShopClosureFactory, ShopFactory, TradeCategoryFactory
from centreville.showcase import featured
from centreville.towns.models import Town
from centreville.towns.selectors import space_by_slug
from centreville.towns.spaces import Space
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
TUESDAY = datetime(2026, 11, 10, 10, 0, tzinfo=PARIS)
# Names and sizes given: nothing reads the files (none exist) for these rows.
PHOTO_FILES = {
    "small": "s.webp",
    "medium": "m.webp",
    "large": "l.webp",
    "small_width": 320,
    "small_height": 240,
    "width": 1280,
    "height": 960,
}


@pytest.fixture(autouse=True)
def _french() -> None:
    translation.activate("fr")


@pytest.fixture
def counts_in_memory(settings: Settings, db: None) -> Iterator[None]:
    settings.ACTIVITY_FLUSH_EVENTS = 100_000
    settings.ACTIVITY_FLUSH_SECONDS = 3600
    yield
    activity.flush()


def space_of(town: Town) -> Space:
    space = space_by_slug(town.slug)
    assert space is not None
    return space


def with_photo(shop: Shop) -> Shop:
    """A photo row is enough for the selection (no picture is drawn here)."""
    ShopPhoto.objects.create(shop=shop, alt_text="Vitrine", **PHOTO_FILES)
    return shop


def product_with_photo(product: Product) -> Product:
    ProductPhoto.objects.create(product=product, **PHOTO_FILES)
    return product


def img_tag(html: str, alt: str) -> str:
    """The whole <img> tag whose alternative text is `alt`."""
    at = html.index(f'alt="{alt}"')
    return html[html.rindex("<img", 0, at) : html.index(">", at) + 1]


def test_without_a_choice_the_home_leads_with_shops_with_photos_varied_across_trades() -> None:
    town = TownFactory.create()
    bread, books, cleaning = (
        TradeCategoryFactory.create(name=name, slug=name.lower()) for name in ("Pain", "Livres", "Pressing")
    )
    bakeries = [with_photo(ShopFactory.create(town=town, category=bread)) for _ in range(3)]
    bookshop = with_photo(ShopFactory.create(town=town, category=books))
    # The newest rows: dry cleaners without a photo, which used to lead the home.
    newest = ShopFactory.create_batch(3, town=town, category=cleaning)

    home = selectors.space_home_content(space_of(town), at=TUESDAY)

    shown = [shop.pk for shop in home.featured_shops]
    assert set(shown[:4]) == {shop.pk for shop in [*bakeries, bookshop]}
    # One of each trade before a second of the same: the bookshop comes among the first two.
    assert bookshop.pk in shown[:2]
    assert set(shown[4:]) == {shop.pk for shop in newest}


def test_the_town_teams_choice_comes_first_in_its_order_and_only_while_published() -> None:
    town, other = TownFactory.create(), TownFactory.create()
    with_photo(ShopFactory.create(town=town))
    first_choice = ShopFactory.create(town=town, name="Sans photo mais choisi")
    second_choice = ShopFactory.create(town=town)
    featured.featured_shop_add(town=town, shop=second_choice)
    featured.featured_shop_add(town=town, shop=first_choice)
    featured.featured_move(featured=town.featuredshops.get(shop=first_choice), offset=-1)
    hidden_later = ShopFactory.create(town=town)
    featured.featured_shop_add(town=town, shop=hidden_later)
    Shop.objects.filter(pk=hidden_later.pk).update(status=ShopStatus.HIDDEN)
    featured.featured_shop_add(town=other, shop=ShopFactory.create(town=other, name="Choix d'ailleurs"))

    home = selectors.space_home_content(space_of(town), at=TUESDAY)

    assert [shop.pk for shop in home.featured_shops[:2]] == [first_choice.pk, second_choice.pk]
    assert hidden_later.pk not in [shop.pk for shop in home.featured_shops]
    assert "Choix d'ailleurs" not in [shop.name for shop in home.featured_shops]


def test_products_with_photos_come_first_from_different_shops_then_the_chosen_ones_lead() -> None:
    town = TownFactory.create()
    bakery, cheese = ShopFactory.create(town=town), ShopFactory.create(town=town)
    breads = [product_with_photo(ProductFactory.create(shop=bakery)) for _ in range(3)]
    camembert = product_with_photo(ProductFactory.create(shop=cheese))
    ProductFactory.create_batch(3, shop=cheese)  # newer, without photos
    ProductFactory.create(shop=bakery, is_visible=False)
    chosen = ProductFactory.create(shop=cheese, title="Choisi par la ville")

    before = [product.pk for product in catalogue_selectors.home_products(space_of(town), at=TUESDAY)]
    featured.featured_product_add(town=town, product=chosen)
    after = [product.pk for product in catalogue_selectors.home_products(space_of(town), at=TUESDAY)]

    assert set(before[:4]) == {product.pk for product in [*breads, camembert]}
    assert camembert.pk in before[:2]
    assert len(before) == 8
    assert after[0] == chosen.pk


def test_equally_good_shops_take_turns_from_day_to_day() -> None:
    town = TownFactory.create()
    shops = [with_photo(ShopFactory.create(town=town)) for _ in range(selectors.FEATURED_SHOPS + 6)]
    space = space_of(town)

    days = {
        tuple(
            shop.pk
            for shop in selectors.space_home_content(space, at=TUESDAY.replace(day=day)).featured_shops
        )
        for day in range(10, 15)
    }

    assert len(days) > 1
    assert all(len(selection) == selectors.FEATURED_SHOPS for selection in days)
    assert {pk for selection in days for pk in selection} <= {shop.pk for shop in shops}


def test_home_cards_show_each_photo_in_several_sizes_and_a_placeholder_otherwise(client: Client) -> None:
    town = TownFactory.create()
    bakery = ShopFactory.create(town=town, name="Boulangerie du Marché")
    shop_photo_add(shop=bakery, upload=valid_upload((1600, 1200)), alt_text="La vitrine de la boulangerie")
    ShopFactory.create(town=town, name="Pressing sans photo")
    loaf = ProductFactory.create(shop=bakery, title="Pain au levain")
    product_photo_add(product=loaf, upload=valid_upload((600, 600)), alt_text="Un pain au levain tranché")

    html = client.get(f"/{town.slug}/").content.decode()

    shop_photo = img_tag(html, "La vitrine de la boulangerie")
    assert " 320w" in shop_photo
    assert " 640w" in shop_photo
    assert "large" not in shop_photo  # a card never needs the 1280 px rendition
    assert 'sizes="' in shop_photo
    assert 'fetchpriority="high"' in shop_photo  # the first card: part of the first screen
    assert 'loading="lazy"' in img_tag(html, "Un pain au levain tranché")
    assert 'class="card-photo card-photo-none card-photo-shop" aria-hidden="true"' in html
    assert html.index("Commerces à découvrir") < html.index("Ouverts en ce moment")


def test_home_queries_stay_the_same_whatever_the_number_of_shops_photos_and_choices(
    client: Client, counts_in_memory: None, django_assert_max_num_queries: Any
) -> None:
    town = TownFactory.create()
    url = f"/{town.slug}/"
    for _ in range(3):
        shop = with_photo(ShopFactory.create(town=town, opening_hours="24/7"))
        product_with_photo(ProductFactory.create(shop=shop))
    # The home's queries, plus one for the agenda's next dates and one for the town's car parks.
    with django_assert_max_num_queries(13):
        assert client.get(url).status_code == 200

    for n in range(40):
        shop = ShopFactory.create(town=town, opening_hours="24/7")
        ShopClosureFactory.create(shop=shop)
        product = ProductFactory.create(shop=shop)
        if n % 2:
            with_photo(shop)
            product_with_photo(product)
        if n < 5:
            featured.featured_shop_add(town=town, shop=shop)
            featured.featured_product_add(town=town, product=product)
    with django_assert_max_num_queries(13):
        assert client.get(url, {"fresh": "1"}).status_code == 200
