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
