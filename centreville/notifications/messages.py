"""What to say, to whom and how: the messages an order event or a reminder calls for, written out.

Messages are rendered from templates in the recipient's language: French, unless the recipient's account
holds another language of the platform. A guest's language is unknown, so guests read French.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from centreville.core.channels import Channel, mobile_number
from centreville.core.links import absolute_url
from centreville.fulfilment.models import FulfilmentMethod, Locker, RelayPoint, TownOrderSettings
from centreville.orders.models import Order, OrderEvent, OrderStatus, PaymentChoice
from centreville.shops.models import ShopMembership

from .models import Audience

logger = logging.getLogger(__name__)

# Kinds of message besides the order's statuses (which are kinds too: "placed", "ready"...).
ACCEPT_REMINDER = "reminder_accept"
COLLECT_REMINDER = "reminder_collect"


@dataclass(frozen=True)
class Message:
    key: str  # what the message announces to whom: the same key is never sent twice
    kind: str
    audience: str
    channel: str
    recipient: str
    subject: str
    body: str
    order_id: int | None  # None: a message about something else than an order (training, coaching)
    event_id: int | None = None


@dataclass(frozen=True)
class Recipient:
    channel: str
    address: str  # e-mail address, or mobile number in E.164 form
    language: str


def order_event_messages(event: OrderEvent) -> list[Message]:
    """The messages one step of an order calls for.

    The merchant hears of a new order and of a cancellation (only the customer, or the platform for them,
    cancels), by e-mail (the shop's address and its members') and by SMS when the shop's phone is a
    mobile; the customer hears of every step, on the contact they gave.
    """
    order, kind, key = event.order, event.to_status, f"order-event:{event.pk}"
    context = _context(order, kind=kind, event=event)
    # A relay order ready in the shop is not there yet: the customer hears of it once it is dropped.
    quiet = kind == OrderStatus.READY and order.fulfilment == FulfilmentMethod.RELAY
    basket = _basket_of(order) if kind == OrderStatus.PLACED else [order]
    if quiet:
        messages = []
    elif len(basket) > 1:
        messages = basket_placed_messages(basket, event=event)
    else:
        messages = _for_customer(order, context, key=key)
    if kind in (OrderStatus.PLACED, OrderStatus.CANCELLED):
        messages += _for_merchant(order, context, key=key)
    return messages


def _basket_of(order: Order) -> list[Order]:
    """Every order of the checkout that placed `order`, in shop order."""
    return list(
        Order.objects.filter(
            town_id=order.town_id,
            basket_reference=order.basket_reference,
            customer_contact=order.customer_contact,
        )
        .select_related("shop", "town", "relay_point", "locker")
        .prefetch_related("lines")
        .order_by("shop_id", "pk")
    )


def basket_placed_messages(orders: list[Order], *, event: OrderEvent) -> list[Message]:
    """One confirmation for a basket across shops, listing each shop's order: whichever order's event
    writes it, its key is the basket's, so the customer gets it once."""
    first = orders[0]
    context = _context(first, kind=OrderStatus.PLACED, event=event)
    context["orders"] = [
        {
            "order": order,
            "shop": order.shop,
            "lines": list(order.lines.all()),
            "fulfilment_label": FulfilmentMethod(order.fulfilment).label,
            "place": order.relay_point or order.locker,
        }
        for order in orders
    ]
    context["basket_total"] = sum((order.total for order in orders), Decimal("0.00"))
    context["basket_voucher_paid"] = sum((order.voucher_paid for order in orders), Decimal("0.00"))
    context["basket_to_pay"] = context["basket_total"] - context["basket_voucher_paid"]
    # How the rest is paid is the same for every order of the basket; a voucher may have paid it all.
    still_to_pay = [order for order in orders if order.to_pay > 0]
    context["payment_label"] = (
        PaymentChoice(still_to_pay[0].payment).label if still_to_pay else gettext_lazy("Payé par bon d'achat")
    )
    recipient = customer_recipient(first)
    if recipient is None:
        return []
    return [
        _message(
            context,
            recipient,
            audience=Audience.CUSTOMER,
            key=f"basket-placed:{first.town_id}:{first.basket_reference}:customer:{recipient.channel}",
            template="customer_basket",
        )
    ]


