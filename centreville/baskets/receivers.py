"""How baskets answer the signals of the apps below them."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from centreville.accounts.signals import user_data_export_requested

from .selectors import baskets_export


@receiver(user_data_export_requested, dispatch_uid="baskets.user_data_export")
def export_baskets_of_user(sender: Any, user: Any, **kwargs: Any) -> dict[str, object]:
    return {"paniers": baskets_export(user)}
