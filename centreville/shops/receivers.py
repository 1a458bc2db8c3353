"""How shops answer the signals of the apps below them."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from centreville.accounts.signals import user_data_export_requested, user_shops_requested
from centreville.towns.models import Town

from .models import Shop
from .selectors import member_shops_export, shops_run_by


@receiver(user_shops_requested, dispatch_uid="shops.user_shops")
def list_shops_of_user(sender: Any, user: Any, **kwargs: Any) -> list[tuple[Town, Shop]]:
    return [(shop.town, shop) for shop in shops_run_by(user)]


@receiver(user_data_export_requested, dispatch_uid="shops.user_data_export")
def export_shops_of_user(sender: Any, user: Any, **kwargs: Any) -> dict[str, object]:
    return {"commerces": member_shops_export(user)}
