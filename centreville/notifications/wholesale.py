"""E-mails about the producers' exchange: a buyer hears of each step of its orders and of a standing order's
week that could not be ordered; a producer hears of a new order and of a cancellation.

The wholesale app says what happened through its signals, once committed; the receivers here only queue a
task, and the worker renders the messages (in French, dates on Paris time, every link absolute) and records
them through `notifications_queue`, whose keys make a second run add nothing. The receivers are connected
when this module is imported (the notifications app imports it when ready).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.conf import settings
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from centreville.core.channels import Channel
from centreville.core.links import absolute_url
from centreville.wholesale.models import OrderStatus, StandingOrderRun, WholesaleOrder
from centreville.wholesale.signals import standing_order_failed, wholesale_order_changed

from .messages import Message
from .models import Audience
from .services import _enqueue, notifications_queue

TIMEZONE = "Europe/Paris"
LANGUAGE = "fr"
# Steps the producer hears of (it made the others itself).
PRODUCER_HEARS = ("", OrderStatus.CANCELLED)


@receiver(wholesale_order_changed, dispatch_uid="notifications.wholesale_order_changed")
def wholesale_order_step(
    sender: Any, *, order: WholesaleOrder, previous_status: str, at: datetime, **kwargs: Any
) -> None:
    kind = (
        "placed" if not previous_status else ("adjusted" if previous_status == order.status else order.status)
    )
    _enqueue(announce_wholesale_order, order.pk, kind, at.isoformat())


@receiver(standing_order_failed, dispatch_uid="notifications.standing_order_failed")
def wholesale_standing_failed(sender: Any, *, run: StandingOrderRun, at: datetime, **kwargs: Any) -> None:
    _enqueue(announce_standing_failure, run.pk)


@task()
def announce_wholesale_order(order_id: int, kind: str, at: str) -> int:
    return notifications_queue(messages=wholesale_order_messages(order_id=order_id, kind=kind, at=at))


@task()
def announce_standing_failure(run_id: int) -> int:
    return notifications_queue(messages=standing_failure_messages(run_id=run_id))


def _render(name: str, context: dict[str, Any]) -> tuple[str, str]:
    with translation.override(LANGUAGE), timezone.override(TIMEZONE):
        subject = " ".join(render_to_string(f"notifications/wholesale/{name}_subject.txt", context).split())
        body = render_to_string(f"notifications/wholesale/{name}_email.txt", context).strip()
    return subject[:250], re.sub(r"\n{3,}", "\n\n", body) + "\n"


def _email(
    *, key: str, kind: str, audience: str, recipient: str, name: str, context: dict[str, Any]
) -> Message:
    subject, body = _render(name, context)
    return Message(
        key=key,
        kind=kind[:30],
        audience=audience,
        channel=Channel.EMAIL,
        recipient=recipient,
        subject=subject,
        body=body,
        order_id=None,  # the table's orders are the town's; a wholesale order is named in the key
    )


def wholesale_order_messages(*, order_id: int, kind: str, at: str) -> list[Message]:
    """The e-mails one step of a wholesale order calls for (none if the order is gone)."""
    order = (
        WholesaleOrder.objects.select_related(
            "buyer", "producer", "pickup_place", "drive_point", "delivery_round"
        )
        .prefetch_related("lines")
        .filter(pk=order_id)
        .first()
    )
    if order is None:
        return []
    # An adjustment may happen more than once: each is its own message.
    step = f"{kind}:{at}" if kind == "adjusted" else kind
    context = {
        "order": order,
        "kind": kind,
        "lines": list(order.lines.all()),
        "platform": settings.PLATFORM_NAME,
        "buyer_url": absolute_url(reverse("wholesale_buyer:order", args=[order.buyer.slug, order.reference])),
        "producer_url": absolute_url(
            reverse("wholesale_producer:order", args=[order.producer.slug, order.reference])
        ),
    }
    messages = [
        _email(
            key=f"wholesale:{order.pk}:{step}:buyer",
            kind=f"wholesale_{kind}",
            audience=Audience.CUSTOMER,
            recipient=order.buyer.email,
            name="buyer",
            context=context,
        )
    ]
    if kind in ("placed", OrderStatus.CANCELLED):
        messages.append(
            _email(
                key=f"wholesale:{order.pk}:{step}:producer",
                kind=f"wholesale_{kind}",
                audience=Audience.MERCHANT,
                recipient=order.producer.email,
                name="producer",
                context=context,
            )
        )
    return messages


def standing_failure_messages(*, run_id: int) -> list[Message]:
    """The e-mail telling the buyer a week of its standing order could not be ordered, and why."""
    run = (
        StandingOrderRun.objects.select_related("standing_order__buyer", "standing_order__producer")
        .filter(pk=run_id)
        .first()
    )
    if run is None or not run.failure:
        return []
    standing = run.standing_order
    context = {
        "run": run,
        "standing": standing,
        "platform": settings.PLATFORM_NAME,
        "url": absolute_url(
            reverse("wholesale_buyer:standing_order", args=[standing.buyer.slug, standing.pk])
        ),
    }
    return [
        _email(
            key=f"wholesale-standing:{run.pk}:failed:buyer",
            kind="wholesale_standing_failed",
            audience=Audience.CUSTOMER,
            recipient=standing.buyer.email,
            name="standing_failed",
            context=context,
        )
    ]
