"""Reads about shops; every function takes the space (or town) explicitly."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, QuerySet
from django.utils import timezone

from centreville.catalogue.models import Product
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from .models import Shop, ShopStatus, TradeCategory
from .opening import OpeningState, opening_state

FEATURED_SHOPS = 12
FEATURED_PRODUCTS = 8


def published_shops(space: Space) -> QuerySet[Shop]:
    return Shop.objects.in_space(space).filter(status=ShopStatus.PUBLISHED).select_related("category")


@dataclass(frozen=True)
class SpaceHome:
    shop_count: int
    categories: Sequence[TradeCategory]
    featured_shops: list[Shop]
    featured_products: list[Product]


def space_home_content(space: Space) -> SpaceHome:
    """What a town's home page shows: trades with their shop counts, latest shops and products."""
    shops = published_shops(space)
    # Count the space's shops per trade first (an index range), then fetch those few trades.
    counts = dict(
        shops.order_by().values_list("category_id").annotate(n=Count("id")).values_list("category_id", "n")
    )
    categories = list(TradeCategory.objects.filter(pk__in=counts).order_by("position", "name"))
    for category in categories:
        category.shop_count = counts[category.pk]  # type: ignore[attr-defined]
    featured_shops = list(shops.select_related("town").order_by("-created_at")[:FEATURED_SHOPS])
    featured_products = list(
        Product.objects.in_space(space)
        .filter(is_visible=True, shop__status=ShopStatus.PUBLISHED)
        .select_related("shop", "shop__town")
        .order_by("-updated_at")[:FEATURED_PRODUCTS]
    )
    return SpaceHome(
        shop_count=sum(counts.values()),
        categories=categories,
        featured_shops=featured_shops,
        featured_products=featured_products,
    )


def shop_for_page(space: Space, slug: str) -> Shop | None:
    """A published shop of the space, with what its page shows."""
    return published_shops(space).select_related("town").filter(slug=slug).first()


def shop_visible_products(shop: Shop) -> QuerySet[Product]:
    return Product.objects.for_town(shop.town).filter(shop=shop, is_visible=True).order_by("title")


def shop_opening_state(shop: Shop, *, at: datetime | None = None) -> OpeningState:
    """Open now, or when it opens, from the shop's hours, French holidays and its coming closures."""
    today = (at or timezone.now()).date()
    closures = [
        (closure.start_date, closure.end_date)
        for closure in getattr(shop, "upcoming_closures", None)
        or shop.closures.filter(end_date__gte=today - timedelta(days=1))
    ]
    return opening_state(shop.opening_hours, shop.town.timezone, closures=closures, at=at)


def shops_for_manager(town: Town, *, status: str | None = None) -> QuerySet[Shop]:
    """Every shop of the town whatever its status, the ones awaiting validation first."""
    shops = Shop.objects.for_town(town).select_related("category").prefetch_related("memberships__user")
    if status:
        shops = shops.filter(status=status)
    return shops.order_by("status", "name")


def shop_status_counts(town: Town) -> dict[str, int]:
    counts = dict(
        Shop.objects.for_town(town).values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return {value: counts.get(value, 0) for value in ShopStatus.values}
