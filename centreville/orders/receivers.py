"""How orders answer the signals of the apps below them."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from centreville.accounts.signals import user_data_export_requested, user_erase_requested

from .selectors import customer_orders_export
from .services import orders_forget_customer


@receiver(user_data_export_requested, dispatch_uid="orders.user_data_export")
def export_orders_of_user(sender: Any, user: Any, **kwargs: Any) -> dict[str, object]:
    return {"commandes": customer_orders_export(user)}


@receiver(user_erase_requested, dispatch_uid="orders.user_erase")
def forget_customer_of_orders(sender: Any, user: Any, **kwargs: Any) -> None:
    orders_forget_customer(user=user)
