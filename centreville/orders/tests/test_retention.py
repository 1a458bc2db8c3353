"""An ended order keeps its customer's name and contact for the retention period, then only its accounts."""

from __future__ import annotations

import importlib
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.db import connection

from centreville.accounts.models import User
from centreville.accounts.tests.factories import UserFactory
from centreville.catalogue.stock import Wanted
from centreville.catalogue.tests.factories import ProductFactory
from centreville.notifications.models import Audience, Channel, Notification, NotificationStatus
from centreville.orders import retention
from centreville.orders.models import Order, OrderEvent, OrderLine, OrderStatus
from centreville.orders.retention import (
    ERASED_CUSTOMER,
    ERASED_REASON,
    orders_contact_due,
    orders_personal_data_purge,
)
from centreville.orders.services import order_transition
from centreville.orders.tests.factories import order_place
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def paris(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def shop() -> Shop:
    return ShopFactory.create()


def an_order(
    shop: Shop,
    *,
    customer: User | None = None,
    status: str = OrderStatus.COLLECTED,
    ended_at: datetime | None = None,
) -> Order:
    """An order of 2 units for 3.50 € each, delivered to Jeanne Dupont, with its steps' messages; moved to
    `status` (ended at `ended_at` when that status ends it)."""
    product = ProductFactory.create(shop=shop, stock=10, price=Decimal("3.50"))
    order = order_place(
        shop=shop,
        wanted=[Wanted(product.pk, 2)],
        customer=customer,
        customer_name="Jeanne Dupont",
        customer_contact="jeanne@example.fr",
    )
    Order.objects.filter(pk=order.pk).update(
        status=status,
        ended_at=ended_at,
        customer_email="jeanne@example.fr",
        customer_phone="+33611223344",
        delivery_address="3 rue des Lilas",
        delivery_postcode="61200",
        delivery_city="Argentan",
        locker_code="4821",
    )
    event = OrderEvent.objects.create(
        order=order,
        from_status=OrderStatus.PLACED,
        to_status=status,
        reason="Mme Dupont n'a pas répondu au 06 11 22 33 44",
    )
    Notification.objects.create(
        key=f"order-event:{event.pk}:customer:email",  # keyed by its step, as the real ones are
        kind=status,
        audience=Audience.CUSTOMER,
        channel=Channel.EMAIL,
        recipient="jeanne@example.fr",
        body="Bonjour Jeanne Dupont",
        status=NotificationStatus.SENT,
        order=order,
    )
    return Order.objects.get(pk=order.pk)


def erased(order: Order) -> bool:
    order.refresh_from_db()
    return order.personal_data_erased_at is not None


def test_an_ended_order_keeps_its_contact_until_twelve_months_after_its_end_then_only_its_accounts(
    shop: Shop,
) -> None:
    # Given an order collected on 28 March 2026 at 09:00, the day before the clocks go forward
    order = an_order(shop, ended_at=paris(2026, 3, 28, 9, 0))
    token, created_at = order.tracking_token, order.created_at

    # When the purge runs a minute before twelve months have passed, on the summer clock of 2027
    assert orders_personal_data_purge(at=paris(2027, 3, 28, 8, 59)) == 0
    # Then nothing changed
    assert not erased(order)
    assert (order.customer_name, order.customer_email) == ("Jeanne Dupont", "jeanne@example.fr")

    # When it runs a minute after (07:01 UTC: counted in hours, the year would end at 08:00 UTC)
    assert orders_personal_data_purge(at=paris(2027, 3, 28, 9, 1)) == 1

    # Then whatever names or reaches Jeanne is gone, and the accounts stay
    order.refresh_from_db()
    assert order.personal_data_erased_at == paris(2027, 3, 28, 9, 1)
    assert (
        order.customer_name,
        order.customer_contact,
        order.customer_email,
        order.customer_phone,
        order.delivery_address,
        order.locker_code,
    ) == (ERASED_CUSTOMER, "", "", "", "", "")
    assert order.tracking_token != token
    assert len(order.tracking_token) == 32
    assert (order.delivery_postcode, order.delivery_city) == ("61200", "Argentan")
    assert (order.status, order.items_total, order.total) == (
        OrderStatus.COLLECTED,
        Decimal("7.00"),
        Decimal("7.00"),
    )
    assert (order.created_at, order.ended_at) == (created_at, paris(2026, 3, 28, 9, 0))
    assert [(line.quantity, line.unit_price) for line in OrderLine.objects.filter(order=order)] == [
        (2, Decimal("3.50"))
    ]
    assert set(order.events.exclude(reason="").values_list("reason", flat=True)) == {ERASED_REASON}
    assert not Notification.objects.filter(order=order).exists()


def test_a_month_counts_on_the_clock_of_paris_across_the_autumn_change(shop: Shop, settings: Any) -> None:
    # Given a retention of one month, and an order ended on 24 October 2026 at noon, summer time (10:00 UTC)
    settings.PERSONAL_DATA_RETENTION_MONTHS = 1
    order = an_order(shop, status=OrderStatus.CANCELLED, ended_at=paris(2026, 10, 24, 12, 0))

    # Then on 24 November, winter time, it is kept until noon on the wall clock (11:00 UTC), not 10:00 UTC
    assert orders_personal_data_purge(at=paris(2026, 11, 24, 11, 59)) == 0
    assert not erased(order)
    assert orders_personal_data_purge(at=paris(2026, 11, 24, 12, 1)) == 1
    assert erased(order)


@pytest.mark.parametrize(
    "status", [OrderStatus.PLACED, OrderStatus.ACCEPTED, OrderStatus.READY, OrderStatus.DROPPED]
)
def test_an_order_still_under_way_is_never_touched(shop: Shop, status: str) -> None:
    order = an_order(shop, status=status)
    Order.objects.filter(pk=order.pk).update(created_at=paris(2020, 1, 1, 12, 0))

    assert orders_personal_data_purge(at=paris(2030, 1, 1, 12, 0)) == 0

    order.refresh_from_db()
    assert (order.customer_name, order.customer_phone, order.personal_data_erased_at) == (
        "Jeanne Dupont",
        "+33611223344",
        None,
    )
    assert Notification.objects.filter(order=order).exists()


def test_a_second_run_finds_nothing_and_changes_nothing(shop: Shop) -> None:
    order = an_order(shop, status=OrderStatus.EXPIRED, ended_at=paris(2025, 6, 1, 10, 0))
    assert orders_personal_data_purge(at=paris(2026, 7, 1, 10, 0)) == 1
    order.refresh_from_db()

    assert orders_personal_data_purge(at=paris(2026, 8, 1, 10, 0)) == 0

    again = Order.objects.get(pk=order.pk)
    assert (again.tracking_token, again.personal_data_erased_at) == (
        order.tracking_token,
        paris(2026, 7, 1, 10, 0),
    )


def test_a_dry_run_counts_what_is_due_and_writes_nothing(shop: Shop) -> None:
    due = an_order(shop, ended_at=paris(2025, 1, 10, 10, 0))
    an_order(shop, ended_at=paris(2026, 1, 10, 10, 0))

    assert orders_personal_data_purge(at=paris(2026, 2, 1, 10, 0), dry_run=True) == 1

    due.refresh_from_db()
    assert (due.customer_name, due.personal_data_erased_at) == ("Jeanne Dupont", None)
    assert Notification.objects.filter(order=due).exists()


def test_a_signed_in_customers_order_loses_its_copies_of_their_contact_and_stays_in_their_list(
    shop: Shop,
) -> None:
    customer = UserFactory.create()
    order = an_order(shop, customer=customer, ended_at=paris(2025, 1, 10, 10, 0))

    orders_personal_data_purge(at=paris(2026, 2, 1, 10, 0))

    order.refresh_from_db()
    assert (order.customer_id, order.customer_name, order.customer_email) == (
        customer.pk,
        ERASED_CUSTOMER,
        "",
    )


def test_the_orders_are_erased_in_batches(shop: Shop, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retention, "BATCH_SIZE", 2)
    orders = [an_order(shop, ended_at=paris(2025, 1, day, 10, 0)) for day in range(1, 6)]

    assert orders_personal_data_purge(at=paris(2026, 2, 1, 10, 0)) == 5

    assert all(erased(order) for order in orders)


def test_the_step_that_ends_an_order_says_when_it_ended(shop: Shop) -> None:
    merchant = ShopMembershipFactory.create(shop=shop).user
    order = an_order(shop, status=OrderStatus.PLACED)

    order_transition(order=order, to_status=OrderStatus.ACCEPTED, actor=merchant)
    assert Order.objects.get(pk=order.pk).ended_at is None
    order_transition(order=order, to_status=OrderStatus.READY, actor=merchant)
    order_transition(order=order, to_status=OrderStatus.COLLECTED, actor=merchant)

    ended = Order.objects.get(pk=order.pk)
    assert (
        ended.ended_at
        == ended.events.get(to_status=OrderStatus.COLLECTED, from_status=OrderStatus.READY).created_at
    )


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_two_purges_at_once_erase_each_order_once(shop: Shop, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given two schedulers' rounds purging at the same time, in small batches
    monkeypatch.setattr(retention, "BATCH_SIZE", 2)
    orders = [an_order(shop, ended_at=paris(2025, 1, day, 10, 0)) for day in range(1, 11)]
    start = threading.Barrier(2)

    def run(_: int) -> int:
        start.wait()
        try:
            return orders_personal_data_purge(at=paris(2026, 2, 1, 10, 0))
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        counts = list(pool.map(run, range(2)))

    # Then between them they erased every order, none twice
    assert sum(counts) == len(orders)
    assert all(erased(order) for order in orders)


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's plan")
def test_the_due_orders_are_found_through_the_index_of_orders_still_holding_a_contact() -> None:
    due = orders_contact_due(at=paris(2026, 2, 1, 10, 0)).order_by("ended_at", "pk").values("pk")[:500]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = due.explain()

    assert "order_contact_kept" in plan


def test_orders_ended_before_the_upgrade_take_the_time_of_the_step_that_ended_them(shop: Shop) -> None:
    migration = importlib.import_module("centreville.orders.migrations.0008_order_end_and_contact_erasure")
    ended = an_order(shop, status=OrderStatus.REFUSED)
    OrderEvent.objects.filter(order=ended, to_status=OrderStatus.REFUSED).update(
        created_at=paris(2025, 5, 2, 9, 0)
    )
    without_step = an_order(shop, status=OrderStatus.COLLECTED)
    OrderEvent.objects.filter(order=without_step, to_status=OrderStatus.COLLECTED).delete()
    Order.objects.filter(pk=without_step.pk).update(updated_at=paris(2025, 6, 3, 9, 0))
    waiting = an_order(shop, status=OrderStatus.READY)

    migration.ended_orders_get_their_end(django_apps, None)

    assert Order.objects.get(pk=ended.pk).ended_at == paris(2025, 5, 2, 9, 0)
    assert Order.objects.get(pk=without_step.pk).ended_at == paris(2025, 6, 3, 9, 0)
    assert Order.objects.get(pk=waiting.pk).ended_at is None
