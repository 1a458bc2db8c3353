"""Placing an order takes stock all or nothing; the last unit is never sold twice, even under load."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from centreville.catalogue.models import Product, ProductVariant
from centreville.catalogue.stock import NoLongerAvailable, Wanted, stock_return
from centreville.catalogue.tests.factories import ProductFactory, ProductVariantFactory
from centreville.orders.models import Order, OrderEvent, OrderStatus
from centreville.orders.tests.factories import order_place
from centreville.shops.tests.factories import ShopFactory

GUEST: dict[str, Any] = {
    "customer": None,
    "customer_name": "Jeanne Martin",
    "customer_contact": "06 12 34 56 78",
}
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and concurrent transactions"
)


@pytest.mark.django_db
def test_an_order_takes_its_stock_and_records_what_was_sold() -> None:
    product = ProductFactory.create(stock=5, title="Camembert", price="6.90")
    on_request = ProductFactory.create(shop=product.shop, stock=None, title="Plateau de fromages")

    order = order_place(shop=product.shop, wanted=[Wanted(product.pk, 2), Wanted(on_request.pk, 1)], **GUEST)

    product.refresh_from_db()
    assert product.stock == 3
    assert Product.objects.get(pk=on_request.pk).stock is None  # no stock kept: nothing to count
    assert [(line.title, line.quantity, str(line.unit_price)) for line in order.lines.order_by("pk")] == [
        ("Camembert", 2, "6.90"),
        ("Plateau de fromages", 1, str(on_request.price)),
    ]
    assert order.status == OrderStatus.PLACED
    assert OrderEvent.objects.get(order=order).to_status == OrderStatus.PLACED
    assert order.reference != order.basket_reference


@pytest.mark.django_db
def test_too_few_left_refuses_everything_in_french_and_moves_nothing() -> None:
    first = ProductFactory.create(stock=3)
    short = ProductFactory.create(shop=first.shop, stock=1, title="Brioche")

    with pytest.raises(NoLongerAvailable) as error:
        order_place(
            shop=first.shop, wanted=[Wanted(first.pk, 2), Wanted(short.pk, 1), Wanted(short.pk, 1)], **GUEST
        )

    assert "« Brioche » : il n'en reste que 1." in error.value.messages[0]
    assert Product.objects.get(pk=first.pk).stock == 3
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_a_variant_has_its_own_stock_and_price() -> None:
    product = ProductFactory.create(stock=None, title="Pull marin", price="59.00")
    variant = ProductVariantFactory.create(product=product, label="Taille M", stock=1, price="64.00")

    order = order_place(shop=product.shop, wanted=[Wanted(product.pk, 1, variant.pk)], **GUEST)

    assert ProductVariant.objects.get(pk=variant.pk).stock == 0
    line = order.lines.get()
    assert (line.title, str(line.unit_price)) == ("Pull marin (Taille M)", "64.00")
    with pytest.raises(NoLongerAvailable, match="n'est plus disponible"):
        order_place(shop=product.shop, wanted=[Wanted(product.pk, 1, variant.pk)], **GUEST)


@pytest.mark.django_db
def test_a_product_of_another_shop_or_hidden_is_refused() -> None:
    shop = ShopFactory.create()
    elsewhere = ProductFactory.create(stock=5)
    hidden = ProductFactory.create(shop=shop, stock=5, is_visible=False)

    for product in (elsewhere, hidden):
        with pytest.raises(NoLongerAvailable):
            order_place(shop=shop, wanted=[Wanted(product.pk, 1)], **GUEST)

    assert Product.objects.get(pk=elsewhere.pk).stock == 5


@pytest.mark.django_db
def test_bad_orders_get_french_errors() -> None:
    product = ProductFactory.create(stock=5)
    with pytest.raises(ValidationError, match="vide"):
        order_place(shop=product.shop, wanted=[], **GUEST)
    with pytest.raises(ValidationError, match="au moins 1"):
        order_place(shop=product.shop, wanted=[Wanted(product.pk, 0)], **GUEST)
    with pytest.raises(ValidationError, match="votre nom"):
        order_place(
            shop=product.shop,
            wanted=[Wanted(product.pk, 1)],
            customer=None,
            customer_name=" ",
            customer_contact="",
        )


@pytest.mark.django_db
def test_stock_given_back_returns_to_the_shelf() -> None:
    product = ProductFactory.create(stock=2)
    order = order_place(shop=product.shop, wanted=[Wanted(product.pk, 2)], **GUEST)

    stock_return(list(order.lines.all()))

    assert Product.objects.get(pk=product.pk).stock == 2


_R = TypeVar("_R")


def _in_own_connection(work: Callable[[int], _R]) -> Callable[[int], _R]:
    """Run `work` in this thread's own database connection, closed afterwards."""

    def run(n: int) -> _R:
        try:
            return work(n)
        finally:
            connections.close_all()

    return run


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_200_customers_for_the_last_10_units_make_exactly_10_orders() -> None:
    product = ProductFactory.create(stock=10, title="Galette des rois")
    start = threading.Barrier(20)

    @_in_own_connection
    def attempt(n: int) -> str:
        if n < 20:
            start.wait()  # the first wave arrives at once
        try:
            order_place(
                shop=product.shop,
                wanted=[Wanted(product.pk, 1)],
                customer=None,
                customer_name=f"Client {n}",
                customer_contact=f"client{n}@example.fr",
            )
        except NoLongerAvailable as error:
            return error.messages[0]
        return "ok"

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(attempt, range(200)))

    assert answers.count("ok") == 10
    assert answers.count("« Galette des rois » n'est plus disponible.") == 190
    assert Product.objects.get(pk=product.pk).stock == 0
    assert Order.objects.count() == 10


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_baskets_sharing_products_in_opposite_orders_never_deadlock() -> None:
    first = ProductFactory.create(stock=500)
    second = ProductFactory.create(shop=first.shop, stock=500)

    @_in_own_connection
    def attempt(n: int) -> None:
        items = [Wanted(first.pk, 1), Wanted(second.pk, 1)]
        order_place(
            shop=first.shop,
            wanted=items if n % 2 else items[::-1],
            customer=None,
            customer_name="Client",
            customer_contact="client@example.fr",
        )

    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(attempt, range(100)))  # a deadlock would raise here

    assert Product.objects.get(pk=first.pk).stock == 400
    assert Product.objects.get(pk=second.pk).stock == 400
