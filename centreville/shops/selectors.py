"""Reads about shops; every function takes the space (or town) explicitly."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)

from centreville.catalogue.models import Product, ProductPhoto, ProductVariant
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from .hours import Closure, DayHours, OpeningState, days_ahead, first_change, local_date, opening_state
from .models import Shop, ShopClosure, ShopMembership, ShopPhoto, ShopStatus, TradeCategory
from .ordering import OrderTaking, handled_by_someone, order_taking

FEATURED_SHOPS = 12
FEATURED_PRODUCTS = 8
OPEN_NOW_SHOWN = 8
DIRECTORY_PAGE_SIZE = 24
PRODUCTS_PAGE_SIZE = 24
RELATED_PRODUCTS = 4
WEEK_DAYS = 7


def published_shops(space: Space) -> QuerySet[Shop]:
    return Shop.objects.in_space(space).filter(status=ShopStatus.PUBLISHED).select_related("category")


@dataclass(frozen=True)
class SpaceHome:
    shop_count: int
    categories: Sequence[TradeCategory]
    featured_shops: list[Shop]
    featured_products: list[Product]
    # Shops open at the time of the page, the most recently updated first, and how many there are.
    open_now: list[Shop] = field(default_factory=list)
    open_now_count: int = 0
    # When the opening states shown stop being true (None: not before the page cache expires anyway).
    valid_until: datetime | None = None


def space_home_content(space: Space, *, at: datetime) -> SpaceHome:
    """What a space's home page shows: trades and their shop counts, latest shops and products, open shops.

    Every published shop is read once as a plain row, with its coming closures, to tell which are open;
    only the shops shown become objects. Five queries whatever the number of shops.
    """
    rows = list(
        published_shops(space)
        .order_by("-updated_at", "pk")
        .values_list("pk", "town_id", "category_id", "opening_hours", "created_at")
    )
    zones = {town.pk: town.timezone for town in space.towns}
    closures = _closures_by_shop([pk for pk, _town, _category, hours, _created in rows if hours], at=at)
    states = {
        pk: opening_state(hours, zones[town_id], closures=closures.get(pk, ()), at=at)
        for pk, town_id, _category, hours, _created in rows
    }
    open_ids = [pk for pk, *_ in rows if states[pk].is_open]
    newest = sorted(rows, key=lambda row: (row[4], row[0]), reverse=True)[:FEATURED_SHOPS]
    shown_ids = [pk for pk, *_ in newest] + open_ids[:OPEN_NOW_SHOWN]
    shown = {shop.pk: shop for shop in published_shops(space).defer("description").filter(pk__in=shown_ids)}
    attach_towns(shown.values(), space)
    for shop in shown.values():
        shop.opening = states[shop.pk]  # type: ignore[attr-defined]
    counts = Counter(category_id for _pk, _town, category_id, _hours, _created in rows)
    categories = list(TradeCategory.objects.filter(pk__in=counts).order_by("position", "name"))
    for category in categories:
        category.shop_count = counts[category.pk]  # type: ignore[attr-defined]
    featured_products = list(
        Product.objects.in_space(space)
        .filter(is_visible=True, shop__status=ShopStatus.PUBLISHED)
        .select_related("shop")
        .order_by("-updated_at")[:FEATURED_PRODUCTS]
    )
    attach_towns([product.shop for product in featured_products], space)
    return SpaceHome(
        shop_count=len(rows),
        categories=categories,
        featured_shops=[shown[pk] for pk, *_ in newest],
        featured_products=featured_products,
        open_now=[shown[pk] for pk in open_ids[:OPEN_NOW_SHOWN]],
        open_now_count=len(open_ids),
        valid_until=first_change(states.values(), zones.values(), at=at) if rows else None,
    )


def shop_visible_products(shop: Shop) -> QuerySet[Product]:
    return Product.objects.for_town(shop.town).filter(shop=shop, is_visible=True).order_by("title")


def shop_opening_state(shop: Shop, *, at: datetime) -> OpeningState:
    """Open now, or when it opens, from the shop's hours, French holidays and its coming closures."""
    today = at.date()
    prefetched = getattr(shop, "upcoming_closures", None)
    # An empty prefetched list means "no closure", not "not prefetched".
    if prefetched is None:
        prefetched = shop.closures.filter(end_date__gte=today - timedelta(days=1))
    closures = [(closure.start_date, closure.end_date) for closure in prefetched]
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


# --- Public showcase pages: town home, directory, shop and product pages, sitemaps --------------------


def upcoming_closures_prefetch(*, at: datetime, lookup: str = "closures") -> Prefetch:
    """The closures not over yet, as `shop.upcoming_closures`: what `shop_opening_state` reads."""
    today = at.date()
    closures = ShopClosure.objects.filter(end_date__gte=today - timedelta(days=1)).order_by(
        "start_date", "pk"
    )
    return Prefetch(lookup, queryset=closures, to_attr="upcoming_closures")


