"""Placing orders and keeping stock right: never the same last unit sold twice.

Stock is taken in the same transaction that records the order, under row locks taken in one order
(products by primary key, then variants by primary key), so that two baskets sharing products wait for
each other instead of deadlocking; a database constraint refuses a negative stock whatever happens.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.utils.translation import get_language, get_supported_language_variant
from django.utils.translation import gettext as _

from centreville.accounts.models import User
from centreville.catalogue.models import Product, ProductVariant
from centreville.catalogue.selectors import article_title, unit_price
from centreville.core.pagecache import bump_town_version
from centreville.fulfilment.models import FulfilmentMethod
from centreville.fulfilment.services import new_locker_code
from centreville.notifications.models import Notification
from centreville.notifications.services import notify_order_event, notify_order_events
from centreville.payments.services import payment_refund_order
from centreville.shops.models import Shop

from .contact import CustomerContact
from .models import Order, OrderEvent, OrderLine, OrderStatus
from .transitions import CANCEL_ORDER, WAITING_STATUSES, order_transition_rule

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the counter


@dataclass(frozen=True)
class Wanted:
    """A quantity of a product (or of one of its variants) that a customer wants."""

    product_id: int
    quantity: int
    variant_id: int | None = None


class NoLongerAvailable(ValidationError):
    """Someone was quicker: what is left is less than what was asked for.

    `product_id` names the product concerned, when there is one, so that a basket can say which shop.
    """

    def __init__(self, message: str, *, product_id: int | None = None) -> None:
        super().__init__(message)
        self.product_id = product_id


def new_reference(prefix: str = "C") -> str:
    return prefix + "-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(7))


def _locked(wanted: Sequence[Wanted]) -> tuple[dict[int, Product], dict[int, ProductVariant]]:
    """The wanted products and variants, locked in primary-key order (products first)."""
    product_ids = sorted({item.product_id for item in wanted})
    variant_ids = sorted({item.variant_id for item in wanted if item.variant_id is not None})
    products = {
        p.pk: p for p in Product.objects.select_for_update().filter(pk__in=product_ids).order_by("pk")
    }
    variants = {
        v.pk: v for v in ProductVariant.objects.select_for_update().filter(pk__in=variant_ids).order_by("pk")
    }
    return products, variants


def stock_take(wanted: Sequence[Wanted]) -> tuple[dict[int, Product], dict[int, ProductVariant]]:
    """Take the wanted quantities out of stock, all or nothing; must run inside a transaction.

    Products "on request" (no stock kept) are not counted. Raises NoLongerAvailable, in French, naming
    the first article that is short, and changes nothing. The same four queries whatever the number of
    articles: products then variants locked by primary key, then one update of each.
    """
    if any(item.quantity <= 0 for item in wanted):
        raise ValidationError(_("Une quantité doit être d'au moins 1."))
    products, variants = _locked(wanted)
    per_product = Counter[int]()
    per_variant = Counter[int]()
    for item in wanted:
        if item.product_id not in products or (
            item.variant_id is not None and item.variant_id not in variants
        ):
            raise NoLongerAvailable(
                _("Un article de votre panier n'existe plus."), product_id=item.product_id
            )
        if item.variant_id is None:
            per_product[item.product_id] += item.quantity
        else:
            per_variant[item.variant_id] += item.quantity
    for product_id, quantity in per_product.items():
        product = products[product_id]
        _check_left(product.stock, quantity, product.title, product_id)
    for variant_id, quantity in per_variant.items():
        variant = variants[variant_id]
        product = products[variant.product_id]
        _check_left(variant.stock, quantity, f"{product.title} ({variant.label})", product.pk)
    _take(Product, {pk: n for pk, n in per_product.items() if products[pk].stock is not None})
    _take(ProductVariant, {pk: n for pk, n in per_variant.items() if variants[pk].stock is not None})
    return products, variants


def _take(model: type[Product] | type[ProductVariant], quantities: dict[int, int]) -> None:
    """One UPDATE for all the rows: stock minus each row's quantity (rows already locked)."""
    if not quantities:
        return
    taken = Case(
        *(When(pk=pk, then=Value(quantity)) for pk, quantity in sorted(quantities.items())),
        output_field=IntegerField(),
    )
    model.objects.filter(pk__in=sorted(quantities)).update(stock=F("stock") - taken)


def _check_left(stock: int | None, quantity: int, title: str, product_id: int) -> None:
    if stock is not None and stock < quantity:
        message = (
            _("« %(title)s » n'est plus disponible.")
            if stock == 0
            else _("« %(title)s » : il n'en reste que %(left)s.")
        )
        raise NoLongerAvailable(message % {"title": title, "left": stock}, product_id=product_id)


def stock_give_back(lines: Sequence[OrderLine]) -> None:
    """Put the quantities of these order lines back in stock (refusal, cancellation, expiry)."""
    for line in sorted(lines, key=lambda line: (line.product_id, line.variant_id or 0)):
        if line.variant_id is not None:
            ProductVariant.objects.filter(pk=line.variant_id, stock__isnull=False).update(
                stock=F("stock") + line.quantity
            )
        else:
            Product.objects.filter(pk=line.product_id, stock__isnull=False).update(
                stock=F("stock") + line.quantity
            )


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


def orders_record(planned: Sequence[PlannedOrder], *, customer: User | None) -> list[Order]:
    """Write placed orders, their lines and their first step in three queries whatever their number, and
    announce each once the transaction commits. Stock must already be taken (`stock_take`)."""
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
    notify_order_events(events)
    for town_id in sorted({order.town_id for order in orders}):
        bump_town_version(town_id)  # stock shown on public pages changed
    return orders


@transaction.atomic
def order_transition(
    *,
    order: Order,
    to_status: str,
    actor: User | None,
    reason: str = "",
    as_customer: bool = False,
    unavailable_lines: Sequence[int] = (),
) -> Order:
    """Move an order to `to_status` if its life allows it and `actor` may; record who, when and why.

    `actor=None` is the platform itself (expiry), unless `as_customer`: someone who proved, with the
    private tracking link, that the order is theirs; they may then do what a customer may do, and the
    step names the signed-in `actor` only when the order is that account's.
    Refusal, cancellation, an uncollected order and expiry put the stock back (when the shop cancels,
    all but the `unavailable_lines` it names: ids of the order's lines missing or damaged) and refund an
    online payment; every step is announced to whom it concerns once the transaction commits.
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
        stock_give_back([line for line in lines if line.pk not in unavailable])
        bump_town_version(locked.town_id)
    if transition.refunds:
        payment_refund_order(locked)
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
    locked.save(update_fields=["status", "locker_code", "payment_state", "updated_at"])
    notify_order_event(event)
    order.status = locked.status
    return locked


ERASED_CUSTOMER = "—"  # what an order keeps of a person who erased their account: amounts and articles


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
    Notification.objects.filter(order__in=forgotten).delete()  # they hold the address and the message
    return Order.objects.filter(pk__in=[order.pk for order in forgotten]).update(
        customer_name=ERASED_CUSTOMER,
        customer_contact="",
        customer_email="",
        customer_phone="",
        delivery_address="",
        customer=None,
    )
