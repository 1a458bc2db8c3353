"""How the notifications react to the orders' steps (see `centreville.orders.signals`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.dispatch import receiver

from centreville.orders.models import OrderEvent
from centreville.orders.signals import order_customer_forgotten, order_steps_recorded

from .services import notifications_forget_orders, notify_order_events


@receiver(order_steps_recorded, dispatch_uid="notifications.announce_order_steps")
def announce_order_steps(sender: Any, *, events: Sequence[OrderEvent], **kwargs: Any) -> None:
    notify_order_events(events)


@receiver(order_customer_forgotten, dispatch_uid="notifications.forget_orders_messages")
def forget_orders_messages(sender: Any, *, order_ids: Sequence[int], **kwargs: Any) -> None:
    notifications_forget_orders(order_ids=order_ids)
