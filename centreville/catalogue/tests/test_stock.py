"""The one stock check, and stock taken then given back in the same lock order."""

from __future__ import annotations

import pytest

from centreville.catalogue.models import Product, ProductVariant
from centreville.catalogue.stock import Wanted, stock_return, stock_shortage, stock_shortages, stock_take
from centreville.catalogue.tests.factories import ProductFactory, ProductVariantFactory

pytestmark = pytest.mark.django_db


def test_a_shortage_says_what_is_left_in_french() -> None:
    brioche = ProductFactory.create(title="Brioche", stock=2)
    pull = ProductFactory.create(title="Pull", stock=None)
    size_m = ProductVariantFactory.create(product=pull, label="Taille M", stock=0)

    assert stock_shortage(brioche, None, 2) is None
    short = stock_shortage(brioche, None, 3)
    assert short is not None
    assert short.message == "« Brioche » : il n'en reste que 2."
    sold_out = stock_shortage(pull, size_m, 1)
    assert sold_out is not None
    assert (sold_out.product_id, sold_out.variant_id) == (pull.pk, size_m.pk)
    assert sold_out.message == "« Pull (Taille M) » n'est plus disponible."
    assert stock_shortage(pull, None, 500) is None  # on request: no stock kept


def test_the_quantities_of_one_article_add_up() -> None:
    brioche = ProductFactory.create(title="Brioche", stock=3)
    pull = ProductFactory.create(title="Pull", stock=None)
    size_m = ProductVariantFactory.create(product=pull, label="Taille M", stock=1)
    wanted = [Wanted(brioche.pk, 2), Wanted(pull.pk, 1, size_m.pk), Wanted(brioche.pk, 2)]

    shortages = stock_shortages(wanted, {brioche.pk: brioche, pull.pk: pull}, {size_m.pk: size_m})

    assert [shortage.title for shortage in shortages] == ["Brioche"]


def test_stock_returned_goes_back_to_the_rows_that_keep_one() -> None:
    brioche = ProductFactory.create(stock=5)
    pull = ProductFactory.create(stock=None)
    size_m = ProductVariantFactory.create(product=pull, stock=4)
    wanted = [Wanted(brioche.pk, 2), Wanted(pull.pk, 1, size_m.pk), Wanted(pull.pk, 3)]

    stock_take(wanted)
    assert (Product.objects.get(pk=brioche.pk).stock, ProductVariant.objects.get(pk=size_m.pk).stock) == (
        3,
        3,
    )
    stock_return(wanted)

    assert (Product.objects.get(pk=brioche.pk).stock, ProductVariant.objects.get(pk=size_m.pk).stock) == (
        5,
        4,
    )
    assert Product.objects.get(pk=pull.pk).stock is None
