"""Headline figures of a town for its dashboard (the week-by-week figures are in dashboard.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from centreville.accounts.models import Role, TownRole
from centreville.catalogue.models import Product
from centreville.shops.models import Shop, ShopMembership, ShopStatus
from centreville.towns.models import Town


@dataclass(frozen=True)
class DashboardFigures:
    shops_by_status: dict[str, int]
    published_shops: int
    products: int
    visible_products: int
    merchants: int
    roles: dict[str, int]


def town_dashboard_figures(town: Town) -> DashboardFigures:
    """Headline figures of one town, in a handful of aggregate queries."""
    by_status = dict(
        Shop.objects.for_town(town).values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    shops_by_status = {str(label): by_status.get(value, 0) for value, label in ShopStatus.choices}
    products = Product.objects.for_town(town).aggregate(
        total=Count("id"), visible=Count("id", filter=Q(is_visible=True))
    )
    merchants = ShopMembership.objects.filter(shop__town=town).values("user").distinct().count()
    role_counts = dict(
        TownRole.objects.filter(town=town)
        .values_list("role")
        .annotate(n=Count("id"))
        .values_list("role", "n")
    )
    return DashboardFigures(
        shops_by_status=shops_by_status,
        published_shops=by_status.get(ShopStatus.PUBLISHED, 0),
        products=products["total"],
        visible_products=products["visible"],
        merchants=merchants,
        roles={str(label): role_counts.get(value, 0) for value, label in Role.choices},
    )
