"""The producer's list of orders: what is to prepare first, then the past, one page at a time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from centreville.enterprises.tests.factories import EnterpriseFactory
from centreville.wholesale.models import OrderStatus, WholesaleOrder
from centreville.wholesale.selectors import PRODUCER_ORDERS_PAGE_SIZE, producer_orders

from .factories import WholesaleLineFactory, WholesaleOrderFactory
from .scenario import AT, Scenario, scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def given(page_clock: Callable[[datetime], None]) -> Scenario:
    page_clock(AT)
    return scenario()


def _order(given: Scenario, reference: str, status: str, days: int) -> WholesaleOrder:
    return WholesaleOrderFactory.create(
        reference=reference,
        buyer=given.buyer,
        producer=given.farm,
        pickup_place=given.place,
        status=status,
        hand_over_at=AT + timedelta(days=days),
    )


def test_orders_to_prepare_come_first_soonest_first_then_the_past_newest_first(given: Scenario) -> None:
    _order(given, "OLD-COLLECTED", OrderStatus.COLLECTED, -30)
    _order(given, "RECENT-COLLECTED", OrderStatus.COLLECTED, -2)
    _order(given, "LATER-PLACED", OrderStatus.PLACED, 9)
    _order(given, "LATE-ACCEPTED", OrderStatus.ACCEPTED, -1)  # due yesterday, still to hand over
    _order(given, "SOON-READY", OrderStatus.READY, 1)
    _order(given, "CANCELLED", OrderStatus.CANCELLED, -5)
    WholesaleOrderFactory.create(reference="OTHER-PRODUCER", producer=EnterpriseFactory.create())

    page = producer_orders(given.farm)

    assert [order.reference for order in page] == [
        "LATE-ACCEPTED",
        "SOON-READY",
        "LATER-PLACED",
        "RECENT-COLLECTED",
        "CANCELLED",
        "OLD-COLLECTED",
    ]
    assert [o.reference for o in producer_orders(given.farm, status=OrderStatus.COLLECTED)] == [
        "RECENT-COLLECTED",
        "OLD-COLLECTED",
    ]


def test_a_new_order_shows_on_the_first_page_after_hundreds_of_past_ones(
    given: Scenario, django_assert_max_num_queries: Any
) -> None:
    for number in range(210):
        order = _order(given, f"PAST-{number:03d}", OrderStatus.COLLECTED, -number - 1)
        WholesaleLineFactory.create(order=order, lot=given.carrots)
    newest = _order(given, "NEW-ORDER", OrderStatus.PLACED, 2)
    WholesaleLineFactory.create(order=newest, lot=given.carrots)
    client = Client()
    client.force_login(given.farm_user)  # type: ignore[arg-type]
    url = reverse("wholesale_producer:orders", args=[given.farm.slug])

    with django_assert_max_num_queries(12):
        first = client.get(url).content.decode()
    last = client.get(url, {"page": "5", "etat": OrderStatus.COLLECTED.value}).content.decode()

    assert first.index("NEW-ORDER") < first.index("PAST-000")
    assert first.count('class="card" id="commande-') == PRODUCER_ORDERS_PAGE_SIZE
    assert "Page 1 sur 5" in first
    assert "?page=2" in first
    assert "PAST-209" in last
    assert "NEW-ORDER" not in last
    assert "?etat=collected&amp;page=4" in last
