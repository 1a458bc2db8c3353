"""Paying a basket's orders online: the payment is opened by the payments app, which tells what the
provider said through its signals (`centreville.payments.signals`, received in `receivers.py`).

Lock order, as everywhere: the orders (by primary key), then their payment, then a share.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from centreville.payments.models import Payment, PaymentShare
from centreville.payments.services import (
    MINIMUM_ONLINE_AMOUNT,
    online_payment_available,
    payment_open,
    payment_pending_for,
    payment_refund_share,
    payment_share_give_back,
)

from .models import Order, OrderStatus, PaymentChoice, PaymentState

PAYABLE_STATUSES = {OrderStatus.PLACED, OrderStatus.ACCEPTED, OrderStatus.READY, OrderStatus.DROPPED}
# Orders that ended without a sale: whatever they paid is owed back to the customer.
GIVEN_BACK_STATUSES = {
    OrderStatus.REFUSED,
    OrderStatus.CANCELLED,
    OrderStatus.SHOP_CANCELLED,
    OrderStatus.NOT_COLLECTED,
    OrderStatus.EXPIRED,
}


@transaction.atomic
def payment_start(*, orders: Sequence[Order], return_url: str, cancel_url: str) -> str:
    """Open one charge for the orders of one basket; return the URL where the customer pays.

    Each order's share is what town vouchers left to pay of it (`Order.to_pay`); an order they paid whole
    is not part of the charge. The orders paid become payment=online, payment_state=pending. Asked again
    for the same orders while that payment is still open (a second click, a return from the payment
    page), the same URL comes back and no second charge is opened. Raises ValidationError, in French,
    when they cannot be paid.
    """
    if not orders:
        raise ValidationError(_("Aucune commande à payer."))
    locked = list(
        Order.objects.select_for_update()
        .filter(pk__in=[order.pk for order in orders])
        .select_related("shop", "town")
        .order_by("pk")
    )
    if len(locked) != len({order.pk for order in orders}) or len({o.basket_reference for o in locked}) != 1:
        raise ValidationError(_("Ces commandes ne forment pas un seul panier."))
    if any(order.status not in PAYABLE_STATUSES for order in locked):
        raise ValidationError(_("Une de ces commandes ne peut plus être payée en ligne."))
    if any(order.payment_state in (PaymentState.PAID, PaymentState.REFUNDED) for order in locked):
        raise ValidationError(_("Une de ces commandes a déjà été payée en ligne."))

    locked = [order for order in locked if order.to_pay > 0]
    if not locked:
        raise ValidationError(_("Rien à payer en ligne : les bons d'achat paient ces commandes."))
    open_payment = payment_pending_for(order.pk for order in locked)
    if open_payment is not None:
        return open_payment.redirect_url

    total = sum((order.to_pay for order in locked), Decimal("0.00"))
    if total < MINIMUM_ONLINE_AMOUNT:
        raise ValidationError(
            _("Le paiement en ligne demande au moins %(minimum)s €. Vous réglerez au retrait.")
            % {"minimum": number_format(MINIMUM_ONLINE_AMOUNT, 2)}
        )
    town = locked[0].town
    if not online_payment_available(town, {order.shop for order in locked}):
        raise ValidationError(_("Le paiement en ligne n'est pas proposé pour ce panier."))

    payment = payment_open(
        town=town,
        basket_reference=locked[0].basket_reference,
        shares=[PaymentShare(order=order, amount=order.to_pay) for order in locked],
        return_url=return_url,
        cancel_url=cancel_url,
    )
    Order.objects.filter(pk__in=[order.pk for order in locked]).update(
        payment=PaymentChoice.ONLINE, payment_state=PaymentState.PENDING, updated_at=timezone.now()
    )
    paid_online = {order.pk for order in locked}
    for order in orders:
        if order.pk in paid_online:
            order.payment, order.payment_state = PaymentChoice.ONLINE, PaymentState.PENDING
    return payment.redirect_url


def payment_refund_order(order: Order) -> None:
    """Refund what the customer paid online for this order, if anything (inside the transaction).

    Called with the order locked, when it ends without a sale (refused, cancelled, not collected,
    expired). The refund is recorded now and sent to the provider after the commit; `order.payment_state`
    becomes "refunded" and the caller saves it. An order whose payment is still pending is left so: if
    that payment succeeds later, its share is refunded then.
    """
    if order.payment != PaymentChoice.ONLINE or order.payment_state != PaymentState.PAID:
        return
    if payment_refund_share(order_id=order.pk):
        order.payment_state = PaymentState.REFUNDED


def orders_paid(*, payment: Payment, order_ids: Sequence[int]) -> None:
    """The customer paid for these orders (locked); one that ended meanwhile has its share given back."""
    for order in Order.objects.filter(pk__in=list(order_ids)).order_by("pk"):
        if order.status in GIVEN_BACK_STATUSES:
            # Cancelled while the customer was still paying: the money goes straight back.
            payment_share_give_back(payment=payment, order_id=order.pk)
            order.payment_state = PaymentState.REFUNDED
        else:
            order.payment_state = PaymentState.PAID
        order.save(update_fields=["payment_state", "updated_at"])


def orders_payment_failed(*, order_ids: Sequence[int]) -> None:
    """Nothing was taken for these orders (locked): the customer pays at pickup, or tries again online."""
    for order in Order.objects.filter(pk__in=list(order_ids), payment_state=PaymentState.PENDING).order_by(
        "pk"
    ):
        order.payment, order.payment_state = PaymentChoice.AT_PICKUP, PaymentState.NONE
        order.save(update_fields=["payment", "payment_state", "updated_at"])


def orders_refunded(*, order_ids: Sequence[int], whole: bool) -> None:
    """The provider gave back all (`whole`) or part of what was paid for these orders (locked)."""
    for order in Order.objects.filter(
        pk__in=list(order_ids), payment_state__in=[PaymentState.PENDING, PaymentState.PAID]
    ).order_by("pk"):
        order.payment_state = PaymentState.REFUNDED if whole else PaymentState.PAID
        order.save(update_fields=["payment_state", "updated_at"])
