"""Reads of activity counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Max, Q, Sum

from .models import DailyCount, Metric, SearchWithoutResult, TownDailyTotal


def shop_visits_by_day(shop_id: int, *, last_day: date, days: int = 7) -> list[tuple[date, int]]:
    """Page views of a shop (its own page and its products') for each of the `days` days up to `last_day`."""
    return shops_visits_by_day([shop_id], last_day=last_day, days=days)[shop_id]


def shops_visits_by_day(
    shop_ids: Iterable[int], *, last_day: date, days: int = 7
) -> dict[int, list[tuple[date, int]]]:
    """`shop_visits_by_day` of several shops in one query, by shop id."""
    shop_ids = list(shop_ids)
    first_day = last_day - timedelta(days=days - 1)
    totals: dict[tuple[int, date], int] = {}
    if shop_ids:
        rows = (
            DailyCount.objects.filter(
                shop_id__in=shop_ids,
                day__range=(first_day, last_day),
                metric__in=[Metric.SHOP_VIEW, Metric.PRODUCT_VIEW],
            )
            .values_list("shop_id", "day")
            .annotate(total=Sum("count"))
            .values_list("shop_id", "day", "total")
        )
        totals = {(shop_id, day): total for shop_id, day, total in rows}
    week = [first_day + timedelta(days=n) for n in range(days)]
    return {shop_id: [(day, totals.get((shop_id, day), 0)) for day in week] for shop_id in shop_ids}


def town_counts_by_day(
    town_id: int, metrics: Iterable[str], *, first_day: date, last_day: date
) -> dict[tuple[str, date], int]:
    """How many times each metric happened in the town (its own counts and its shops') on each day from
    `first_day` to `last_day`, from its day totals in one query; days without any are left out."""
    rows = TownDailyTotal.objects.filter(
        town_id=town_id, metric__in=list(metrics), day__range=(first_day, last_day)
    ).values_list("metric", "day", "count")
    return {(metric, day): count for metric, day, count in rows}


def shops_counted(town_id: int, metric: str, *, first_day: date, last_day: date) -> dict[int, set[date]]:
    """The days each shop of the town counted `metric`, from `first_day` to `last_day`, in one query."""
    rows = (
        DailyCount.objects.filter(
            town_id=town_id, metric=metric, shop__isnull=False, day__range=(first_day, last_day)
        )
        .values_list("shop_id", "day")
        .order_by()
        .distinct()
    )
    days: dict[int, set[date]] = {}
    for shop_id, day in rows:
        days.setdefault(shop_id, set()).add(day)
    return days


@dataclass(frozen=True)
class ShopViews:
    shop_id: int
    shop_page: int  # views of the shop's own page
    product_pages: int  # views of its products' pages

    @property
    def total(self) -> int:
        return self.shop_page + self.product_pages


def shops_most_viewed(town_id: int, *, first_day: date, last_day: date, limit: int = 10) -> list[ShopViews]:
    """The town's shops whose pages (their own and their products') were viewed most from `first_day` to
    `last_day`, most viewed first (then by id), in one grouped query."""
    rows = (
        DailyCount.objects.filter(
            town_id=town_id,
            shop__isnull=False,
            metric__in=[Metric.SHOP_VIEW, Metric.PRODUCT_VIEW],
            day__range=(first_day, last_day),
        )
        .values("shop_id")
        .annotate(
            shop_page=Sum("count", filter=Q(metric=Metric.SHOP_VIEW), default=0),
            product_pages=Sum("count", filter=Q(metric=Metric.PRODUCT_VIEW), default=0),
            total=Sum("count"),
        )
        .order_by("-total", "shop_id")[:limit]
    )
    return [ShopViews(row["shop_id"], row["shop_page"], row["product_pages"]) for row in rows]


@dataclass(frozen=True)
class ProductViews:
    product_id: int
    shop_id: int
    views: int


def products_most_viewed(
    town_id: int, *, first_day: date, last_day: date, limit: int = 10
) -> list[ProductViews]:
    """The town's products whose pages were viewed most from `first_day` to `last_day`, most viewed first
    (then by id), in one grouped query. Views counted before products were counted one by one are left out."""
    rows = (
        DailyCount.objects.filter(
            town_id=town_id,
            product__isnull=False,
            metric=Metric.PRODUCT_VIEW,
            day__range=(first_day, last_day),
        )
        .values("product_id", "shop_id")
        .annotate(views=Sum("count"))
        .order_by("-views", "product_id")[:limit]
    )
    return [ProductViews(row["product_id"], row["shop_id"], row["views"]) for row in rows]


def shops_most_counted(
    town_id: int, metric: str, *, first_day: date, last_day: date, limit: int = 10
) -> list[tuple[int, int]]:
    """(shop id, count) of the town's shops that counted `metric` most from `first_day` to `last_day`,
    highest first (then by id), in one grouped query."""
    rows = (
        DailyCount.objects.filter(
            town_id=town_id, shop__isnull=False, metric=metric, day__range=(first_day, last_day)
        )
        .values("shop_id")
        .annotate(total=Sum("count"))
        .order_by("-total", "shop_id")[:limit]
    )
    return [(row["shop_id"], row["total"]) for row in rows]


@dataclass(frozen=True)
class UnfoundSearch:
    words: str
    times: int
    last_day: date


def searches_without_result(
    town_id: int, *, first_day: date, last_day: date, limit: int | None = None
) -> list[UnfoundSearch]:
    """What was searched for in the town without finding anything, from `first_day` to `last_day`: each
    search's words, how many times, the last day; most searched first, then the most recent, in one query."""
    rows = (
        SearchWithoutResult.objects.filter(town_id=town_id, day__range=(first_day, last_day))
        .values("query")
        .annotate(times=Sum("count"), last_day=Max("day"))
        .order_by("-times", "-last_day", "query")
    )
    if limit is not None:
        rows = rows[:limit]
    return [UnfoundSearch(row["query"], row["times"], row["last_day"]) for row in rows]
