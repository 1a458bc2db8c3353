"""Reminders, once each, of orders waiting for someone: the merchant of an order not accepted yet, the
customer of an order not collected yet. The delays are the town's, as for expiry (`orders.expiry`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from centreville.orders.expiry import delays_of_towns_with, since_current_status
from centreville.orders.models import Order, OrderStatus
from centreville.orders.transitions import NOT_RELAY

from .messages import ACCEPT_REMINDER, COLLECT_REMINDER, accept_reminder_messages, collect_reminder_messages
from .models import Notification
from .services import notifications_queue

# What the messages about an order read, fetched with it.
MESSAGE_RELATIONS = ("shop", "town", "customer", "relay_point", "locker")
# The customer is reminded this long before a ready order expires.
COLLECT_REMINDER_BEFORE = timedelta(days=1)


def orders_send_reminders(*, now: datetime | None = None) -> int:
    """Remind, once, the merchant of a placed order halfway to its acceptance deadline, and the customer
    of an order waiting for them (ready, or dropped at its relay point) a day before it expires; returns how
    many orders were reminded of."""
    now = now or timezone.now()
    reminded = 0
    waiting_statuses = (OrderStatus.PLACED, OrderStatus.READY, OrderStatus.DROPPED)
    for town_id, (accept, collect) in delays_of_towns_with(waiting_statuses).items():
        waiting = (
            Order.objects.filter(town_id=town_id, status=OrderStatus.PLACED)
            .annotate(since=since_current_status())
            .filter(since__lte=now - accept / 2, since__gt=now - accept)
            .exclude(accept_from__gt=now - accept / 2)
            .exclude(_reminded(ACCEPT_REMINDER))
            .select_related(*MESSAGE_RELATIONS)
            .order_by("pk")
        )
        for order in waiting:
            reminded += bool(notifications_queue(messages=accept_reminder_messages(order)))
        if collect <= COLLECT_REMINDER_BEFORE:
            continue  # the "ready" message itself says when to collect it by
        uncollected = (
            Order.objects.filter(town_id=town_id)
            .filter(
                Q(status=OrderStatus.DROPPED) | Q(status=OrderStatus.READY, fulfilment__in=sorted(NOT_RELAY))
            )
            .annotate(since=since_current_status())
            .filter(since__lte=now - (collect - COLLECT_REMINDER_BEFORE), since__gt=now - collect)
            .exclude(_reminded(COLLECT_REMINDER))
            .select_related(*MESSAGE_RELATIONS)
            .order_by("pk")
        )
        for order in uncollected:
            reminded += bool(notifications_queue(messages=collect_reminder_messages(order)))
    return reminded


def _reminded(kind: str) -> Exists:
    return Exists(Notification.objects.filter(order=OuterRef("pk"), kind=kind))
