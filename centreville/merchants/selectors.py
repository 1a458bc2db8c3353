"""Reads for the merchant back-office; every function takes the town explicitly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from centreville.activity.selectors import shops_visits_by_day
from centreville.catalogue.models import Product
from centreville.orders.models import Order, OrderStatus
from centreville.shops.models import Shop, ShopClosure, ShopPhoto, ShopStatus
from centreville.shops.services import TRANSITIONS
from centreville.towns.models import Town

# The moves a merchant makes from the back-office; validation and closing belong to the manager's pages.
MERCHANT_MOVES = (ShopStatus.SUBMITTED, ShopStatus.HIDDEN, ShopStatus.PUBLISHED)
VISIT_DAYS = 7


def _count(queryset: QuerySet[Any], **filters: Any) -> Coalesce:
    """How many rows of `queryset` point at the outer shop, as a subquery (no join fan-out)."""
    counted = (
        queryset.filter(shop=OuterRef("pk"), **filters)
        .order_by()
        .values("shop")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def merchant_shops(user: Any, town: Town) -> QuerySet[Shop]:
    """The shops of `town` that `user` runs, with their product and photo counts."""
    return (
        Shop.objects.for_town(town)
        .filter(memberships__user=user)
        .select_related("category", "town")
        .annotate(
            product_count=_count(Product.objects.all()),
            visible_product_count=_count(Product.objects.all(), is_visible=True),
            photo_count=_count(ShopPhoto.objects.all()),
        )
        .order_by("name", "pk")
    )


def merchant_moves(user: Any, shop: Shop) -> list[str]:
    """The statuses `user` may move `shop` to from the back-office, per the shop workflow."""
    return [
        to_status
        for (from_status, to_status), transition in TRANSITIONS.items()
        if from_status == shop.status
        and to_status in MERCHANT_MOVES
        and transition.permission == "shops.change_shop"
        and user.has_perm(transition.permission, shop)
    ]


@dataclass(frozen=True)
class DayVisits:
    day: date
    count: int
    percent: int  # of the busiest day of the week, for the bar's length


@dataclass(frozen=True)
class ShopOverview:
    shop: Shop
    visits: list[DayVisits]
    visits_total: int
    next_steps: list[str]
    moves: list[str]
    waiting_orders: int = 0  # placed, waiting for the merchant to accept or refuse them


def next_steps(shop: Any) -> list[str]:
    """What the merchant should do next, most useful first (codes the template words)."""
    steps = []
    if shop.status == ShopStatus.REJECTED:
        steps.append("fix_rejection")
    if not shop.description:
        steps.append("add_description")
    if not shop.opening_hours:
        steps.append("add_hours")
    if getattr(shop, "photo_count", 1) == 0:
        steps.append("add_photos")
    if getattr(shop, "product_count", 1) == 0:
        steps.append("add_products")
    by_status = {
        ShopStatus.DRAFT: "submit",
        ShopStatus.REJECTED: "resubmit",
        ShopStatus.SUBMITTED: "wait",
        ShopStatus.HIDDEN: "unhide",
        ShopStatus.CLOSED: "closed",
    }
    if shop.status in by_status:
        steps.append(by_status[shop.status])
    elif not steps:
        steps.append("all_good")
    return steps


def merchant_home(user: Any, town: Town, *, today: date) -> list[ShopOverview]:
    """Each shop `user` runs in `town`, with its week of visits and what to do next."""
    overviews = []
    shops = list(merchant_shops(user, town))
    waiting = waiting_orders_by_shop(town, [shop.pk for shop in shops])
    visits_by_shop = shops_visits_by_day([shop.pk for shop in shops], last_day=today, days=VISIT_DAYS)
    for shop in shops:
        days = visits_by_shop[shop.pk]
        busiest = max((count for _day, count in days), default=0)
        visits = [
            # A day with a few visits still shows a sliver beside the busiest.
            DayVisits(day=day, count=count, percent=max(1, round(100 * count / busiest)) if count else 0)
            for day, count in days
        ]
        steps = next_steps(shop)
        if waiting.get(shop.pk):  # an order waiting for an answer comes before anything else
            steps = ["answer_orders", *(step for step in steps if step != "all_good")]
        overviews.append(
            ShopOverview(
                shop=shop,
                visits=visits,
                visits_total=sum(visit.count for visit in visits),
                next_steps=steps,
                moves=merchant_moves(user, shop),
                waiting_orders=waiting.get(shop.pk, 0),
            )
        )
    return overviews


def waiting_orders_by_shop(town: Town, shop_ids: list[int]) -> dict[int, int]:
    """How many orders of each of these shops wait for the merchant to accept or refuse them; one query."""
    rows = (
        Order.objects.for_town(town)
        .filter(shop_id__in=shop_ids, status=OrderStatus.PLACED)
        .order_by()
        .values("shop_id")
        .annotate(n=Count("pk"))
    )
    return {row["shop_id"]: row["n"] for row in rows}


def upcoming_closures(shop: Shop, *, today: date) -> QuerySet[ShopClosure]:
    """The shop's exceptional closures that are not over."""
    return ShopClosure.objects.filter(shop=shop, shop__town=shop.town_id, end_date__gte=today).order_by(
        "start_date", "pk"
    )


def shop_product_counts(shop: Shop) -> dict[str, int]:
    return (
        Product.objects.for_town(shop.town)
        .filter(shop=shop)
        .aggregate(total=Count("pk"), visible=Count("pk", filter=Q(is_visible=True)))
    )
