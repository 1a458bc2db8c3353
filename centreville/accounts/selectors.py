"""Reads about people."""

from __future__ import annotations

from dataclasses import dataclass, field

from centreville.shops.models import Shop
from centreville.towns.models import Town

from .models import TownRole, User


@dataclass
class TownPlaces:
    """What one person is in one town."""

    town: Town
    roles: list[str] = field(default_factory=list)
    shops: list[Shop] = field(default_factory=list)


def user_places(user: User) -> list[TownPlaces]:
    """The towns where someone holds a role or runs a shop, in two queries."""
    places: dict[int, TownPlaces] = {}
    for town_role in TownRole.objects.filter(user=user).select_related("town").order_by("town__name", "role"):
        places.setdefault(town_role.town_id, TownPlaces(town=town_role.town)).roles.append(
            str(town_role.get_role_display())
        )
    for shop in Shop.objects.filter(memberships__user=user).select_related("town").order_by("name"):
        places.setdefault(shop.town_id, TownPlaces(town=shop.town)).shops.append(shop)
    return sorted(places.values(), key=lambda place: place.town.name)
