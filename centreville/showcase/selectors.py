"""Reads of the platform's and the towns' front pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from centreville.shops.models import ShopStatus
from centreville.towns.models import Territory, Town


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
