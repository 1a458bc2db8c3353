"""Reads of activity counts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import Sum

from .models import DailyCount, Metric


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
    `first_day` to `last_day`, in one grouped query; days without any are left out."""
    rows = (
        DailyCount.objects.filter(town_id=town_id, metric__in=list(metrics), day__range=(first_day, last_day))
        .values_list("metric", "day")
        .annotate(total=Sum("count"))
        .values_list("metric", "day", "total")
        .order_by()
    )
    return {(metric, day): total for metric, day, total in rows}


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
