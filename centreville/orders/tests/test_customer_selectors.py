"""What customers read: a checkout's orders through its private link, their own list, a place's hours."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from centreville.accounts.tests.factories import UserFactory
from centreville.baskets.tests.factories import (
    NOW,
    BasketFactory,
    BasketLineFactory,
    every_way,
    shop_taking_orders,
    town_taking_orders,
)
from centreville.catalogue.tests.factories import ProductFactory
from centreville.orders.checkout import CheckoutResult, checkout
from centreville.orders.models import OrderStatus
from centreville.orders.selectors import customer_baskets, tracked_basket
from centreville.orders.services import order_transition
from centreville.shops.hours import regular_week_in_words

pytestmark = pytest.mark.django_db


def checked_out(town: Any, places: Any, shop_count: int, customer: Any = None) -> CheckoutResult:
    basket = BasketFactory.create(town=town)
    shops = [shop_taking_orders(town) for _ in range(shop_count)]
    for shop in shops:
        BasketLineFactory.create(basket=basket, product=ProductFactory.create(shop=shop, stock=9))
    return checkout(
        basket=basket,
        customer=customer,
        customer_name="Jeanne",
        customer_contact="jeanne@example.fr",
        choices=every_way(shops, places),
        pay_online=True,
        return_url="http://testserver/suivi/",
        cancel_url="http://testserver/suivi/",
        now=NOW,
    )


def test_the_private_link_shows_its_checkouts_orders_only_in_three_queries() -> None:
    town, places = town_taking_orders()
    mine = checked_out(town, places, 4)
    checked_out(town, places, 2)  # someone else's, same town
    other_town, _other_places = town_taking_orders()

    with CaptureQueriesContext(connection) as queries:
        tracked = tracked_basket(town, mine.tracking_token, at=NOW)
        assert tracked is not None
        shown = [
            (t.order.reference, t.order.shop.name, len(t.order.lines.all()), len(t.steps))
            for t in tracked.orders
        ]

    assert len(queries) == 3
    assert [reference for reference, *_rest in shown] == [order.reference for order in mine.orders]
    assert all(lines == 1 and steps == 1 for _ref, _shop, lines, steps in shown)
    assert tracked.basket_reference == mine.basket_reference
    assert tracked_basket(other_town, mine.tracking_token, at=NOW) is None
    assert tracked_basket(town, "pas-le-bon", at=NOW) is None
    assert tracked_basket(town, "", at=NOW) is None


def test_a_tracked_order_says_in_words_where_it_stands_and_whether_it_may_be_cancelled() -> None:
    town, places = town_taking_orders()
    result = checked_out(town, places, 1)
    order = result.orders[0]

    order_transition(order=order, to_status=OrderStatus.REFUSED, actor=None, reason="Rupture de stock")

    tracked = tracked_basket(town, result.tracking_token, at=NOW)
    assert tracked is not None
    refused = tracked.orders[0]
    assert refused.status_words == "Refusée par le commerçant."
    assert refused.refusal_reason == "Rupture de stock"
    assert not refused.can_cancel


def test_a_customers_list_groups_their_checkouts_newest_first_in_their_town_only() -> None:
    town, places = town_taking_orders()
    customer = UserFactory.create()
    first = checked_out(town, places, 2, customer)
    second = checked_out(town, places, 1, customer)
    checked_out(town, places, 1)  # a guest's
    other_town, other_places = town_taking_orders()
    checked_out(other_town, other_places, 1, customer)

    baskets = customer_baskets(town, customer)

    assert [b.basket_reference for b in baskets] == [second.basket_reference, first.basket_reference]
    assert [len(b.orders) for b in baskets] == [1, 2]
    assert baskets[1].token == first.tracking_token
    assert customer_baskets(other_town, UserFactory.create()) == []


def test_a_places_week_in_words() -> None:
    week = regular_week_in_words("Mo-Fr 08:00-12:00,14:00-18:30; Sa 09:00-12:00", "Europe/Paris", at=NOW)

    assert [(day.day, day.hours) for day in week] == [
        ("lundi", "de 08:00 à 12:00 et de 14:00 à 18:30"),
        ("mardi", "de 08:00 à 12:00 et de 14:00 à 18:30"),
        ("mercredi", "de 08:00 à 12:00 et de 14:00 à 18:30"),
        ("jeudi", "de 08:00 à 12:00 et de 14:00 à 18:30"),
        ("vendredi", "de 08:00 à 12:00 et de 14:00 à 18:30"),
        ("samedi", "de 09:00 à 12:00"),
        ("dimanche", "fermé"),
    ]
    assert regular_week_in_words("n'importe quoi", "Europe/Paris", at=NOW) == []