def attach_towns(shops: Iterable[Shop], space: Space) -> None:
    """Give each shop its town from the space, so that no query or join fetches it again."""
    towns = {town.pk: town for town in space.towns}
    for shop in shops:
        if shop.town_id in towns:
            shop.town = towns[shop.town_id]


def _closures_by_shop(shop_ids: list[int], *, at: datetime) -> dict[int, list[tuple[date, date]]]:
    """The closures not over yet of these shops, as (start, end) date pairs, in one query."""
    today = at.date()
    closures: dict[int, list[tuple[date, date]]] = {}
    if not shop_ids:
        return closures
    rows = (
        ShopClosure.objects.filter(shop_id__in=shop_ids, end_date__gte=today - timedelta(days=1))
        .order_by("start_date", "pk")
        .values_list("shop_id", "start_date", "end_date")
    )
    for shop_id, start, end in rows:
        closures.setdefault(shop_id, []).append((start, end))
    return closures


def set_opening_states(shops: Iterable[Shop], *, at: datetime) -> datetime | None:
    """Set `shop.opening` on each shop; return when the first of these states (or its wording) changes."""
    shops = list(shops)
    for shop in shops:
        shop.opening = shop_opening_state(shop, at=at)  # type: ignore[attr-defined]
    states = [shop.opening for shop in shops]  # type: ignore[attr-defined]
    return first_change(states, [shop.town.timezone for shop in shops], at=at) if shops else None


@dataclass(frozen=True)
class DirectoryFilters:
    trade: str = ""  # a trade category's slug
    open_now: bool = False
    click_collect: bool = False
    accessible: bool = False

    @property
    def active(self) -> bool:
        return bool(self.trade or self.open_now or self.click_collect or self.accessible)


@dataclass(frozen=True)
class DirectoryPage:
    page: Page[Any]  # of Shop, each with its `opening`
    valid_until: datetime | None


def directory_trades(space: Space) -> list[TradeCategory]:
    """The trades that have at least one published shop in the space, for the directory's filter."""
    shops = published_shops(space).order_by().values("category_id")
    return list(TradeCategory.objects.filter(pk__in=shops).order_by("position", "name"))


def shop_directory(
    space: Space, filters: DirectoryFilters, *, page_number: str | int = 1, at: datetime
) -> DirectoryPage:
    """One page of the space's published shops by name, filtered, each with its `opening` state.

    "Open now" cannot be asked of the database: the filtered shops' states are computed first, then paged.
    Otherwise the database pages and only the page's shops get a state. A handful of queries either way.
    """
    shops = published_shops(space).defer("description").order_by("name", "pk")
    if filters.trade:
        shops = shops.filter(category__slug=filters.trade)
    if filters.click_collect:
        shops = shops.filter(offers_click_collect=True)
    if filters.accessible:
        shops = shops.filter(accessible_entrance=True)
    if filters.open_now:
        # States from plain rows; only the page's shops become objects.
        rows = list(shops.exclude(opening_hours="").values_list("pk", "town_id", "opening_hours"))
        zones = {town.pk: town.timezone for town in space.towns}
        closures = _closures_by_shop([pk for pk, _town, _hours in rows], at=at)
        states = {
            pk: opening_state(hours, zones[town_id], closures=closures.get(pk, ()), at=at)
            for pk, town_id, hours in rows
        }
        open_ids = [pk for pk, _town, _hours in rows if states[pk].is_open]
        page: Page[Any] = Paginator(open_ids, DIRECTORY_PAGE_SIZE).get_page(page_number)
        page_shops = list(shops.filter(pk__in=list(page.object_list)))
        attach_towns(page_shops, space)
        for shop in page_shops:
            shop.opening = states[shop.pk]  # type: ignore[attr-defined]
        page.object_list = page_shops
        valid_until = first_change(states.values(), zones.values(), at=at) if rows else None
        return DirectoryPage(page, valid_until)
    page = Paginator(shops, DIRECTORY_PAGE_SIZE).get_page(page_number)
    page_shops = list(page.object_list)
    prefetch_related_objects(page_shops, upcoming_closures_prefetch(at=at))
    attach_towns(page_shops, space)
    page.object_list = page_shops
    return DirectoryPage(page, set_opening_states(page_shops, at=at))


def week_hours(shop: Shop, *, at: datetime, days: int = WEEK_DAYS) -> list[DayHours]:
    """The shop's hours for the coming days in words, holidays and exceptional closures applied.

    Empty when the shop gave no hours or they cannot be read. Uses `shop.upcoming_closures` when prefetched.
    """
    if not shop.opening_hours:
        return []
    closures = getattr(shop, "upcoming_closures", None)
    if closures is None:
        closures = list(shop.closures.filter(end_date__gte=local_date(at, shop.town.timezone)))
    return days_ahead(
        shop.opening_hours,
        shop.town.timezone,
        closures=[Closure(c.start_date, c.end_date, c.label) for c in closures],
        at=at,
        days=days,
    )


def _earliest(*moments: datetime | None) -> datetime | None:
    return min((moment for moment in moments if moment is not None), default=None)


