"""Placing orders and moving them through their life: never the same last unit sold twice.

Stock is taken (`centreville.catalogue.stock`) in the same transaction that records the order, and given
back in the same transaction as the step that ends it; so is what town vouchers paid of it
(`voucher_payment.py`). A step locks the order, then products and variants, then its payment, then the
vouchers it gives back to.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, get_supported_language_variant
from django.utils.translation import gettext as _

from centreville.accounts.models import User
from centreville.catalogue.models import Product, ProductVariant
from centreville.catalogue.selectors import article_title, unit_price
from centreville.catalogue.stock import Wanted, stock_return
from centreville.core.pagecache import town_public_data_changed
from centreville.fulfilment.models import FulfilmentMethod
from centreville.fulfilment.services import new_locker_code
from centreville.shops.models import Shop

from .contact import CustomerContact
from .models import Order, OrderEvent, OrderLine, OrderStatus
from .payment import payment_refund_order
from .retention import ERASED_CUSTOMER
from .signals import order_customer_forgotten, order_steps_recorded
from .transitions import CANCEL_ORDER, ENDED_STATUSES, WAITING_STATUSES, order_transition_rule
from .voucher_payment import voucher_give_back

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the counter


def new_reference(prefix: str = "C") -> str:
    return prefix + "-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(7))


def customer_language() -> str:
    """The language of the request placing the order (French unless the customer chose another)."""
    return get_supported_language_variant(get_language() or settings.LANGUAGE_CODE)


def check_customer(customer_name: str, customer_contact: str) -> None:
    """A name and a way to reach the customer, or ValidationError in French."""
    if not customer_name.strip() or not customer_contact.strip():
        raise ValidationError(_("Indiquez votre nom et un téléphone ou un e-mail pour être prévenu."))


@dataclass
class PlannedOrder:
    """An order ready to be written, with its lines: see `orders_record()`."""

    order: Order
    lines: list[OrderLine]


def planned_order(
    *,
    shop: Shop,
    wanted: Sequence[Wanted],
    products: dict[int, Product],
    variants: dict[int, ProductVariant],
    customer: User | None,
    customer_name: str,
    customer_contact: str,
    basket_reference: str = "",
    fulfilment_fields: dict[str, Any] | None = None,
    contact: CustomerContact | None = None,
) -> PlannedOrder:
    """The order and its lines as they will be written (nothing written yet): titles and prices as the
    customer sees them now, from `products` and `variants`; `contact` holds each way to reach the customer
    (by default, the one `customer_contact` given)."""
    contact = contact or CustomerContact.of(customer_contact)
    lines = [
        OrderLine(
            product_id=item.product_id,
            variant_id=item.variant_id,
            title=article_title(products[item.product_id], variants.get(item.variant_id or 0)),
            unit_price=unit_price(products[item.product_id], variants.get(item.variant_id or 0)),
            quantity=item.quantity,
        )
        for item in wanted
    ]
    order = Order(
        town_id=shop.town_id,
        shop=shop,
        reference=new_reference(),
        basket_reference=basket_reference or new_reference("P"),
        customer=customer,
        customer_name=customer_name.strip(),
        customer_contact=customer_contact.strip(),
        customer_email=contact.email,
        customer_phone=contact.phone,
        notify_by=contact.notify_by,
        items_total=sum((line.unit_price * line.quantity for line in lines), Decimal("0.00")),
        language=customer_language(),
        **(fulfilment_fields or {}),
    )
    return PlannedOrder(order=order, lines=lines)


def order_steps_announce(events: Sequence[OrderEvent]) -> None:
    """Tell whoever follows orders (messages to the customer and the shop) that these steps were taken."""
    order_steps_recorded.send(sender=Order, events=list(events))


@dataclass(frozen=True)
class RecordedOrders:
    orders: list[Order]
    events: list[OrderEvent]  # the first step of each order: placed


def orders_write(planned: Sequence[PlannedOrder], *, customer: User | None) -> RecordedOrders:
    """Write placed orders, their lines and their first step in three queries whatever their number.
    Stock must already be taken (`catalogue.stock.stock_take`); the caller announces the orders
    (`order_steps_announce` of the events) once they are ready to be told."""
    # Built by our own code from checked values; the database constraints guard the rest (full_clean
    # would cost queries per order, and checkout must not grow with the basket).
    orders = Order.objects.bulk_create([item.order for item in planned])
    for item, order in zip(planned, orders, strict=True):
        for line in item.lines:
            line.order = order
    OrderLine.objects.bulk_create([line for item in planned for line in item.lines])
    events = OrderEvent.objects.bulk_create(
        [
            OrderEvent(order=order, to_status=OrderStatus.PLACED, actor=customer, by_customer=True)
            for order in orders
        ]
    )
    for town_id in sorted({order.town_id for order in orders}):
        town_public_data_changed(town_id)  # stock shown on public pages changed
    return RecordedOrders(orders=orders, events=events)


def orders_record(planned: Sequence[PlannedOrder], *, customer: User | None) -> list[Order]:
    """`orders_write`, each order announced once the transaction commits."""
    recorded = orders_write(planned, customer=customer)
    order_steps_announce(recorded.events)
    return recorded.orders


@transaction.atomic
def order_transition(
    *,
    order: Order,
    to_status: str,
    actor: User | None,
    reason: str = "",
    as_customer: bool = False,
    unavailable_lines: Sequence[int] = (),
    at: datetime | None = None,
) -> Order:
    """Move an order to `to_status` if its life allows it and `actor` may; record who, when and why.

    `actor=None` is the platform itself (expiry), unless `as_customer`: someone who proved, with the
    private tracking link, that the order is theirs; they may then do what a customer may do, and the
    step names the signed-in `actor` only when the order is that account's.
    Refusal, cancellation, an uncollected order and expiry put the stock back (when the shop cancels,
    all but the `unavailable_lines` it names: ids of the order's lines missing or damaged), refund an
    online payment and give back to their vouchers what they paid (dated `at`, now by default); every
    step is announced to whom it concerns once the transaction commits.
    """
    locked = Order.objects.select_for_update().get(pk=order.pk)
    transition = order_transition_rule(locked, to_status)
    if transition is None:
        raise ValidationError(
            _("Une commande « %(from)s » ne peut pas passer à « %(to)s ».")
            % {"from": locked.get_status_display(), "to": OrderStatus(to_status).label}
        )
    if as_customer:
        allowed = transition.permission == CANCEL_ORDER
        if actor is not None and actor.pk != locked.customer_id:
            actor = None
    else:
        allowed = actor is None or (
            transition.permission is not None and actor.has_perm(transition.permission, locked)
        )
    if not allowed:
        raise PermissionDenied(_("Vous ne pouvez pas faire ce changement pour cette commande."))
    reason = reason.strip()
    if transition.needs_reason and not reason:
        raise ValidationError({"reason": _("Indiquez le motif : le client le lira.")})
    lines = list(locked.lines.all())
    unavailable = set(unavailable_lines)
    if unavailable and (
        not transition.names_unavailable_lines or not unavailable <= {line.pk for line in lines}
    ):
        raise ValidationError(
            {"unavailable_lines": _("Ces articles ne sont pas ceux de la commande : rechargez la page.")}
        )
    if transition.gives_stock_back:
        if unavailable:
            OrderLine.objects.filter(pk__in=sorted(unavailable)).update(unavailable=True)
        stock_return([line for line in lines if line.pk not in unavailable])
        town_public_data_changed(locked.town_id)
    if transition.refunds:
        payment_refund_order(locked)
        voucher_give_back(locked, at=at or timezone.now())
    if to_status == OrderStatus.READY and locked.fulfilment == FulfilmentMethod.LOCKER:
        locked.locker_code = new_locker_code()
    event = OrderEvent.objects.create(
        order=locked,
        from_status=locked.status,
        to_status=to_status,
        actor=actor,
        by_customer=as_customer,
        reason=reason,
    )
    locked.status = to_status
    if to_status in ENDED_STATUSES:
        locked.ended_at = event.created_at
    locked.save(update_fields=["status", "locker_code", "payment_state", "ended_at", "updated_at"])
    order_steps_announce([event])
    order.status = locked.status
    return locked


@transaction.atomic
def orders_forget_customer(*, user: User) -> int:
    """Strip a person's name and contact from the orders they placed, before their account is erased.

    The shops keep the orders (articles and amounts are their accounts); an order still under way
    needs its contact, so erasure waits until it has ended (cancel it, or collect it). Returns how many
    orders were made anonymous.
    """
    orders = Order.objects.select_for_update().filter(customer=user).order_by("pk")
    if any(order.status in WAITING_STATUSES for order in orders):
        raise ValidationError(
            _("Une de vos commandes est en cours : annulez-la ou retirez-la avant de supprimer votre compte.")
        )
    forgotten = list(orders)
    # What other apps keep about these orders' customer (the messages sent to them) goes first.
    order_customer_forgotten.send(sender=Order, order_ids=[order.pk for order in forgotten])
    return Order.objects.filter(pk__in=[order.pk for order in forgotten]).update(
        customer_name=ERASED_CUSTOMER,
        customer_contact="",
        customer_email="",
        customer_phone="",
        delivery_address="",
        customer=None,
    )
