"""How the vouchers answer the signals of the apps below them: the payments' outcomes for sales."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils import timezone

from centreville.payments.models import Payment
from centreville.payments.signals import payment_failed, payment_succeeded

from .sales import sale_paid, sale_payment_failed


@receiver(payment_succeeded, dispatch_uid="vouchers.sale_paid")
def paid(sender: Any, *, payment: Payment, **kwargs: Any) -> None:
    sale_paid(payment=payment, at=timezone.now())


@receiver(payment_failed, dispatch_uid="vouchers.sale_payment_failed")
def failed(sender: Any, *, payment: Payment, **kwargs: Any) -> None:
    sale_payment_failed(payment=payment)
