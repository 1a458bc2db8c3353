from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from centreville.activity import selectors, services
from centreville.activity.models import DailyCount, Metric, TownDailyTotal
from centreville.activity.tests.factories import day_count
from centreville.catalogue.services import product_delete
from centreville.catalogue.tests.factories import ProductFactory
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


def test_counts_add_up_per_shop_and_per_town_without_duplicate_rows() -> None:
    shop = ShopFactory.create(slug="fromagerie")
    day = date(2026, 11, 23)

    services.write_counts({(Metric.SHOP_VIEW, shop.town_id, "fromagerie"): 3}, day=day)
    services.write_counts(
        {(Metric.SHOP_VIEW, shop.town_id, "fromagerie"): 2, (Metric.QR_SCAN, shop.town_id, ""): 4}, day=day
    )
    services.write_counts({(Metric.QR_SCAN, shop.town_id, ""): 1}, day=day)

    assert DailyCount.objects.get(shop=shop, metric=Metric.SHOP_VIEW).count == 5
    assert DailyCount.objects.get(shop=None, town=shop.town, metric=Metric.QR_SCAN).count == 5
    assert DailyCount.objects.count() == 2
    town_counts = selectors.town_counts_by_day(
        shop.town_id, [Metric.SHOP_VIEW, Metric.QR_SCAN], first_day=day, last_day=day
    )
    assert town_counts == {(Metric.SHOP_VIEW, day): 5, (Metric.QR_SCAN, day): 5}


def test_a_shop_slug_counts_only_in_its_own_town() -> None:
    shop = ShopFactory.create(slug="librairie")
    other_town = TownFactory.create()

    services.write_counts({(Metric.SHOP_VIEW, other_town.pk, "librairie"): 1}, day=date(2026, 11, 23))

    assert not DailyCount.objects.filter(shop=shop).exists()


def test_events_wait_in_memory_until_the_batch_is_due(settings: SettingsWrapper) -> None:
    settings.ACTIVITY_FLUSH_EVENTS = 3
    settings.ACTIVITY_FLUSH_SECONDS = 3600
    shop = ShopFactory.create()
    services.flush()

    services.record(Metric.SHOP_VIEW, town_id=shop.town_id, shop_slug=shop.slug)
    services.record(Metric.SHOP_VIEW, town_id=shop.town_id, shop_slug=shop.slug)
    assert not DailyCount.objects.exists()
    services.record(Metric.SHOP_VIEW, town_id=shop.town_id, shop_slug=shop.slug)

    assert DailyCount.objects.get(shop=shop).count == 3


def test_visits_of_the_week_fill_missing_days_with_zero() -> None:
    shop = ShopFactory.create()
    services.write_counts({(Metric.SHOP_VIEW, shop.town_id, shop.slug): 2}, day=date(2026, 11, 20))
    services.write_counts({(Metric.PRODUCT_VIEW, shop.town_id, shop.slug): 5}, day=date(2026, 11, 20))

    week = selectors.shop_visits_by_day(shop.pk, last_day=date(2026, 11, 23))

    assert len(week) == 7
    assert dict(week)[date(2026, 11, 20)] == 7
    assert dict(week)[date(2026, 11, 23)] == 0


def test_writing_counts_of_many_towns_looks_shops_up_in_one_query(
    django_assert_num_queries: Any,
) -> None:
    # Given a batch naming shops of three towns, two of them sharing a slug, and a shop that no longer exists
    shops = [ShopFactory.create(slug="boulangerie") for _ in range(2)] + [ShopFactory.create()]
    batch: dict[tuple[str, int, str], int] = {
        (Metric.SHOP_VIEW, shop.town_id, shop.slug): 2 for shop in shops
    }
    batch[(Metric.SHOP_VIEW, shops[0].town_id, "disparue")] = 1

    # When it is written: one lookup, one batch of upserts for the existing shops, one batch of town
    # totals, and the savepoint and its release
    with django_assert_num_queries(1 + 1 + 1 + 2):
        services.write_counts(batch, day=date(2026, 11, 23))

    # Then each shop got its own count, and each town its total without the shop that no longer exists
    assert {row.shop_id: row.count for row in DailyCount.objects.all()} == {shop.pk: 2 for shop in shops}
    assert {row.town_id: row.count for row in TownDailyTotal.objects.all()} == {
        shop.town_id: 2 for shop in shops
    }


def test_every_batch_writes_its_rows_in_the_same_order_whatever_its_own() -> None:
    # Given two servers' batches naming the same rows, counted in opposite orders
    town = TownFactory.create()
    shops = [ShopFactory.create(town=town, slug=slug) for slug in ("cordonnerie", "boulangerie", "atelier")]
    product = ProductFactory.create(shop=shops[0], slug="ressemelage")
    keys = [services.CountKey(Metric.SHOP_VIEW, town.pk, shop.slug) for shop in shops]
    keys += [
        services.CountKey(Metric.SEARCH, town.pk),
        services.CountKey(Metric.PRODUCT_VIEW, town.pk, "cordonnerie", "ressemelage"),
    ]
    day = date(2026, 11, 23)

    # When each is made into rows
    first, _ = services.upsert_rows(dict.fromkeys(keys, 1), day=day)
    second, _ = services.upsert_rows(dict.fromkeys(reversed(keys), 1), day=day)

    # Then both upsert the rows in one order: two flushing at once wait for each other, never crosswise
    assert first == second
    assert [row[1] for row in first.shop] == [shop.pk for shop in reversed(shops)]  # by slug: a, b, c
    assert first.product == [(town.pk, shops[0].pk, product.pk, day, Metric.PRODUCT_VIEW, 1)]
    assert first.town == [(town.pk, day, Metric.SEARCH, 1)]