def accept_reminder_messages(order: Order) -> list[Message]:
    """Tell the merchant that a placed order is still waiting, halfway to its acceptance deadline."""
    context = _context(order, kind=ACCEPT_REMINDER, event=None)
    return _for_merchant(order, context, key=f"order-reminder:{order.pk}:accept")


def collect_reminder_messages(order: Order) -> list[Message]:
    """Tell the customer that their ready order expires in a day."""
    context = _context(order, kind=COLLECT_REMINDER, event=None)
    return _for_customer(order, context, key=f"order-reminder:{order.pk}:collect")


def customer_recipient(order: Order) -> Recipient | None:
    """Where the customer asked to be told: the channel they chose (their only contact, or the one they
    preferred of two), else the other one they gave; None when neither takes messages (a landline)."""
    language = order.language if order.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    email, phone = order.customer_email.strip(), order.customer_phone.strip()
    if not email and not phone:  # an order from before the two were kept apart
        contact = order.customer_contact.strip()
        email, phone = (contact, "") if "@" in contact else ("", contact)
    by_email = _email_recipient(email, language)
    number = mobile_number(phone) if phone else None
    by_sms = Recipient(Channel.SMS, number, language) if number else None
    first, second = (by_sms, by_email) if order.notify_by == Channel.SMS else (by_email, by_sms)
    if order.notify_by not in Channel.values:
        first, second = (by_email, by_sms) if email else (by_sms, by_email)
    return first or second


def _email_recipient(address: str, language: str) -> Recipient | None:
    if not address:
        return None
    try:
        validate_email(address)
    except ValidationError:
        return None
    return Recipient(Channel.EMAIL, address.lower(), language)


def merchant_recipients(order: Order) -> list[Recipient]:
    """The shop's e-mail, each active member's, and the shop's phone if it can receive text messages."""
    shop = order.shop
    recipients: dict[str, Recipient] = {}
    if shop.email:
        recipients[shop.email.lower()] = Recipient(Channel.EMAIL, shop.email.lower(), settings.LANGUAGE_CODE)
    members = ShopMembership.objects.filter(shop=shop, user__is_active=True).select_related("user")
    for membership in members.order_by("user_id"):
        email = membership.user.email.lower()
        recipients.setdefault(email, Recipient(Channel.EMAIL, email, settings.LANGUAGE_CODE))
    found = list(recipients.values())
    if shop.phone and (number := mobile_number(shop.phone)):
        found.append(Recipient(Channel.SMS, number, settings.LANGUAGE_CODE))
    return found


def _for_customer(order: Order, context: dict[str, Any], *, key: str) -> list[Message]:
    recipient = customer_recipient(order)
    if recipient is None:
        return []
    return [
        _message(context, recipient, audience=Audience.CUSTOMER, key=f"{key}:customer:{recipient.channel}")
    ]


def _for_merchant(order: Order, context: dict[str, Any], *, key: str) -> list[Message]:
    return [
        _message(
            context,
            recipient,
            audience=Audience.MERCHANT,
            # A shop may be told on several addresses: each is a message of its own.
            key=f"{key}:merchant:email:{recipient.address}"
            if recipient.channel == Channel.EMAIL
            else f"{key}:merchant:sms",
        )
        for recipient in merchant_recipients(order)
    ]


def _message(
    context: dict[str, Any], recipient: Recipient, *, audience: str, key: str, template: str = ""
) -> Message:
    # Dates are shown in the town's time zone, with weekday and month names in the recipient's language.
    # Rendered by the worker, outside any request: every link in the context is absolute.
    name = template or audience
    with translation.override(recipient.language), timezone.override(context["town"].timezone):
        if recipient.channel == Channel.SMS:
            subject = ""
            body = _short_lines(render_to_string(f"notifications/{name}_sms.txt", context))
        else:
            subject = _one_line(render_to_string(f"notifications/{name}_subject.txt", context))
            body = _paragraphs(render_to_string(f"notifications/{name}_email.txt", context))
    event = context["event"]
    return Message(
        key=key,
        kind=context["kind"],
        audience=audience,
        channel=recipient.channel,
        recipient=recipient.address,
        subject=subject[:250],
        body=body,
        order_id=context["order"].pk,
        event_id=event.pk if event is not None else None,
    )


