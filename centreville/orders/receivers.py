"""How the orders follow what the payment provider said (see `centreville.payments.signals`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.dispatch import receiver

from centreville.payments.models import Payment
from centreville.payments.signals import payment_failed, payment_refunded, payment_succeeded

from .payment import orders_paid, orders_payment_failed, orders_refunded


@receiver(payment_succeeded, dispatch_uid="orders.paid")
def paid(sender: Any, *, payment: Payment, order_ids: Sequence[int], **kwargs: Any) -> None:
    orders_paid(payment=payment, order_ids=order_ids)


@receiver(payment_failed, dispatch_uid="orders.payment_failed")
def failed(sender: Any, *, order_ids: Sequence[int], **kwargs: Any) -> None:
    orders_payment_failed(order_ids=order_ids)


@receiver(payment_refunded, dispatch_uid="orders.refunded")
def refunded(sender: Any, *, order_ids: Sequence[int], whole: bool, **kwargs: Any) -> None:
    orders_refunded(order_ids=order_ids, whole=whole)