def _photo_prefetch() -> Prefetch:
    return Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "pk"), to_attr="photo_list")


@dataclass(frozen=True)
class ShopPage:
    shop: Shop
    photos: list[ShopPhoto]
    week: list[DayHours]
    closures: list[ShopClosure]  # exceptional closures not over yet
    products: Page[Product]
    ordering: OrderTaking
    valid_until: datetime | None


def shop_page(space: Space, slug: str, *, page_number: str | int = 1, at: datetime) -> ShopPage | None:
    """A published shop of the space with what its public page shows, or None; the same few queries
    whatever the number of products (one page of them, each with its photos)."""
    shop = (
        published_shops(space)
        .filter(slug=slug)
        # Whether to invite its merchant to claim it (shops/claims/_claim_invitation.html).
        .annotate(
            has_members=Exists(ShopMembership.objects.filter(shop=OuterRef("pk"))),
            handled=handled_by_someone(),
        )
        .prefetch_related(
            upcoming_closures_prefetch(at=at),
            Prefetch("photos", queryset=ShopPhoto.objects.order_by("position", "pk"), to_attr="photo_list"),
        )
        .first()
    )
    if shop is None:
        return None
    attach_towns([shop], space)
    ordering = order_taking(shop, handled=shop.handled, closures=shop.upcoming_closures, at=at)  # type: ignore[attr-defined]
    valid_until = _earliest(set_opening_states([shop], at=at), ordering.valid_until)
    today = local_date(at, shop.town.timezone)
    products = Paginator(shop_visible_products(shop), PRODUCTS_PAGE_SIZE).get_page(page_number)
    page_products = list(products.object_list)
    prefetch_related_objects(page_products, _photo_prefetch())
    for product in page_products:
        product.shop = shop
    products.object_list = page_products
    return ShopPage(
        shop=shop,
        photos=shop.photo_list,
        week=week_hours(shop, at=at),
        closures=[c for c in shop.upcoming_closures if c.end_date >= today],  # type: ignore[attr-defined]
        products=products,
        ordering=ordering,
        valid_until=valid_until,
    )


@dataclass(frozen=True)
class ProductPage:
    product: Product
    shop: Shop
    variants: list[ProductVariant]
    photos: list[ProductPhoto]
    related: list[Product]
    ordering: OrderTaking
    valid_until: datetime | None

    @property
    def lowest_price(self) -> Decimal:
        """The price to show first: the cheapest variant's when there are variants."""
        prices = [v.price if v.price is not None else self.product.price for v in self.variants]
        return min(prices, default=self.product.price)


def product_page(space: Space, shop_slug: str, product_slug: str, *, at: datetime) -> ProductPage | None:
    """A visible product of a published shop of the space, with its variants, photos and a few other
    products of the same shop (same category first); None when it is not public."""
    product = (
        Product.objects.in_space(space)
        .filter(slug=product_slug, is_visible=True, shop__slug=shop_slug, shop__status=ShopStatus.PUBLISHED)
        .select_related("shop__category", "category")
        .annotate(shop_handled=handled_by_someone("shop"))
        .prefetch_related(
            Prefetch(
                "variants", queryset=ProductVariant.objects.order_by("position", "pk"), to_attr="variant_list"
            ),
            _photo_prefetch(),
            upcoming_closures_prefetch(at=at, lookup="shop__closures"),
        )
        .first()
    )
    if product is None:
        return None
    shop = product.shop
    attach_towns([shop], space)
    ordering = order_taking(shop, handled=product.shop_handled, closures=shop.upcoming_closures, at=at)  # type: ignore[attr-defined]
    related_order: list[Any] = ["title", "pk"]
    if product.category_id is not None:
        same_category_first = Case(
            When(category_id=product.category_id, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        related_order.insert(0, same_category_first)
    related_products = list(
        Product.objects.for_town(shop.town)
        .filter(shop=shop, is_visible=True)
        .exclude(pk=product.pk)
        .order_by(*related_order)[:RELATED_PRODUCTS]
    )
    prefetch_related_objects(related_products, _photo_prefetch())
    for other in related_products:
        other.shop = shop
    return ProductPage(
        product=product,
        shop=shop,
        variants=product.variant_list,
        photos=product.photo_list,  # type: ignore[attr-defined]
        related=related_products,
        ordering=ordering,
        valid_until=_earliest(set_opening_states([shop], at=at), ordering.valid_until),
    )


def sitemap_shops(town: Town) -> QuerySet[Shop]:
    """The town's published shops, with only what a sitemap needs."""
    return (
        Shop.objects.for_town(town)
        .filter(status=ShopStatus.PUBLISHED)
        .only("slug", "updated_at", "town_id")
        .order_by("pk")
    )


def sitemap_products(town: Town) -> QuerySet[Product]:
    """The town's visible products of published shops, with only what a sitemap needs."""
    return (
        Product.objects.for_town(town)
        .filter(is_visible=True, shop__status=ShopStatus.PUBLISHED)
        .select_related("shop")
        .only("slug", "updated_at", "shop__slug")
        .order_by("pk")
    )
