"""Reads about people."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .models import TownRole, User
from .signals import answers_about, user_data_export_requested, user_shops_requested


@dataclass
class TownPlaces:
    """What one person is in one town."""

    town: Any  # a towns.Town
    roles: list[str] = field(default_factory=list)
    shops: list[Any] = field(default_factory=list)  # the shops they run there (user_shops_requested)


def user_places(user: User) -> list[TownPlaces]:
    """The towns where someone holds a role or runs a shop, in two queries."""
    places: dict[int, TownPlaces] = {}
    for town_role in TownRole.objects.filter(user=user).select_related("town").order_by("town__name", "role"):
        places.setdefault(town_role.town_id, TownPlaces(town=town_role.town)).roles.append(
            str(town_role.get_role_display())
        )
    for shops in answers_about(user_shops_requested, user):
        for town, shop in shops:
            places.setdefault(town.pk, TownPlaces(town=town)).shops.append(shop)
    return sorted(places.values(), key=lambda place: place.town.name)


def user_data_export(user: User) -> dict[str, object]:
    """Everything the platform holds about one person (GDPR right of access), as plain JSON-ready data:
    the account's own sections, then those of the apps above (user_data_export_requested)."""
    from allauth.account.models import EmailAddress

    export: dict[str, object] = {
        "compte": {
            "email": user.email,
            "prenom": user.first_name,
            "nom": user.last_name,
            "inscrit_le": user.date_joined.isoformat(),
            "derniere_connexion": user.last_login.isoformat() if user.last_login else None,
        },
        "adresses_email": [
            {"email": address.email, "verifiee": address.verified, "principale": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "roles": [
            {
                "ville": role.town.name,
                "role": str(role.get_role_display()),
                "depuis": role.created_at.isoformat(),
            }
            for role in TownRole.objects.filter(user=user)
            .select_related("town")
            .order_by("town__name", "role")
        ],
    }
    for sections in answers_about(user_data_export_requested, user):
        export.update(sections)
    return export