def test_a_product_page_counts_for_the_product_and_so_for_its_shop() -> None:
    # Given a shop with a product, and a same-slug product in another shop
    product = ProductFactory.create(slug="pain-au-levain")
    shop = product.shop
    ProductFactory.create(slug="pain-au-levain")
    day = date(2026, 11, 23)

    # When its page and its shop's page are viewed, in two batches, and a removed product's page once
    for _ in range(2):
        services.write_counts(
            {
                services.CountKey(Metric.PRODUCT_VIEW, shop.town_id, shop.slug, "pain-au-levain"): 3,
                services.CountKey(Metric.SHOP_VIEW, shop.town_id, shop.slug): 1,
            },
            day=day,
        )
    services.write_counts(
        {services.CountKey(Metric.PRODUCT_VIEW, shop.town_id, shop.slug, "retire"): 2}, day=day
    )

    # Then the product has its own row, the removed one counts for the shop, and the shop's week adds up
    assert DailyCount.objects.get(product=product).count == 6
    assert DailyCount.objects.get(product=product).shop_id == shop.pk
    assert DailyCount.objects.get(shop=shop, product=None, metric=Metric.PRODUCT_VIEW).count == 2
    assert DailyCount.objects.get(shop=shop, metric=Metric.SHOP_VIEW).count == 2
    assert dict(selectors.shop_visits_by_day(shop.pk, last_day=day))[day] == 10
    assert DailyCount.objects.count() == 3


def test_a_product_page_view_is_counted_from_the_page_itself(client: Client) -> None:
    product = ProductFactory.create(slug="carnet", shop=ShopFactory.create(slug="librairie"))
    services.flush()

    client.get(f"/{product.town.slug}/commerces/librairie/produits/carnet/")
    client.get(f"/{product.town.slug}/commerces/librairie/produits/carnet/")  # from the page cache

    assert DailyCount.objects.get(product=product, metric=Metric.PRODUCT_VIEW).count == 2
    assert not DailyCount.objects.filter(product=None, metric=Metric.PRODUCT_VIEW).exists()


def test_a_deleted_products_visits_stay_with_its_shop() -> None:
    # Given a product viewed on two days, one of which its shop also has product views without a product
    product = ProductFactory.create()
    shop = product.shop
    for day, count in [(date(2026, 3, 28), 5), (date(2026, 3, 29), 7)]:
        day_count(
            town=shop.town, shop=shop, product=product, metric=Metric.PRODUCT_VIEW, day=day, count=count
        )
    day_count(town=shop.town, shop=shop, metric=Metric.PRODUCT_VIEW, day=date(2026, 3, 29), count=2)
    before = selectors.town_counts_by_day(
        shop.town_id, [Metric.PRODUCT_VIEW], first_day=date(2026, 3, 1), last_day=date(2026, 3, 31)
    )

    # When the merchant deletes it
    product_delete(product=product)

    # Then its views are its shop's, and the town's figures of those days have not changed
    assert dict(DailyCount.objects.filter(shop=shop, product=None).values_list("day", "count")) == {
        date(2026, 3, 28): 5,
        date(2026, 3, 29): 9,
    }
    assert before == selectors.town_counts_by_day(
        shop.town_id, [Metric.PRODUCT_VIEW], first_day=date(2026, 3, 1), last_day=date(2026, 3, 31)
    )


def test_a_deleted_shops_counts_stay_in_its_towns_figures() -> None:
    # Given a shop viewed and scanned one day, and the town's own searches that day
    shop = ShopFactory.create(slug="quincaillerie")
    day = date(2026, 3, 29)  # the spring clock change
    services.write_counts(
        {
            (Metric.SHOP_VIEW, shop.town_id, "quincaillerie"): 4,
            (Metric.QR_SCAN, shop.town_id, "quincaillerie"): 1,
            (Metric.SEARCH, shop.town_id, ""): 6,
        },
        day=day,
    )
    metrics = [Metric.SHOP_VIEW, Metric.QR_SCAN, Metric.SEARCH]
    before = selectors.town_counts_by_day(shop.town_id, metrics, first_day=day, last_day=day)

    # When the shop leaves the platform and its rows with it
    shop.delete()

    # Then the town's figures of that day have not changed
    assert not DailyCount.objects.filter(shop__isnull=False).exists()
    assert before == {(Metric.SHOP_VIEW, day): 4, (Metric.QR_SCAN, day): 1, (Metric.SEARCH, day): 6}
    assert selectors.town_counts_by_day(shop.town_id, metrics, first_day=day, last_day=day) == before
