"""Checkout of the town basket: one order per shop, one reference, all or nothing, in few queries."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from centreville.accounts.tests.factories import UserFactory
from centreville.baskets.models import Basket, BasketLine
from centreville.baskets.tests.factories import (
    NOW,
    BasketFactory,
    BasketLineFactory,
    delivery,
    every_way,
    pickup,
    shop_taking_orders,
    town_taking_orders,
)
from centreville.catalogue.models import Product, ProductVariant
from centreville.catalogue.tests.factories import ProductFactory, ProductVariantFactory
from centreville.fulfilment.models import ShopFulfilment
from centreville.fulfilment.services import FulfilmentChoice
from centreville.notifications.models import Notification
from centreville.orders.checkout import checkout, checkout_review, clean_contact
from centreville.orders.checkout_refusals import CheckoutRefused
from centreville.orders.models import Order, OrderEvent, OrderLine, OrderStatus
from centreville.payments.providers.base import ProviderError
from centreville.payments.providers.fake import FakeProvider

pytestmark = pytest.mark.django_db

GUEST: dict[str, Any] = {
    "customer": None,
    "customer_name": "Jeanne Martin",
    "customer_contact": "06 12 34 56 78",
    "now": NOW,
    # Where the customer comes back after paying online (lockers and delivery are paid online).
    "return_url": "http://testserver/suivi/__token__/",
    "cancel_url": "http://testserver/suivi/__token__/?paiement=abandonne",
}


def basket_of(shop_count: int, lines_per_shop: int) -> tuple[Basket, dict[int, FulfilmentChoice]]:
    town, places = town_taking_orders()
    basket = BasketFactory.create(town=town)
    shops = [shop_taking_orders(town) for _ in range(shop_count)]
    for shop in shops:
        for n in range(lines_per_shop):
            product = ProductFactory.create(shop=shop, stock=10, price=Decimal("4.00"))
            if n % 3 == 2:  # some articles are a variant of a product
                variant = ProductVariantFactory.create(product=product, stock=10, price=Decimal("5.00"))
                BasketLineFactory.create(basket=basket, product=product, variant=variant, quantity=2)
            else:
                BasketLineFactory.create(basket=basket, product=product, quantity=2)
    return basket, every_way(shops, places)


def test_the_basket_becomes_one_order_per_shop_under_one_reference_each_with_its_way() -> None:
    basket, choices = basket_of(4, 2)

    result = checkout(basket=basket, choices=choices, pay_online=True, **GUEST)

    orders = list(Order.objects.filter(basket_reference=result.basket_reference).order_by("shop_id"))
    assert [order.pk for order in orders] == [order.pk for order in result.orders]
    assert [order.shop_id for order in orders] == sorted(choices)
    assert [order.fulfilment for order in orders] == ["pickup", "relay", "locker", "delivery"]
    pickup_order, relay_order, locker_order, delivered = orders
    assert pickup_order.pickup_slot_start == choices[pickup_order.shop_id].slot_start
    assert relay_order.relay_point_id == choices[relay_order.shop_id].relay_point_id
    assert locker_order.locker_id == choices[locker_order.shop_id].locker_id
    assert (delivered.delivery_postcode, delivered.delivery_fee, delivered.delivery_subsidy) == (
        "61200",
        Decimal("6.00"),
        Decimal("3.00"),
    )
    assert all(order.status == OrderStatus.PLACED for order in orders)
    assert all(order.customer_contact == "+33612345678" for order in orders)
    assert [order.items_total for order in orders] == [Decimal("16.00")] * 4  # 2 x 4,00 € twice
    assert OrderLine.objects.filter(order__in=orders).count() == 8
    assert OrderEvent.objects.filter(order__in=orders, to_status=OrderStatus.PLACED).count() == 4
    assert result.tracking_token == orders[0].tracking_token
    assert result.payment_url  # the locker and the delivery are paid online
    assert {(order.payment, order.payment_state) for order in orders} == {("online", "pending")}
    assert not BasketLine.objects.filter(basket=basket).exists()
    assert set(Product.objects.filter(shop_id__in=choices).values_list("stock", flat=True)) == {8}


def test_a_variant_takes_its_own_stock_and_price() -> None:
    town, _places = town_taking_orders()
    shop = shop_taking_orders(town)
    product = ProductFactory.create(shop=shop, title="Pull", price=Decimal("40.00"), stock=None)
    size_m = ProductVariantFactory.create(product=product, label="Taille M", stock=3, price=Decimal("45.00"))
    basket = BasketFactory.create(town=town)
    BasketLineFactory.create(basket=basket, product=product, variant=size_m, quantity=2)

    result = checkout(basket=basket, choices={shop.pk: pickup(shop)}, pay_online=False, **GUEST)

    line = result.orders[0].lines.get()
    assert (line.title, line.unit_price, line.quantity) == ("Pull (Taille M)", Decimal("45.00"), 2)
    size_m.refresh_from_db()
    assert size_m.stock == 1


def test_one_article_short_refuses_the_whole_basket_naming_its_shop_and_article() -> None:
    town, places = town_taking_orders()
    first, second = shop_taking_orders(town), shop_taking_orders(town, name="Fournil du Marché")
    basket = BasketFactory.create(town=town)
    plenty = ProductFactory.create(shop=first, stock=10)
    short = ProductFactory.create(shop=second, stock=1, title="Brioche")
    BasketLineFactory.create(basket=basket, product=plenty, quantity=3)
    BasketLineFactory.create(basket=basket, product=short, quantity=2)

    with pytest.raises(CheckoutRefused) as refused:
        checkout(basket=basket, choices=every_way([first, second], places), pay_online=False, **GUEST)

    assert refused.value.shop_id == second.pk
    assert refused.value.messages == ["Fournil du Marché : « Brioche » : il n'en reste que 1."]
    assert not Order.objects.exists()
    assert not OrderEvent.objects.exists()
    assert Product.objects.get(pk=plenty.pk).stock == 10
    assert BasketLine.objects.filter(basket=basket).count() == 2


def test_a_way_refused_for_one_shop_records_nothing() -> None:
    town, _places = town_taking_orders()
    first, second = shop_taking_orders(town), shop_taking_orders(town, name="Épicerie Fine")
    basket = BasketFactory.create(town=town)
    for shop in (first, second):
        BasketLineFactory.create(basket=basket, product=ProductFactory.create(shop=shop, stock=4))
    choices = {
        first.pk: pickup(first),
        second.pk: delivery(second, postcode="14000"),
    }

    with pytest.raises(CheckoutRefused) as refused:
        checkout(basket=basket, choices=choices, pay_online=True, **GUEST)

    assert refused.value.shop_id == second.pk
    assert refused.value.messages[0].startswith("Épicerie Fine : ")
    assert "en dehors des zones de livraison" in refused.value.messages[0]
    assert not Order.objects.exists()
    assert set(Product.objects.values_list("stock", flat=True)) == {4}
    assert BasketLine.objects.filter(basket=basket).count() == 2


def test_a_shop_without_a_choice_or_no_longer_taking_orders_is_named() -> None:
    town, _places = town_taking_orders()
    shop = shop_taking_orders(town, name="Librairie")
    basket = BasketFactory.create(town=town)
    BasketLineFactory.create(basket=basket, product=ProductFactory.create(shop=shop))

    with pytest.raises(CheckoutRefused, match="Librairie : choisissez comment récupérer"):
        checkout(basket=basket, choices={}, pay_online=False, **GUEST)

    shop.offers_click_collect = shop.offers_delivery = False
    shop.save()
    with pytest.raises(CheckoutRefused, match="Librairie : Ce commerce ne prend pas de commande en ligne"):
        checkout(basket=basket, choices={shop.pk: pickup(shop)}, pay_online=False, **GUEST)
    assert not Order.objects.exists()


def test_a_product_hidden_since_it_was_put_in_the_basket_is_refused() -> None:
    town, _places = town_taking_orders()
    shop = shop_taking_orders(town, name="Fromagerie")
    basket = BasketFactory.create(town=town)
    product = ProductFactory.create(shop=shop, title="Camembert", stock=5)
    BasketLineFactory.create(basket=basket, product=product)
    choices = {shop.pk: pickup(shop)}
    Product.objects.filter(pk=product.pk).update(is_visible=False)

    with pytest.raises(CheckoutRefused, match=r"Fromagerie : « Camembert » n'est plus proposé\."):
        checkout(basket=basket, choices=choices, pay_online=False, **GUEST)

    assert Product.objects.get(pk=product.pk).stock == 5


def test_an_empty_basket_or_a_second_checkout_of_the_same_basket_is_refused() -> None:
    town, _places = town_taking_orders()
    shop = shop_taking_orders(town)
    basket = BasketFactory.create(town=town)
    BasketLineFactory.create(basket=basket, product=ProductFactory.create(shop=shop))
    choices = {shop.pk: pickup(shop)}
    checkout(basket=basket, choices=choices, pay_online=False, **GUEST)

    with pytest.raises(ValidationError, match="Votre panier est vide"):
        checkout(basket=basket, choices=choices, pay_online=False, **GUEST)

    assert Order.objects.count() == 1


def test_a_signed_in_customer_owns_the_orders() -> None:
    town, _places = town_taking_orders()
    shop = shop_taking_orders(town)
    customer = UserFactory.create()
    basket = BasketFactory.create(town=town, user=customer)
    BasketLineFactory.create(basket=basket, product=ProductFactory.create(shop=shop))

    result = checkout(
        basket=basket,
        customer=customer,
        customer_name="Paul",
        customer_contact="Paul@Example.FR",
        choices={shop.pk: pickup(shop)},
        pay_online=False,
        now=NOW,
    )

    order = result.orders[0]
    assert (order.customer_id, order.customer_contact) == (customer.pk, "paul@example.fr")
    assert OrderEvent.objects.get(order=order).actor_id == customer.pk


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("+33 2 33 12 34 56", "+33233123456"),
        ("0612345678", "+33612345678"),
        (" jeanne@exemple.fr ", "jeanne@exemple.fr"),
    ],
)
def test_a_contact_is_a_french_phone_number_or_an_email(given: str, kept: str) -> None:
    assert clean_contact(given) == kept


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("", "Indiquez un numéro de téléphone ou une adresse e-mail"),
        ("06 12", "n'est ni un numéro de téléphone valide"),
        ("jeanne@", "n'est pas une adresse e-mail valide"),
        ("bonjour", "n'est ni un numéro de téléphone valide"),
    ],
)
def test_a_bad_contact_is_refused_in_french(given: str, says: str) -> None:
    with pytest.raises(ValidationError, match=says):
        clean_contact(given)


def test_a_guest_without_a_name_is_refused_before_anything_is_written() -> None:
    basket, choices = basket_of(1, 1)

    with pytest.raises(ValidationError, match="Indiquez votre nom"):
        checkout(
            basket=basket,
            customer=None,
            customer_name="  ",
            customer_contact="06 12 34 56 78",
            choices=choices,
            pay_online=False,
            now=NOW,
        )

    assert not Order.objects.exists()


def basket_lines(basket: Basket) -> set[tuple[int, int, int | None, int]]:
    return set(
        BasketLine.objects.filter(basket=basket).values_list("pk", "product_id", "variant_id", "quantity")
    )


def _provider_down(*args: object) -> tuple[str, str]:
    raise ProviderError("the provider does not answer")


@pytest.mark.django_db(transaction=True)
def test_the_payment_is_opened_once_the_orders_are_committed_then_they_are_announced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    basket, choices = basket_of(2, 1)
    transactions_open: list[int] = []
    create_charge = FakeProvider.create_charge

    def opening(self: FakeProvider, *args: Any) -> tuple[str, str]:
        transactions_open.append(len(connection.atomic_blocks))
        assert not Notification.objects.exists()  # nobody is told before the payment is opened
        return create_charge(self, *args)

    monkeypatch.setattr(FakeProvider, "create_charge", opening)

    result = checkout(basket=basket, choices=choices, pay_online=True, **GUEST)

    assert transactions_open == [1]  # the payment's own, not the checkout's: no stock lock is held
    assert result.payment_url
    assert Notification.objects.filter(order__in=result.orders).exists()


@pytest.mark.django_db(transaction=True)
def test_a_payment_that_cannot_be_opened_withdraws_the_orders_and_restores_the_basket(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    basket, choices = basket_of(4, 3)  # products and variants, every way
    lines = basket_lines(basket)
    monkeypatch.setattr(FakeProvider, "create_charge", _provider_down)

    with pytest.raises(CheckoutRefused) as refused:
        checkout(basket=basket, choices=choices, pay_online=True, **GUEST)

    assert refused.value.messages == [
        "Le paiement en ligne est indisponible pour le moment. Réessayez, ou réglez au retrait."
    ]
    assert not refused.value.conflict
    assert refused.value.shop_id is None
    assert not Order.objects.exists()
    assert not OrderEvent.objects.exists()
    assert not Notification.objects.exists()
    assert set(Product.objects.exclude(stock=None).values_list("stock", flat=True)) == {10}
    assert set(ProductVariant.objects.values_list("stock", flat=True)) == {10}
    assert basket_lines(basket) == lines  # as they were, under the same ids


def test_a_review_opens_no_payment_and_keeps_the_basket(monkeypatch: pytest.MonkeyPatch) -> None:
    basket, choices = basket_of(2, 2)
    monkeypatch.setattr(FakeProvider, "create_charge", _provider_down)
    arguments = {key: value for key, value in GUEST.items() if not key.endswith("_url")}

    review = checkout_review(basket=basket, choices=choices, pay_online=True, **arguments)

    assert [planned.order.shop_id for planned in review.orders] == sorted(choices)
    assert review.items_total == Decimal("32.00")  # 2 x 4,00 € for each of the 4 lines
    assert not Order.objects.exists()
    assert BasketLine.objects.filter(basket=basket).count() == 4
    assert set(Product.objects.values_list("stock", flat=True)) == {10}


def checkout_queries(shop_count: int, lines_per_shop: int) -> int:
    basket, choices = basket_of(shop_count, lines_per_shop)
    with CaptureQueriesContext(connection) as queries:
        result = checkout(basket=basket, choices=choices, pay_online=True, **GUEST)
    assert len(result.orders) == shop_count
    assert OrderLine.objects.filter(order__basket_reference=result.basket_reference).count() == (
        shop_count * lines_per_shop
    )
    return len(queries)


def test_checkout_of_five_shops_runs_few_queries_whatever_the_number_of_lines() -> None:
    three_lines = checkout_queries(5, 3)
    six_lines = checkout_queries(5, 6)

    assert three_lines <= 60
    assert six_lines == three_lines


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and concurrent transactions"
)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_checkouts_sharing_shops_and_products_never_oversell_nor_deadlock() -> None:
    town, places = town_taking_orders()
    first, second = shop_taking_orders(town), shop_taking_orders(town)
    ShopFulfilment.objects.filter(shop=second).update(delivery_capacity=100)  # stock is the limit here
    bread = ProductFactory.create(shop=first, stock=10, title="Pain")
    cheese = ProductFactory.create(shop=second, stock=10, title="Fromage")
    baskets = []
    for n in range(30):
        basket = BasketFactory.create(town=town)
        for product in (bread, cheese) if n % 2 else (cheese, bread):  # lines in either order
            BasketLineFactory.create(basket=basket, product=product)
        baskets.append(basket)
    choices = {
        first.pk: FulfilmentChoice(method="relay", relay_point_id=places.relay_point.pk),
        second.pk: delivery(second),
    }
    start = threading.Barrier(10)

    def attempt(basket: Basket) -> str:
        try:
            if basket.pk <= baskets[9].pk:
                start.wait()  # the first wave arrives at once
            # The delivery is paid online.
            checkout(basket=basket, choices=choices, pay_online=True, **GUEST)
        except CheckoutRefused as refusal:
            return refusal.messages[0]
        finally:
            connections.close_all()
        return "ok"

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(attempt, baskets))  # a deadlock would raise here

    assert answers.count("ok") == 10
    assert all(answer == "ok" or "n'est plus disponible" in answer for answer in answers)
    assert Order.objects.count() == 20
    assert set(Product.objects.values_list("stock", flat=True)) == {0}
    assert BasketLine.objects.count() == 20 * 2  # the refused baskets are left as they were
