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


def user_data_export(user: User) -> dict[str, object]:
    """Everything the platform holds about one person (GDPR right of access), as plain JSON-ready data."""
    from allauth.account.models import EmailAddress

    from centreville.baskets.selectors import baskets_export
    from centreville.orders.selectors import customer_orders_export

    return {
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
        "commerces": [
            {"ville": shop.town.name, "commerce": shop.name}
            for shop in Shop.objects.filter(memberships__user=user).select_related("town").order_by("name")
        ],
        "commandes": customer_orders_export(user),
        "paniers": baskets_export(user),
    }
