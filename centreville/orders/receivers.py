"""How orders answer the signals of the apps below them: accounts' personal data, payments' outcomes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.dispatch import receiver

from centreville.accounts.signals import user_data_export_requested, user_erase_requested
from centreville.payments.models import Payment
from centreville.payments.signals import payment_failed, payment_refunded, payment_succeeded

from .payment import orders_paid, orders_payment_failed, orders_refunded
from .selectors import customer_orders_export
from .services import orders_forget_customer


@receiver(payment_succeeded, dispatch_uid="orders.paid")
def paid(sender: Any, *, payment: Payment, order_ids: Sequence[int], **kwargs: Any) -> None:
    if not order_ids:
        return  # a payment without orders (a sale of vouchers) is another app's
    orders_paid(payment=payment, order_ids=order_ids)


@receiver(payment_failed, dispatch_uid="orders.payment_failed")
def failed(sender: Any, *, order_ids: Sequence[int], **kwargs: Any) -> None:
    if not order_ids:
        return
    orders_payment_failed(order_ids=order_ids)


@receiver(payment_refunded, dispatch_uid="orders.refunded")
def refunded(sender: Any, *, order_ids: Sequence[int], whole: bool, **kwargs: Any) -> None:
    if not order_ids:
        return
    orders_refunded(order_ids=order_ids, whole=whole)


@receiver(user_data_export_requested, dispatch_uid="orders.user_data_export")
def export_orders_of_user(sender: Any, user: Any, **kwargs: Any) -> dict[str, object]:
    return {"commandes": customer_orders_export(user)}


@receiver(user_erase_requested, dispatch_uid="orders.user_erase")
def forget_customer_of_orders(sender: Any, user: Any, **kwargs: Any) -> None:
    orders_forget_customer(user=user)
