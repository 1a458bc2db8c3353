"""Reads about towns and territories."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q

from centreville.accounts.models import Role, TownRole
from centreville.catalogue.models import Product
from centreville.core.pagecache import town_versions, version_keys, versions_from
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


# Slug → ids of the space's towns, as last seen by this process: a guess that lets one cache round trip
# fetch a space together with its towns' versions. Always checked against the cached space itself.
_TOWN_IDS: dict[str, tuple[int, ...]] = {}


def public_space(slug: str) -> tuple[Space | None, str]:
    """`space_by_slug(slug)` and its towns' versions (core.pagecache), so that a cached page needs no query.

    The space is kept in the shared cache and used only while its towns' versions are unchanged (every write
    through the services bumps them); changes made outside the services (admin) show within
    PAGE_CACHE_SECONDS. Usually one cache round trip.
    """
    key = f"space:{slug}"
    guessed = _TOWN_IDS.get(slug, ())
    found = cache.get_many([key, *version_keys(guessed)])
    entry = found.get(key)
    if isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], Space):
        space, stored_versions = entry
        ids = space.town_ids
        versions = versions_from(found, ids) if ids == guessed else town_versions(ids)
        if versions == stored_versions:
            _TOWN_IDS[slug] = ids
            return space, versions
    space = space_by_slug(slug)
    if space is None:
        return None, ""
    versions = town_versions(space.town_ids)
    cache.set(key, (space, versions), settings.PAGE_CACHE_SECONDS)
    _TOWN_IDS[slug] = space.town_ids
    return space, versions


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
        .prefetch_related(Prefetch("towns", queryset=Town.objects.filter(is_published=True).order_by("name")))
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
