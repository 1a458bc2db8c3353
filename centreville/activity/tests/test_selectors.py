"""Reads of the activity counts for the observatory: most viewed shops and products, searches without result;
each of one town only, over the days asked, computed here by hand."""

from __future__ import annotations

from datetime import date

import pytest

from centreville.activity import selectors
from centreville.activity.models import Metric, SearchWithoutResult
from centreville.activity.tests.factories import day_count
from centreville.catalogue.tests.factories import ProductFactory
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

FIRST, LAST = date(2026, 3, 1), date(2026, 3, 31)


def test_the_most_viewed_shops_add_their_page_and_their_products_pages() -> None:
    # Given two shops of the town, one of another town, and views in and out of March
    town = TownFactory.create()
    bakery, bookshop = ShopFactory.create(town=town), ShopFactory.create(town=town)
    loaf = ProductFactory.create(shop=bakery)
    elsewhere = ShopFactory.create()
    rows = [
        (bakery, None, Metric.SHOP_VIEW, date(2026, 3, 1), 10),
        (bakery, None, Metric.SHOP_VIEW, date(2026, 3, 31), 5),
        (bakery, loaf, Metric.PRODUCT_VIEW, date(2026, 3, 15), 7),
        (bakery, None, Metric.PRODUCT_VIEW, date(2026, 3, 15), 1),  # a product since removed
        (bakery, None, Metric.SHOP_VIEW, date(2026, 2, 28), 100),  # February
        (bookshop, None, Metric.SHOP_VIEW, date(2026, 3, 2), 30),
        (bookshop, None, Metric.QR_SCAN, date(2026, 3, 2), 50),  # not a page view
    ]
    for shop, product, metric, day, count in rows:
        day_count(town=shop.town, shop=shop, product=product, metric=metric, day=day, count=count)
    day_count(town=elsewhere.town, shop=elsewhere, metric=Metric.SHOP_VIEW, day=date(2026, 3, 2), count=999)

    most = selectors.shops_most_viewed(town.pk, first_day=FIRST, last_day=LAST)

    # Then the bookshop (30) comes before the bakery (10 + 5 on its page, 7 + 1 on its products' = 23)
    assert [(row.shop_id, row.shop_page, row.product_pages, row.total) for row in most] == [
        (bookshop.pk, 30, 0, 30),
        (bakery.pk, 15, 8, 23),
    ]
    assert (
        selectors.shops_most_viewed(town.pk, first_day=FIRST, last_day=LAST, limit=1)[0].shop_id
        == bookshop.pk
    )
    assert selectors.shops_most_counted(town.pk, Metric.QR_SCAN, first_day=FIRST, last_day=LAST) == [
        (bookshop.pk, 50)
    ]


def test_the_most_viewed_products_are_those_counted_one_by_one() -> None:
    town = TownFactory.create()
    shop = ShopFactory.create(town=town)
    loaf, cake = ProductFactory.create(shop=shop), ProductFactory.create(shop=shop)
    for product, day, count in [
        (loaf, date(2026, 3, 3), 4),
        (loaf, date(2026, 3, 4), 4),
        (cake, date(2026, 3, 4), 9),
    ]:
        day_count(town=town, shop=shop, product=product, metric=Metric.PRODUCT_VIEW, day=day, count=count)
    day_count(town=town, shop=shop, metric=Metric.PRODUCT_VIEW, day=date(2026, 3, 4), count=50)
    other = ProductFactory.create()
    day_count(
        town=other.town,
        shop=other.shop,
        product=other,
        metric=Metric.PRODUCT_VIEW,
        day=date(2026, 3, 4),
        count=99,
    )

    most = selectors.products_most_viewed(town.pk, first_day=FIRST, last_day=LAST)

    assert [(row.product_id, row.shop_id, row.views) for row in most] == [
        (cake.pk, shop.pk, 9),
        (loaf.pk, shop.pk, 8),
    ]


def test_searches_without_result_most_searched_first_with_their_last_day() -> None:
    town, other = TownFactory.create(), TownFactory.create()
    for words, day, count in [
        ("cordonnier", date(2026, 3, 2), 2),
        ("cordonnier", date(2026, 3, 20), 1),
        ("fleuriste", date(2026, 3, 29), 3),  # the clocks went forward that night: still one day
        ("primeur", date(2026, 3, 10), 3),
        ("poissonnerie", date(2026, 4, 1), 8),  # April
    ]:
        SearchWithoutResult.objects.create(town=town, query=words, day=day, count=count)
    SearchWithoutResult.objects.create(town=other, query="cordonnier", day=date(2026, 3, 2), count=40)

    found = selectors.searches_without_result(town.pk, first_day=FIRST, last_day=LAST)

    # Three searches each: the most recently searched first
    assert [(row.words, row.times, row.last_day) for row in found] == [
        ("fleuriste", 3, date(2026, 3, 29)),
        ("cordonnier", 3, date(2026, 3, 20)),
        ("primeur", 3, date(2026, 3, 10)),
    ]
    assert len(selectors.searches_without_result(town.pk, first_day=FIRST, last_day=LAST, limit=2)) == 2
