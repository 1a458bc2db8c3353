"""How the vouchers answer the signals of the apps below them: the payments' outcomes and refunds for
sales, and a person's request for their data."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils import timezone

from centreville.accounts.signals import user_data_export_requested
from centreville.payments.models import Payment
from centreville.payments.signals import payment_failed, payment_refunded, payment_succeeded

from .sales import sale_paid, sale_payment_failed, sale_refunded
from .selectors import person_vouchers_export


@receiver(payment_succeeded, dispatch_uid="vouchers.sale_paid")
def paid(sender: Any, *, payment: Payment, **kwargs: Any) -> None:
    sale_paid(payment=payment, at=timezone.now())


@receiver(payment_failed, dispatch_uid="vouchers.sale_payment_failed")
def failed(sender: Any, *, payment: Payment, **kwargs: Any) -> None:
    sale_payment_failed(payment=payment)


@receiver(payment_refunded, dispatch_uid="vouchers.sale_refunded")
def refunded(sender: Any, *, payment: Payment, **kwargs: Any) -> None:
    sale_refunded(payment=payment, at=timezone.now())


@receiver(user_data_export_requested, dispatch_uid="vouchers.user_data_export")
def export_vouchers_of_user(sender: Any, user: Any, **kwargs: Any) -> dict[str, object]:
    return person_vouchers_export(user)
