"""Reads about shops; every function takes the space (or town) explicitly."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)

from centreville.accounts.models import User
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from .hours import Closure, DayHours, OpeningState, days_ahead, first_change, local_date, opening_state
from .models import PaymentMethod, Shop, ShopClosure, ShopMembership, ShopPhoto, ShopStatus, TradeCategory
from .ordering import OrderTaking, handled_by_someone, order_taking

FEATURED_SHOPS = 12
OPEN_NOW_SHOWN = 8
DIRECTORY_PAGE_SIZE = 24
WEEK_DAYS = 7


def published_shops(space: Space) -> QuerySet[Shop]:
    return Shop.objects.in_space(space).filter(status=ShopStatus.PUBLISHED).select_related("category")


@dataclass(frozen=True)
class SpaceHome:
    shop_count: int
    categories: Sequence[TradeCategory]
    # What the home leads with: the town team's choice (showcase.featured) first, then a selection of its own
    # (its products: `catalogue.selectors.home_products`).
    featured_shops: list[Shop]  # each with its `opening` and `photo_list`
    # Shops open at the time of the page, the most recently updated first, and how many there are.
    open_now: list[Shop] = field(default_factory=list)
    open_now_count: int = 0
    # When the opening states shown stop being true (None: not before the page cache expires anyway).
    valid_until: datetime | None = None


@dataclass(frozen=True)
class SelectionCandidate:
    """A shop or product the home may lead with, and what ranks it."""

    pk: int
    trade: int  # trade category: the home varies them
    with_photo: bool
    completeness: int  # what else the visitor finds on its page (hours, description…), more first
    owner: int = 0  # a product's shop: two products of one shop come after one of each


def _daily_rank(pk: int, day: date) -> int:
    """A stable shuffle that changes every day, so that equally good shops take turns at the top."""
    return hash((day.toordinal(), pk))  # integers hash the same in every process


def varied_selection(candidates: Iterable[SelectionCandidate], *, limit: int, day: date) -> list[int]:
    """Up to `limit` primary keys: those with a photo first, then the most complete, spread across trades
    (and across shops for products) rather than several of one kind in a row."""
    remaining = sorted(candidates, key=lambda c: (not c.with_photo, -c.completeness, _daily_rank(c.pk, day)))
    picked: list[int] = []
    per_trade: Counter[int] = Counter()
    per_owner: Counter[int] = Counter()
    while remaining and len(picked) < limit:
        best = min(
            range(len(remaining)),
            key=lambda n: (
                not remaining[n].with_photo,
                per_trade[remaining[n].trade],
                per_owner[remaining[n].owner] if remaining[n].owner else 0,
                n,
            ),
        )
        chosen = remaining.pop(best)
        picked.append(chosen.pk)
        per_trade[chosen.trade] += 1
        if chosen.owner:
            per_owner[chosen.owner] += 1
    return picked


def home_day(space: Space, *, at: datetime) -> date:
    """The day the home's selections take turns by: the space's first town's."""
    return local_date(at, space.towns[0].timezone)


def shop_photos_prefetch() -> Prefetch:
    return Prefetch("photos", queryset=ShopPhoto.objects.order_by("position", "pk"), to_attr="photo_list")


def space_home_content(space: Space, *, at: datetime) -> SpaceHome:
    """What a space's home page shows of its shops: the ones it leads with, open shops, trades.

    The town team's choice (showcase.featured) comes first; the home completes it with shops that have a
    photo, the most complete first, varied across trades (taking turns day by day). Every published shop
    is read once as a plain row, with its coming closures, to tell which are open; only the shops shown
    become objects. About ten queries whatever the number of shops.
    """
    from centreville.towns.models import FeaturedShop

    rows = list(
        published_shops(space)
        .order_by("-updated_at", "pk")
        .annotate(
            with_photo=Exists(ShopPhoto.objects.filter(shop=OuterRef("pk"))),
            with_description=~Q(description=""),
            chosen_at=Subquery(
                FeaturedShop.objects.filter(shop=OuterRef("pk"), town=OuterRef("town")).values("position")[:1]
            ),
        )
        .values_list(
            "pk", "town_id", "category_id", "opening_hours", "with_photo", "with_description", "chosen_at"
        )
    )
    states, valid_until = _opening_states(
        space, [(pk, town_id, hours) for pk, town_id, _category, hours, *_rest in rows], at=at
    )
    open_ids = [pk for pk, *_ in rows if states[pk].is_open]
    chosen = [
        pk for pk, *_ in sorted((row for row in rows if row[6] is not None), key=lambda row: (row[6], row[1]))
    ][:FEATURED_SHOPS]
    day = home_day(space, at=at)
    candidates = [
        SelectionCandidate(pk, category, bool(photo), 2 * bool(hours) + bool(description))
        for pk, _town, category, hours, photo, description, _chosen in rows
        if pk not in chosen
    ]
    featured_ids = chosen + varied_selection(candidates, limit=FEATURED_SHOPS - len(chosen), day=day)
    shown_ids = featured_ids + open_ids[:OPEN_NOW_SHOWN]
    shown = {
        shop.pk: shop
        for shop in published_shops(space)
        .defer("description")
        .filter(pk__in=shown_ids)
        .prefetch_related(shop_photos_prefetch())
    }
    attach_towns(shown.values(), space)
    for shop in shown.values():
        shop.opening = states[shop.pk]  # type: ignore[attr-defined]
    counts = Counter(category_id for _pk, _town, category_id, *_rest in rows)
    categories = list(TradeCategory.objects.filter(pk__in=counts).order_by("position", "name"))
    for category in categories:
        category.shop_count = counts[category.pk]  # type: ignore[attr-defined]
    return SpaceHome(
        shop_count=len(rows),
        categories=categories,
        featured_shops=[shown[pk] for pk in featured_ids],
        open_now=[shown[pk] for pk in open_ids[:OPEN_NOW_SHOWN]],
        open_now_count=len(open_ids),
        valid_until=valid_until,
    )


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


