"""Who someone is in a town, as `rules` predicates on a town or a town-owned object."""

from __future__ import annotations

from typing import Any

import rules

from centreville.accounts.models import Role, TownRole

from .models import Town


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


def _town_id(target: Any) -> int | None:
    """A town's id, or the id of the town a town-owned object belongs to."""
    if target is None:
        return None
    return target.pk if isinstance(target, Town) else target.town_id


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
is_coaching_expert = has_town_role(Role.EXPERT)
is_event_organiser = has_town_role(Role.ORGANISER)