def _context(order: Order, *, kind: str, event: OrderEvent | None) -> dict[str, Any]:
    status = event.to_status if event is not None else order.status
    place: RelayPoint | Locker | None = None
    if order.fulfilment == FulfilmentMethod.RELAY:
        place = order.relay_point
    elif order.fulfilment == FulfilmentMethod.LOCKER:
        place = order.locker
    return {
        "kind": kind,
        "event": event,
        "order": order,
        "shop": order.shop,
        "town": order.town,
        "platform": settings.PLATFORM_NAME,
        "status": status,
        "status_label": OrderStatus(status).label,
        "reason": event.reason if event is not None else "",
        "by_customer": event is not None
        and (event.by_customer or (event.actor_id is not None and event.actor_id == order.customer_id)),
        # Lazy labels: translated when the message is rendered, in the recipient's language.
        "fulfilment_label": FulfilmentMethod(order.fulfilment).label,
        "place": place,
        "locker_code": order.locker_code if status == OrderStatus.READY else "",
        "delivery": order.fulfilment == FulfilmentMethod.DELIVERY,
        "lines": list(order.lines.all()) if kind in (OrderStatus.PLACED, ACCEPT_REMINDER) else [],
        "unavailable_titles": (
            [line.title for line in order.lines.all() if line.unavailable]
            if kind == OrderStatus.SHOP_CANCELLED
            else []
        ),
        "payment_label": PaymentChoice(order.payment).label,
        "deadline": _deadline(order, kind=kind, event=event),
        "tracking_url": tracking_url(order),
        "merchant_url": _public_url("merchants:home", town_slug=order.town.slug),
    }


def tracking_url(order: Order) -> str:
    """The customer's private link to their order."""
    return _public_url("orders_customer:track", town_slug=order.town.slug, token=order.tracking_token)


def _public_url(name: str, **kwargs: str) -> str:
    """An address on the public address: a message has no request to take a host from."""
    try:
        path = reverse(name, kwargs=kwargs)
    except NoReverseMatch:  # a page that does not exist (yet): the message still goes out, without its link
        logger.error("No page named %s for a notification link", name)
        return ""
    return absolute_url(path)


def delays_of(town_id: int) -> tuple[timedelta, timedelta]:
    """How long the town gives to accept an order, and to collect it (the model's defaults if unset)."""
    rules = TownOrderSettings.objects.filter(town_id=town_id).first() or TownOrderSettings()
    return timedelta(hours=rules.accept_within_hours), timedelta(days=rules.collect_within_days)


def _deadline(order: Order, *, kind: str, event: OrderEvent | None) -> datetime | None:
    """When the order expires, for the messages that warn of it."""
    if kind in (OrderStatus.PLACED, ACCEPT_REMINDER):
        accept, _collect = delays_of(order.town_id)
        placed = event.created_at if event is not None else order.created_at
        return max(placed, order.accept_from or placed) + accept
    if kind in (OrderStatus.READY, OrderStatus.DROPPED, COLLECT_REMINDER):
        # The delay runs from the step that sent the customer to collect: ready, or dropped at the relay.
        waiting_since = (
            OrderStatus.DROPPED if order.fulfilment == FulfilmentMethod.RELAY else OrderStatus.READY
        )
        ready_at = (
            event.created_at
            if event is not None
            else OrderEvent.objects.filter(order=order, to_status=waiting_since)
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if ready_at is not None:
            _accept, collect = delays_of(order.town_id)
            return ready_at + collect
    return None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _short_lines(text: str) -> str:
    return "\n".join(line for line in map(_one_line, text.splitlines()) if line)


def _paragraphs(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"
