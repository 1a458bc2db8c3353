"""Who runs which shop, as `rules` predicates."""

from __future__ import annotations

from typing import Any

import rules

from .models import Shop


def shop_ids_of(user: Any) -> frozenset[int]:
    """The shops a user runs, read once per user object."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if "_shop_ids" not in user.__dict__:
        user.__dict__["_shop_ids"] = frozenset(user.shop_memberships.values_list("shop_id", flat=True))
    return user.__dict__["_shop_ids"]


@rules.predicate
def runs_shop(user: Any, shop: Any) -> bool:
    """The user is a member of this shop (a merchant)."""
    return shop is not None and shop.pk in shop_ids_of(user)


@rules.predicate
def runs_shop_of(user: Any, obj: Any) -> bool:
    """The user is a member of the shop an object (a product) belongs to."""
    return obj is not None and obj.shop_id in shop_ids_of(user)


@rules.predicate
def is_merchant_in_town(user: Any, town: Any) -> bool:
    """The user runs at least one shop of this town."""
    if town is None or not shop_ids_of(user):
        return False
    return Shop.objects.filter(town=town, pk__in=shop_ids_of(user)).exists()
