"""Reads about towns and territories."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from centreville.accounts.models import TownRole
from centreville.core.pagecache import town_versions, version_keys, versions_from

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


def town_roles(town: Town) -> list[TownRole]:
    return list(TownRole.objects.filter(town=town).select_related("user").order_by("role", "user__email"))
