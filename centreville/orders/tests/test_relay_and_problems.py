"""The steps after acceptance: a relay order dropped at the relay point before the customer is sent there,
and the problems a shop reports (an article missing or damaged, nobody came), each with its reason."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from centreville.baskets.tests.factories import NOW
from centreville.catalogue.models import Product
from centreville.catalogue.stock import Wanted
from centreville.catalogue.tests.factories import ProductFactory
from centreville.fulfilment.models import FulfilmentMethod
from centreville.fulfilment.tests.factories import RelayPointFactory
from centreville.notifications.models import Audience, Notification
from centreville.notifications.reminders import orders_send_reminders
from centreville.orders.expiry import orders_expire_overdue
from centreville.orders.models import Order, OrderEvent, OrderStatus
from centreville.orders.selectors import tracked_basket
from centreville.orders.services import order_transition
from centreville.orders.tests.factories import order_place
from centreville.orders.transitions import merchant_moves
from centreville.shops.tests.factories import ShopMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene() -> dict[str, Any]:
    bread = ProductFactory.create(title="Pain de campagne", price=Decimal("4.20"), stock=5)
    shop = bread.shop
    cake = ProductFactory.create(shop=shop, title="Tarte aux pommes", price=Decimal("12.00"), stock=3)
    return {
        "shop": shop,
        "bread": bread,
        "cake": cake,
        "merchant": ShopMembershipFactory.create(shop=shop).user,
        "relay": RelayPointFactory.create(town=shop.town, name="Maison de la presse"),
    }


def place(scene: dict[str, Any], *, relay: bool = False, contact: str = "jeanne@example.fr") -> Order:
    order = order_place(
        shop=scene["shop"],
        wanted=[Wanted(scene["bread"].pk, 2), Wanted(scene["cake"].pk, 1)],
        customer=None,
        customer_name="Jeanne Dupont",
        customer_contact=contact,
    )
    if relay:
        Order.objects.filter(pk=order.pk).update(
            fulfilment=FulfilmentMethod.RELAY, relay_point=scene["relay"]
        )
        order.refresh_from_db()
    return order


def move(order: Order, scene: dict[str, Any], *statuses: str, **kwargs: Any) -> Order:
    for status in statuses:
        order = order_transition(order=order, to_status=status, actor=scene["merchant"], **kwargs)
    return order


def stock_of(product: Product) -> int | None:
    return Product.objects.get(pk=product.pk).stock


def customer_messages(order: Order) -> list[Notification]:
    return list(Notification.objects.filter(order=order, audience=Audience.CUSTOMER).order_by("pk"))


def test_a_relay_order_is_dropped_at_the_relay_point_before_it_can_be_collected(
    scene: dict[str, Any],
) -> None:
    order = move(place(scene, relay=True), scene, OrderStatus.ACCEPTED, OrderStatus.READY)

    assert merchant_moves(scene["merchant"], order) == [OrderStatus.DROPPED, OrderStatus.SHOP_CANCELLED]
    with pytest.raises(ValidationError, match="ne peut pas passer"):
        move(order, scene, OrderStatus.COLLECTED)

    move(order, scene, OrderStatus.DROPPED, OrderStatus.COLLECTED)

    steps = list(OrderEvent.objects.filter(order=order).values_list("to_status", flat=True))
    assert steps == ["placed", "accepted", "ready", "dropped", "collected"]


def test_an_order_collected_at_the_shop_is_never_dropped(scene: dict[str, Any]) -> None:
    order = move(place(scene), scene, OrderStatus.ACCEPTED, OrderStatus.READY)

    assert OrderStatus.DROPPED not in merchant_moves(scene["merchant"], order)
    with pytest.raises(ValidationError, match="ne peut pas passer"):
        move(order, scene, OrderStatus.DROPPED)


def test_the_relay_customer_is_sent_to_the_relay_point_only_once_it_is_dropped(
    scene: dict[str, Any], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        order = place(scene, relay=True)
        move(order, scene, OrderStatus.ACCEPTED, OrderStatus.READY)
    told = [message.kind for message in customer_messages(order)]
    assert "ready" not in told  # still in the shop: nobody is sent to the relay point yet

    with django_capture_on_commit_callbacks(execute=True):
        move(order, scene, OrderStatus.DROPPED)

    [dropped] = [message for message in customer_messages(order) if message.kind == "dropped"]
    assert "déposé votre commande au point relais" in dropped.body
    assert "Maison de la presse" in dropped.body
    assert "Retirez-la avant le" in dropped.body
    tracked = tracked_basket(order.town, order.tracking_token, at=NOW)
    assert tracked is not None
    assert tracked.orders[0].status_words == "Déposée au point relais : vous pouvez aller la chercher."


def test_the_collection_delay_of_a_relay_order_starts_when_it_is_dropped(scene: dict[str, Any]) -> None:
    order = move(place(scene, relay=True), scene, OrderStatus.ACCEPTED, OrderStatus.READY)
    long_ago = timezone.now() - timedelta(days=6, hours=12)
    OrderEvent.objects.filter(order=order, to_status__in=["placed", "accepted", "ready"]).update(
        created_at=long_ago
    )
    move(order, scene, OrderStatus.DROPPED)  # dropped just now, after six and a half days in the shop

    assert orders_expire_overdue(now=timezone.now() + timedelta(days=1)) == 0
    assert orders_send_reminders(now=timezone.now() + timedelta(days=6, hours=1)) == 1
    assert orders_expire_overdue(now=timezone.now() + timedelta(days=7, minutes=1)) == 1
    assert Order.objects.get(pk=order.pk).status == OrderStatus.EXPIRED
    assert stock_of(scene["bread"]) == 5


def test_a_shop_cancels_an_accepted_order_with_a_reason_giving_back_only_what_goes_back_on_the_shelf(
    scene: dict[str, Any], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    order = move(place(scene), scene, OrderStatus.ACCEPTED)
    cake_line = order.lines.get(product=scene["cake"])
    with pytest.raises(ValidationError) as missing_reason:
        move(order, scene, OrderStatus.SHOP_CANCELLED, unavailable_lines=[cake_line.pk])
    assert "reason" in missing_reason.value.message_dict
    assert (stock_of(scene["bread"]), stock_of(scene["cake"])) == (3, 2)

    with django_capture_on_commit_callbacks(execute=True):
        move(
            order,
            scene,
            OrderStatus.SHOP_CANCELLED,
            reason="La tarte est tombée ce matin, désolé.",
            unavailable_lines=[cake_line.pk],
        )

    # The bread goes back on the shelf; the fallen cake does not exist any more.
    assert (stock_of(scene["bread"]), stock_of(scene["cake"])) == (5, 2)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.SHOP_CANCELLED
    [told] = [m for m in customer_messages(order) if m.kind == "shop_cancelled"]
    assert "La tarte est tombée ce matin, désolé." in told.body
    assert "Tarte aux pommes" in told.body
    tracked = tracked_basket(order.town, order.tracking_token, at=NOW)
    assert tracked is not None
    assert tracked.orders[0].status_reason == "La tarte est tombée ce matin, désolé."
    assert tracked.orders[0].unavailable_titles == ["Tarte aux pommes"]


def test_a_shop_that_cannot_deliver_gives_everything_back(scene: dict[str, Any]) -> None:
    order = move(place(scene), scene, OrderStatus.ACCEPTED)

    move(order, scene, OrderStatus.SHOP_CANCELLED, reason="Notre livreur est malade.")

    assert (stock_of(scene["bread"]), stock_of(scene["cake"])) == (5, 3)


def test_a_shop_names_only_the_lines_of_the_order(scene: dict[str, Any]) -> None:
    order = move(place(scene), scene, OrderStatus.ACCEPTED)
    other = move(place(scene), scene, OrderStatus.ACCEPTED)

    with pytest.raises(ValidationError):
        move(
            order,
            scene,
            OrderStatus.SHOP_CANCELLED,
            reason="Abîmé",
            unavailable_lines=[other.lines.first().pk],  # type: ignore[union-attr]
        )
    assert Order.objects.get(pk=order.pk).status == OrderStatus.ACCEPTED


@pytest.mark.parametrize("relay", [False, True])
def test_a_customer_who_never_came_is_told_why_and_the_stock_goes_back(
    scene: dict[str, Any], relay: bool, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    steps = [OrderStatus.ACCEPTED, OrderStatus.READY] + ([OrderStatus.DROPPED] if relay else [])
    order = move(place(scene, relay=relay), scene, *steps)
    with pytest.raises(ValidationError):
        move(order, scene, OrderStatus.NOT_COLLECTED)

    with django_capture_on_commit_callbacks(execute=True):
        move(order, scene, OrderStatus.NOT_COLLECTED, reason="Personne n'est venu en 7 jours.")

    assert (stock_of(scene["bread"]), stock_of(scene["cake"])) == (5, 3)
    [told] = [m for m in customer_messages(order) if m.kind == "not_collected"]
    assert "Personne n'est venu en 7 jours." in told.body
    assert "n'a pas été retirée" in told.body


def test_a_customer_cannot_report_a_problem_in_the_shops_place(scene: dict[str, Any]) -> None:
    order = move(place(scene), scene, OrderStatus.ACCEPTED)

    with pytest.raises(Exception, match="ne pouvez pas"):
        order_transition(
            order=order, to_status=OrderStatus.SHOP_CANCELLED, actor=None, reason="x", as_customer=True
        )
