"""Reads about towns and territories."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Q

from centreville.accounts.models import Role, TownRole
from centreville.catalogue.models import Product
from centreville.shops.models import Shop, ShopMembership, ShopStatus

from .models import Territory, Town
from .spaces import Space


def space_by_slug(slug: str, *, include_unpublished: bool = False) -> Space | None:
    """The town or territory whose address is `slug`, or None."""
    towns = Town.objects.filter(slug=slug).select_related("territory")
    if not include_unpublished:
        towns = towns.filter(is_published=True)
    town = towns.first()
    if town is not None:
        return Space(slug=town.slug, name=town.name, towns=(town,))
    territories = Territory.objects.filter(slug=slug)
    if not include_unpublished:
        territories = territories.filter(is_published=True)
    territory = territories.first()
    if territory is None:
        return None
    members = tuple(territory.towns.filter(is_published=True).order_by("name"))
    if not members:
        return None
    return Space(slug=territory.slug, name=territory.name, towns=members, territory=territory)


@dataclass(frozen=True)
class Directory:
    towns: Sequence[Town]
    territories: Sequence[Territory]


def platform_directory() -> Directory:
    """Every published town and territory, for the platform's front page."""
    shop_count = Count("shops", filter=Q(shops__status=ShopStatus.PUBLISHED))
    towns = list(Town.objects.filter(is_published=True).annotate(shop_count=shop_count).order_by("name"))
    territories = list(
        Territory.objects.filter(is_published=True, towns__is_published=True)
        .distinct()
        .prefetch_related("towns")
        .order_by("name")
    )
    return Directory(towns=towns, territories=territories)


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


def town_roles(town: Town) -> list[TownRole]:
    return list(TownRole.objects.filter(town=town).select_related("user").order_by("role", "user__email"))
