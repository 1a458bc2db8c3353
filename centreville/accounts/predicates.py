"""Who someone is in a town, as `rules` predicates: the one mechanism behind every permission."""

from __future__ import annotations

from typing import Any

import rules

from .models import Role, TownRole


def town_roles_of(user: Any, town_id: int) -> frozenset[str]:
    """The roles a user holds in a town, read once per user object (so once per request)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cache: dict[int, frozenset[str]] = user.__dict__.setdefault("_town_roles", {})
    if town_id not in cache:
        cache[town_id] = frozenset(
            TownRole.objects.filter(user=user, town_id=town_id).values_list("role", flat=True)
        )
    return cache[town_id]


def shop_ids_of(user: Any) -> frozenset[int]:
    """The shops a user runs, read once per user object."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if "_shop_ids" not in user.__dict__:
        user.__dict__["_shop_ids"] = frozenset(user.shop_memberships.values_list("shop_id", flat=True))
    return user.__dict__["_shop_ids"]


def _town_id(target: Any) -> int | None:
    """A town's id, or the id of the town a town-owned object belongs to."""
    if target is None:
        return None
    from centreville.towns.models import Town

    return target.pk if isinstance(target, Town) else target.town_id


@rules.predicate
def is_platform_admin(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


@rules.predicate
def is_signed_in(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)


def has_town_role(role: Role) -> rules.Predicate:
    """True when the user holds `role` in the town of the target (a town or a town-owned object)."""

    def check(user: Any, target: Any) -> bool:
        town_id = _town_id(target)
        return town_id is not None and role in town_roles_of(user, town_id)

    return rules.Predicate(check, name=f"has_town_role:{role}")


is_town_manager = has_town_role(Role.MANAGER)
is_elected_official = has_town_role(Role.ELECTED)
is_producer = has_town_role(Role.PRODUCER)
is_professional_buyer = has_town_role(Role.BUYER)
is_digital_adviser = has_town_role(Role.ADVISER)


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
    from centreville.shops.models import Shop

    return Shop.objects.filter(town=town, pk__in=shop_ids_of(user)).exists()
