"""Orders nobody acted on expire on the town's delays, giving their stock back; reminders come first, once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from centreville.catalogue.models import Product
from centreville.catalogue.stock import Wanted
from centreville.catalogue.tests.factories import ProductFactory
from centreville.fulfilment.models import TownOrderSettings
from centreville.notifications.models import Audience, Notification
from centreville.notifications.reminders import orders_send_reminders
from centreville.orders.expiry import _expire, orders_expire_overdue
from centreville.orders.models import Order, OrderEvent, OrderStatus
from centreville.orders.services import order_transition
from centreville.orders.tests.factories import order_place
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopFactory, ShopMembershipFactory

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]
NOW = timezone.now()


@pytest.fixture
def shop() -> Shop:
    return ShopFactory.create(email="epicerie@example.fr")


@pytest.fixture
def merchant(shop: Shop) -> Any:
    return ShopMembershipFactory.create(shop=shop).user


def order_in(shop: Shop, *steps: tuple[str, datetime], merchant: Any = None, stock: int = 5) -> Order:
    """An order of 2 units placed, then moved through `steps`, each (status, when it happened)."""
    product = ProductFactory.create(shop=shop, stock=stock)
    order = order_place(
        shop=shop,
        wanted=[Wanted(product.pk, 2)],
        customer=None,
        customer_name="Jeanne Dupont",
        customer_contact="jeanne@example.fr",
    )
    for status, when in steps:
        if status != OrderStatus.PLACED:
            order_transition(order=order, to_status=status, actor=merchant)
        OrderEvent.objects.filter(order=order, to_status=status).update(created_at=when)
        if status == OrderStatus.PLACED:
            Order.objects.filter(pk=order.pk).update(created_at=when)
    return Order.objects.get(pk=order.pk)


def placed(shop: Shop, hours_ago: float) -> Order:
    return order_in(shop, (OrderStatus.PLACED, NOW - timedelta(hours=hours_ago)))


def status_of(order: Order) -> str:
    return Order.objects.get(pk=order.pk).status


def test_an_order_not_accepted_in_time_expires_and_its_stock_goes_back(shop: Shop) -> None:
    order = placed(shop, hours_ago=25)
    product = order.lines.get().product
    assert Product.objects.get(pk=product.pk).stock == 3

    expired = orders_expire_overdue(now=NOW)

    assert expired == 1
    assert status_of(order) == OrderStatus.EXPIRED
    assert Product.objects.get(pk=product.pk).stock == 5
    step = OrderEvent.objects.get(order=order, to_status=OrderStatus.EXPIRED)
    assert (step.from_status, step.actor, step.by_customer) == (OrderStatus.PLACED, None, False)
    assert step.reason == "Le commerce n'a pas confirmé la commande dans les 24 heures."


def test_orders_not_yet_due_are_left_alone(shop: Shop, merchant: Any) -> None:
    young = placed(shop, hours_ago=23)
    accepted = order_in(
        shop,
        (OrderStatus.PLACED, NOW - timedelta(days=7)),
        (OrderStatus.ACCEPTED, NOW - timedelta(days=6)),
        merchant=merchant,
    )
    ready = order_in(
        shop,
        (OrderStatus.PLACED, NOW - timedelta(days=20)),
        (OrderStatus.ACCEPTED, NOW - timedelta(days=19)),
        (OrderStatus.READY, NOW - timedelta(days=6, hours=23)),
        merchant=merchant,
    )
    collected = order_in(
        shop,
        (OrderStatus.PLACED, NOW - timedelta(days=30)),
        (OrderStatus.ACCEPTED, NOW - timedelta(days=30)),
        (OrderStatus.READY, NOW - timedelta(days=30)),
        (OrderStatus.COLLECTED, NOW - timedelta(days=29)),
        merchant=merchant,
    )

    assert orders_expire_overdue(now=NOW) == 0
    assert [status_of(o) for o in (young, accepted, ready, collected)] == [
        OrderStatus.PLACED,
        OrderStatus.ACCEPTED,
        OrderStatus.READY,
        OrderStatus.COLLECTED,
    ]


def test_uncollected_orders_expire_counted_from_readiness_or_else_from_acceptance(
    shop: Shop, merchant: Any
) -> None:
    ready = order_in(
        shop,
        (OrderStatus.PLACED, NOW - timedelta(days=9)),
        (OrderStatus.ACCEPTED, NOW - timedelta(days=9)),
        (OrderStatus.READY, NOW - timedelta(days=7, minutes=1)),
        merchant=merchant,
    )
    accepted = order_in(
        shop,
        (OrderStatus.PLACED, NOW - timedelta(days=8)),
        (OrderStatus.ACCEPTED, NOW - timedelta(days=7, minutes=1)),
        merchant=merchant,
    )
    product_ids = [o.lines.get().product_id for o in (ready, accepted)]

    assert orders_expire_overdue(now=NOW) == 2

    assert status_of(ready) == status_of(accepted) == OrderStatus.EXPIRED
    assert list(Product.objects.filter(pk__in=product_ids).values_list("stock", flat=True)) == [5, 5]
    reasons = OrderEvent.objects.filter(to_status=OrderStatus.EXPIRED).order_by("order_id")
    assert [r.reason for r in reasons] == [
        "La commande n'a pas été retirée dans les 7 jours.",
        "La commande acceptée n'a pas été retirée dans les 7 jours.",
    ]


def test_each_town_has_its_own_delays(shop: Shop) -> None:
    TownOrderSettings.objects.create(town=shop.town, accept_within_hours=2, collect_within_days=1)
    elsewhere = ShopFactory.create()
    strict_town_order = placed(shop, hours_ago=3)
    default_town_order = placed(elsewhere, hours_ago=3)

    assert orders_expire_overdue(now=NOW) == 1

    assert status_of(strict_town_order) == OrderStatus.EXPIRED
    assert status_of(default_town_order) == OrderStatus.PLACED


def test_an_order_that_changed_meanwhile_is_not_expired(shop: Shop, merchant: Any) -> None:
    order = placed(shop, hours_ago=25)
    order_transition(order=order, to_status=OrderStatus.ACCEPTED, actor=merchant)  # just now

    # Found overdue while still "placed", then accepted before its turn came.
    assert _expire(order.pk, OrderStatus.PLACED, reason="Trop tard") is False
    assert status_of(order) == OrderStatus.ACCEPTED


def test_the_customer_is_told_of_the_expiry(shop: Shop, django_capture_on_commit_callbacks: Capture) -> None:
    order = placed(shop, hours_ago=25)

    with django_capture_on_commit_callbacks(execute=True):
        orders_expire_overdue(now=NOW)

    told = Notification.objects.get(order=order, kind=OrderStatus.EXPIRED, audience=Audience.CUSTOMER)
    assert told.recipient == "jeanne@example.fr"
    assert "Motif : Le commerce n'a pas confirmé la commande dans les 24 heures." in told.body


def test_the_merchant_is_reminded_once_halfway_to_the_acceptance_deadline(
    shop: Shop, django_capture_on_commit_callbacks: Capture
) -> None:
    halfway = placed(shop, hours_ago=13)
    too_early = placed(shop, hours_ago=11)

    with django_capture_on_commit_callbacks(execute=True):
        first = orders_send_reminders(now=NOW)
        again = orders_send_reminders(now=NOW + timedelta(minutes=30))

    assert (first, again) == (1, 0)
    reminders = Notification.objects.filter(kind="reminder_accept")
    assert [(r.order_id, r.recipient) for r in reminders] == [(halfway.pk, "epicerie@example.fr")]
    assert [m.subject for m in mail.outbox if m.to == ["epicerie@example.fr"]] == [
        f"À traiter : la commande {halfway.reference} attend votre réponse"
    ]
    assert not Notification.objects.filter(order=too_early, kind="reminder_accept").exists()


def test_the_customer_is_reminded_once_a_day_before_a_ready_order_expires(
    shop: Shop, merchant: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    def ready_since(days: float) -> Order:
        return order_in(
            shop,
            (OrderStatus.PLACED, NOW - timedelta(days=days + 1)),
            (OrderStatus.ACCEPTED, NOW - timedelta(days=days + 1)),
            (OrderStatus.READY, NOW - timedelta(days=days)),
            merchant=merchant,
        )

    due = ready_since(6.5)
    not_yet = ready_since(5)

    with django_capture_on_commit_callbacks(execute=True):
        first = orders_send_reminders(now=NOW)
        again = orders_send_reminders(now=NOW + timedelta(hours=2))

    assert (first, again) == (1, 0)
    reminder = Notification.objects.get(kind="reminder_collect")
    assert (reminder.order_id, reminder.audience, reminder.recipient) == (
        due.pk,
        Audience.CUSTOMER,
        "jeanne@example.fr",
    )
    assert reminder.subject == f"Rappel : votre commande {due.reference} vous attend chez {shop.name}"
    assert [m.to for m in mail.outbox].count(["jeanne@example.fr"]) == 1
    assert not Notification.objects.filter(order=not_yet, kind="reminder_collect").exists()


@pytest.mark.django_db(transaction=True)
def test_run_scheduler_once_enqueues_the_periodic_tasks_that_a_worker_then_runs(
    shop: Shop, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    overdue = order_in(shop, (OrderStatus.PLACED, timezone.now() - timedelta(hours=30)))
    DBTaskResult.objects.all().delete()  # the placed order's own notification task

    call_command("run_scheduler", once=True, verbosity=0)

    assert sorted(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "centreville.accounts.tasks.purge_personal_data",
        "centreville.agenda.tasks.extend_agenda_horizons",
        "centreville.news.tasks.news_round",
        "centreville.notifications.tasks.catch_up_notifications",
        "centreville.notifications.tasks.prune_finished_tasks",
        "centreville.notifications.tasks.send_reminders",
        "centreville.observatory.tasks.make_monthly_reports",
        "centreville.orders.tasks.expire_orders",
        "centreville.parking.tasks.downsample_parking_readings",
        "centreville.parking.tasks.poll_parking_feeds",
        "centreville.payments.tasks.send_unsent_payments",
        "centreville.support.tasks.refresh_shop_signals",
        "centreville.support.tasks.send_training_reminders",
        "centreville.vouchers.tasks.expire_vouchers",
        "centreville.wholesale.tasks.generate_standing_orders",
    ]
    call_command("run_worker", batch=True, verbosity=0)
    assert status_of(overdue) == OrderStatus.EXPIRED
