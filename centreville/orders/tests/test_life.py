"""An order's life: one transition map, enforced with permissions, recorded, giving stock back."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory, UserFactory
from centreville.catalogue.models import Product
from centreville.catalogue.stock import Wanted
from centreville.catalogue.tests.factories import ProductFactory
from centreville.orders.models import Order, OrderEvent, OrderStatus
from centreville.orders.services import order_transition
from centreville.orders.tests.factories import order_place
from centreville.shops.tests.factories import ShopMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene() -> dict[str, Any]:
    product = ProductFactory.create(stock=5)
    customer = UserFactory.create()
    order = order_place(
        shop=product.shop,
        wanted=[Wanted(product.pk, 2)],
        customer=customer,
        customer_name="Jeanne",
        customer_contact="jeanne@example.fr",
    )
    return {
        "order": order,
        "product": product,
        "customer": customer,
        "merchant": ShopMembershipFactory.create(shop=product.shop).user,
        "manager": TownRoleFactory.create(town=product.shop.town, role=Role.MANAGER).user,
        "other_merchant": ShopMembershipFactory.create(shop__town=product.shop.town).user,
    }


def stock_of(product: Product) -> int | None:
    return Product.objects.get(pk=product.pk).stock


def test_from_placed_to_collected_with_every_step_recorded(scene: dict[str, Any]) -> None:
    order, merchant = scene["order"], scene["merchant"]

    for status in (OrderStatus.ACCEPTED, OrderStatus.READY, OrderStatus.COLLECTED):
        order_transition(order=order, to_status=status, actor=merchant)

    assert Order.objects.get(pk=order.pk).status == OrderStatus.COLLECTED
    steps = list(OrderEvent.objects.filter(order=order).values_list("from_status", "to_status"))
    assert steps == [("", "placed"), ("placed", "accepted"), ("accepted", "ready"), ("ready", "collected")]
    assert stock_of(scene["product"]) == 3  # collected: the sale is final


def test_a_refusal_needs_a_reason_and_gives_the_stock_back(scene: dict[str, Any]) -> None:
    order = scene["order"]
    with pytest.raises(ValidationError):
        order_transition(order=order, to_status=OrderStatus.REFUSED, actor=scene["merchant"])

    order_transition(order=order, to_status=OrderStatus.REFUSED, actor=scene["merchant"], reason="Rupture")

    assert stock_of(scene["product"]) == 5
    assert OrderEvent.objects.get(order=order, to_status=OrderStatus.REFUSED).reason == "Rupture"


def test_the_customer_cancels_before_it_is_ready_but_not_after(scene: dict[str, Any]) -> None:
    order, customer = scene["order"], scene["customer"]
    order_transition(order=order, to_status=OrderStatus.CANCELLED, actor=customer)
    assert stock_of(scene["product"]) == 3 + 2

    second = order_place(
        shop=scene["product"].shop,
        wanted=[Wanted(scene["product"].pk, 1)],
        customer=customer,
        customer_name="Jeanne",
        customer_contact="jeanne@example.fr",
    )
    order_transition(order=second, to_status=OrderStatus.ACCEPTED, actor=scene["merchant"])
    order_transition(order=second, to_status=OrderStatus.READY, actor=scene["merchant"])
    with pytest.raises(ValidationError, match="ne peut pas passer"):
        order_transition(order=second, to_status=OrderStatus.CANCELLED, actor=customer)


def test_expiry_is_the_platforms_and_gives_the_stock_back(scene: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        order_transition(order=scene["order"], to_status=OrderStatus.EXPIRED, actor=scene["manager"])

    order_transition(order=scene["order"], to_status=OrderStatus.EXPIRED, actor=None)

    assert stock_of(scene["product"]) == 5


@pytest.mark.parametrize("who", ["customer", "other_merchant"])
def test_only_the_shop_and_the_town_manager_handle_an_order(scene: dict[str, Any], who: str) -> None:
    with pytest.raises(PermissionDenied):
        order_transition(order=scene["order"], to_status=OrderStatus.ACCEPTED, actor=scene[who])
    order_transition(order=scene["order"], to_status=OrderStatus.ACCEPTED, actor=scene["manager"])


def test_someone_else_cannot_cancel_a_customers_order(scene: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        order_transition(order=scene["order"], to_status=OrderStatus.CANCELLED, actor=UserFactory.create())
    assert stock_of(scene["product"]) == 3


def test_the_tracking_link_lets_its_holder_cancel_but_names_only_the_customers_account(
    scene: dict[str, Any],
) -> None:
    holder = UserFactory.create()  # signed in, but not the account that ordered

    order_transition(order=scene["order"], to_status=OrderStatus.CANCELLED, actor=holder, as_customer=True)

    step = OrderEvent.objects.get(order=scene["order"], to_status=OrderStatus.CANCELLED)
    assert (step.by_customer, step.actor) == (True, None)
    assert stock_of(scene["product"]) == 5


def test_the_tracking_link_does_not_let_its_holder_handle_the_order(scene: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        order_transition(
            order=scene["order"], to_status=OrderStatus.ACCEPTED, actor=scene["customer"], as_customer=True
        )
