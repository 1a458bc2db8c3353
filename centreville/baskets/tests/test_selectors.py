"""Reading the basket: grouped by shop, with totals and what no longer fits, in one query."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from centreville.baskets.selectors import basket_summary
from centreville.baskets.tests.factories import NOW, BasketFactory, BasketLineFactory, shop_taking_orders
from centreville.catalogue.tests.factories import ProductFactory, ProductVariantFactory
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db


def test_the_summary_groups_by_shop_with_prices_totals_and_problems_in_three_queries() -> None:
    basket = BasketFactory.create()
    bakery = shop_taking_orders(basket.town, name="Boulangerie")
    books = shop_taking_orders(basket.town, name="Aux Livres")
    bread = ProductFactory.create(shop=bakery, title="Pain", price=Decimal("1.20"), stock=10)
    novel = ProductFactory.create(shop=books, title="Roman", price=Decimal("20.00"), stock=1)
    tee = ProductFactory.create(shop=books, title="Tee-shirt", price=Decimal("15.00"), stock=None)
    large = ProductVariantFactory.create(product=tee, label="L", price=Decimal("17.00"), stock=4)
    BasketLineFactory.create(basket=basket, product=bread, quantity=3)
    BasketLineFactory.create(basket=basket, product=novel, quantity=2)
    BasketLineFactory.create(basket=basket, product=tee, variant=large, quantity=1)

    with CaptureQueriesContext(connection) as queries:
        summary = basket_summary(basket, at=NOW)
        shops = [
            (group.shop.name, [(line.title, line.line_total) for line in group.lines])
            for group in summary.shops
        ]

    assert len(queries) == 3  # the lines, who handles the shops, their closures
    assert shops == [
        ("Aux Livres", [("Roman", Decimal("40.00")), ("Tee-shirt (L)", Decimal("17.00"))]),
        ("Boulangerie", [("Pain", Decimal("3.60"))]),
    ]
    assert [group.items_total for group in summary.shops] == [Decimal("57.00"), Decimal("3.60")]
    assert (summary.total, summary.count) == (Decimal("60.60"), 6)
    assert summary.shops[0].lines[0].problem == "« Roman » : il n'en reste que 1."
    assert summary.has_problems
    assert not summary.shops[1].has_problems


def test_the_summary_shows_nothing_of_another_town() -> None:
    basket = BasketFactory.create()
    elsewhere = ProductFactory.create(shop=shop_taking_orders(TownFactory.create()))
    BasketLineFactory.create(
        basket=basket, product=elsewhere
    )  # only possible by hand, never through basket_add

    summary = basket_summary(basket, at=NOW)

    assert summary.is_empty
    assert summary.count == 0


def test_no_basket_is_an_empty_summary() -> None:
    assert basket_summary(None, at=NOW).is_empty