def town_shop(town: Town, shop_id: int) -> Shop | None:
    """A shop of `town` by id, whatever its status; None for another town's."""
    return Shop.objects.for_town(town).filter(pk=shop_id).first()


def town_shop_by_slug(town: Town, slug: str) -> Shop | None:
    """A shop of `town` by its address, whatever its status; None for another town's."""
    return Shop.objects.for_town(town).filter(slug=slug).select_related("town").first()


def shop_closure(shop: Shop, closure_id: int) -> ShopClosure | None:
    """One exceptional closure of this shop (never another shop's, whatever the address says)."""
    return ShopClosure.objects.filter(shop=shop, pk=closure_id).select_related("shop").first()


def shop_status_counts(town: Town) -> dict[str, int]:
    counts = dict(
        Shop.objects.for_town(town).values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return {value: counts.get(value, 0) for value in ShopStatus.values}


# --- Public showcase pages: town home, directory, shop pages, sitemaps --------------------------------


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


def _opening_states(
    space: Space, shops: Sequence[tuple[int, int, str]], *, at: datetime
) -> tuple[dict[int, OpeningState], datetime | None]:
    """The opening state of each shop of `space` given as a plain row (pk, town id, hours), its closures
    read in one query, and when the first of these states (or its wording) changes."""
    zones = {town.pk: town.timezone for town in space.towns}
    closures = _closures_by_shop([pk for pk, _town, hours in shops if hours], at=at)
    states = {
        pk: opening_state(hours, zones[town_id], closures=closures.get(pk, ()), at=at)
        for pk, town_id, hours in shops
    }
    return states, first_change(states.values(), zones.values(), at=at) if states else None


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


def _directory_shops(space: Space, filters: DirectoryFilters) -> QuerySet[Shop]:
    """The space's published shops that pass the filters a database can apply (all but "open now")."""
    shops = published_shops(space)
    if filters.trade:
        shops = shops.filter(category__slug=filters.trade)
    if filters.click_collect:
        shops = shops.filter(offers_click_collect=True)
    if filters.accessible:
        shops = shops.filter(accessible_entrance=True)
    return shops


def shop_directory(
    space: Space, filters: DirectoryFilters, *, page_number: str | int = 1, at: datetime
) -> DirectoryPage:
    """One page of the space's published shops by name, filtered, each with its `opening` state and photos.

    "Open now" cannot be asked of the database: the filtered shops' states are computed first, then paged.
    Otherwise the database pages and only the page's shops get a state. A handful of queries either way.
    """
    shops = _directory_shops(space, filters).defer("description").order_by("name", "pk")
    if filters.open_now:
        # States from plain rows; only the page's shops become objects.
        rows = list(shops.exclude(opening_hours="").values_list("pk", "town_id", "opening_hours"))
        states, valid_until = _opening_states(space, rows, at=at)
        open_ids = [pk for pk, _town, _hours in rows if states[pk].is_open]
        page: Page[Any] = Paginator(open_ids, DIRECTORY_PAGE_SIZE).get_page(page_number)
        page_shops = list(
            shops.filter(pk__in=list(page.object_list)).prefetch_related(shop_photos_prefetch())
        )
        attach_towns(page_shops, space)
        for shop in page_shops:
            shop.opening = states[shop.pk]  # type: ignore[attr-defined]
        page.object_list = page_shops
        return DirectoryPage(page, valid_until)
    page = Paginator(shops, DIRECTORY_PAGE_SIZE).get_page(page_number)
    page_shops = list(page.object_list)
    prefetch_related_objects(page_shops, upcoming_closures_prefetch(at=at), shop_photos_prefetch())
    attach_towns(page_shops, space)
    page.object_list = page_shops
    return DirectoryPage(page, set_opening_states(page_shops, at=at))


@dataclass(frozen=True)
class MapPoint:
    name: str
    town_slug: str
    slug: str
    latitude: float
    longitude: float
    trade: str  # in the page's language
    state: str  # the opening state in words


@dataclass(frozen=True)
class DirectoryMap:
    points: list[MapPoint]
    valid_until: datetime | None


def directory_map(space: Space, filters: DirectoryFilters, *, at: datetime) -> DirectoryMap:
    """Every shop the directory's filters let through that has a position, whatever the page: light rows,
    each with its opening state in words. Three queries whatever the number of shops."""
    rows = list(
        _directory_shops(space, filters)
        .exclude(latitude=None)
        .exclude(longitude=None)
        .order_by("name", "pk")
        .values_list("pk", "town_id", "name", "slug", "latitude", "longitude", "category_id", "opening_hours")
    )
    states, valid_until = _opening_states(
        space, [(pk, town_id, hours) for pk, town_id, *_rest, hours in rows], at=at
    )
    if filters.open_now:
        rows = [row for row in rows if states[row[0]].is_open]
    trades = {
        category.pk: category.display_name
        for category in TradeCategory.objects.filter(pk__in={row[6] for row in rows}).only("name")
    }
    slugs = {town.pk: town.slug for town in space.towns}
    points = [
        MapPoint(
            name, slugs[town_id], slug, float(lat or 0), float(lng or 0), trades[category], states[pk].label
        )
        for pk, town_id, name, slug, lat, lng, category, _hours in rows
    ]
    return DirectoryMap(points, valid_until)


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


def earliest(*moments: datetime | None) -> datetime | None:
    """The first of these moments that is given, if any."""
    return min((moment for moment in moments if moment is not None), default=None)


def payment_method_labels(shop: Shop) -> list[str]:
    """The payment methods the shop takes, in words."""
    return [str(PaymentMethod(code).label) for code in shop.payment_methods if code in PaymentMethod.values]


def osm_link(shop: Shop) -> str:
    """The shop on OpenStreetMap's site: a plain link, so nothing loads from there unless followed."""
    if shop.latitude is None or shop.longitude is None:
        return ""
    lat, lon = shop.latitude, shop.longitude
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"


@dataclass(frozen=True)
class ShopPage:
    """What a shop's public page shows of the shop (its products: `catalogue.selectors`)."""

    shop: Shop
    photos: list[ShopPhoto]
    week: list[DayHours]
    closures: list[ShopClosure]  # exceptional closures not over yet
    ordering: OrderTaking
    payment_methods: list[str]
    osm_link: str  # "" when the shop has no position
    valid_until: datetime | None


def shop_page(space: Space, slug: str, *, at: datetime) -> ShopPage | None:
    """A published shop of the space with what its public page shows of it, or None; a few queries."""
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
            shop_photos_prefetch(),
        )
        .first()
    )
    if shop is None:
        return None
    attach_towns([shop], space)
    ordering = order_taking(shop, handled=shop.handled, closures=shop.upcoming_closures, at=at)  # type: ignore[attr-defined]
    shop.order_taking = ordering  # type: ignore[attr-defined]
    valid_until = earliest(set_opening_states([shop], at=at), ordering.valid_until)
    today = local_date(at, shop.town.timezone)
    return ShopPage(
        shop=shop,
        photos=shop.photo_list,  # type: ignore[attr-defined]
        week=week_hours(shop, at=at),
        closures=[c for c in shop.upcoming_closures if c.end_date >= today],  # type: ignore[attr-defined]
        ordering=ordering,
        payment_methods=payment_method_labels(shop),
        osm_link=osm_link(shop),
        valid_until=valid_until,
    )


def sitemap_shops(town: Town) -> QuerySet[Shop]:
    """The town's published shops, with only what a sitemap needs."""
    return (
        Shop.objects.for_town(town)
        .filter(status=ShopStatus.PUBLISHED)
        .only("slug", "updated_at", "town_id")
        .order_by("pk")
    )


# --- People ----------------------------------------------------------------------------------------------


def shops_run_by(user: User) -> list[Shop]:
    """The shops a person runs (is a member of), with their town, by name."""
    return list(Shop.objects.filter(memberships__user=user).select_related("town").order_by("name"))


def member_shops_export(user: User) -> list[dict[str, object]]:
    """The shops a person runs, for the export of their personal data."""
    return [{"ville": shop.town.name, "commerce": shop.name} for shop in shops_run_by(user)]
