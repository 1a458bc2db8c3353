"""The shops whose imported opening hours need a person's look, and marking them as looked at.

An import keeps the source's text in `Shop.opening_hours_raw` when it had to repair the hours, could not
read them, or read them as "every day"; the town manager's import page lists those shops until someone
marks them as checked (which clears the kept text) or a merchant takes the shop over and sets hours.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from centreville.shops.models import Shop
from centreville.shops.services import shop_update
from centreville.towns.models import Town

from .hours import HoursStatus, read_opening_hours


@dataclass(frozen=True)
class HoursToCheck:
    shop: Shop
    raw: str
    status: HoursStatus


def shops_with_hours_to_check(*, town: Town, limit: int = 500) -> list[HoursToCheck]:
    """The town's shops whose imported hours wait for a look, by name."""
    shops = (
        Shop.objects.for_town(town)
        .exclude(opening_hours_raw="")
        .select_related("town")
        .only("pk", "name", "slug", "town", "opening_hours", "opening_hours_raw")
        .order_by("name", "pk")[:limit]
    )
    return [
        HoursToCheck(
            shop=shop, raw=shop.opening_hours_raw, status=read_opening_hours(shop.opening_hours_raw).status
        )
        for shop in shops
    ]


@transaction.atomic
def shop_hours_checked(*, shop: Shop) -> Shop:
    """Someone looked at the shop's hours: the source's text is no longer kept beside them."""
    if not shop.opening_hours_raw:
        return shop
    return shop_update(shop=shop, opening_hours_raw="")
