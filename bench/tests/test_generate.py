"""The benchmark data generator: exact counts, valid data, stable on re-runs, other towns left alone."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from bench import dataset
from centreville.catalogue.models import Product
from centreville.shops.models import Shop, ShopStatus, TradeCategory
from centreville.shops.taxonomy import TRADE_CATEGORIES
from centreville.towns.models import Town

TINY = dataset.Size(towns=2, shops_per_town=3, products_per_shop=2)
METHODS = [
    "bulk",
    pytest.param(
        "copy", marks=pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY needs PostgreSQL")
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("method", METHODS)
def test_tiny_dataset_has_the_promised_counts_and_valid_data(method: str) -> None:
    result = dataset.generate(TINY, seed=3, method=method)

    assert not result.reused
    assert result.counts == dataset.Counts(towns=2, shops=6, products=12)
    assert result.first_town_slug == dataset.first_town_slug()
    towns = list(dataset.bench_towns().order_by("slug"))
    assert towns[0].slug == result.first_town_slug
    for town in towns:
        town.full_clean()
        assert town.slug.startswith(dataset.SLUG_PREFIX)
        assert 43 < town.latitude < 51
        assert -5 < town.longitude < 8
    for shop in Shop.objects.filter(town__in=towns).select_related("town", "category"):
        shop.full_clean()  # runs the opening hours validator
        assert shop.status == ShopStatus.PUBLISHED
        assert shop.opening_hours
        assert shop.postcode == shop.town.postcodes[0]
        assert shop.products.count() == TINY.products_per_shop
    for product in Product.objects.filter(town__in=towns).select_related("shop"):
        product.full_clean()
        assert product.town_id == product.shop.town_id
        assert isinstance(product.price, Decimal)
        assert product.price > 0
        assert product.price == product.price.quantize(Decimal("0.01"))


@pytest.mark.django_db
def test_missing_trade_categories_are_created() -> None:
    TradeCategory.objects.all().delete()

    dataset.generate(TINY)

    assert set(TradeCategory.objects.values_list("slug", flat=True)) >= {c.slug for c in TRADE_CATEGORIES}


@pytest.mark.django_db
def test_rerun_keeps_counts_stable_and_other_towns_alone() -> None:
    other = Town.objects.create(
        name="Argentan",
        slug="argentan",
        insee_code="61006",
        postcodes=["61200"],
        latitude=Decimal("48.744500"),
        longitude=Decimal("-0.020300"),
    )
    first = dataset.generate(TINY)
    first_ids = set(dataset.bench_towns().values_list("pk", flat=True))

    again = dataset.generate(TINY)
    assert again.reused
    assert again.counts == first.counts
    assert set(dataset.bench_towns().values_list("pk", flat=True)) == first_ids  # nothing regenerated

    forced = dataset.generate(TINY, force=True)
    assert not forced.reused
    assert forced.counts == first.counts

    smaller = dataset.generate(dataset.Size(towns=1, shops_per_town=2, products_per_shop=1))
    assert smaller.counts == dataset.Counts(towns=1, shops=2, products=2)
    assert Town.objects.filter(pk=other.pk).exists()

    assert dataset.delete_bench_data() == 1
    assert dataset.bench_counts() == dataset.Counts(0, 0, 0)
    assert Town.objects.filter(pk=other.pk).exists()


@pytest.mark.django_db
def test_a_different_seed_regenerates() -> None:
    dataset.generate(TINY, seed=1)

    result = dataset.generate(TINY, seed=2)

    assert not result.reused
    assert result.counts.products == TINY.products


def test_product_templates_stay_unique_beyond_the_vocabulary() -> None:
    trade = dataset.TRADES[0]
    templates = dataset._product_templates(trade, 3 * len(trade.products) * (len(dataset.VARIANTS) + 1))

    assert len({t.slug for t in templates}) == len(templates)
    assert len({t.title for t in templates}) == len(templates)
    assert all(price > 0 for t in templates for price in t.prices)


def test_insee_codes_are_unique_and_out_of_the_real_ranges() -> None:
    codes = [dataset.insee_code(i) for i in range(dataset.MAX_TOWNS)]

    assert len(set(codes)) == len(codes)
    assert all(code[:2] in ("96", "20", "00") and len(code) == 5 for code in codes)
    with pytest.raises(ValueError, match="at most"):
        dataset.insee_code(dataset.MAX_TOWNS)
