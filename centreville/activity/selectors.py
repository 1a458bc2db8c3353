"""Reads of activity counts."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Sum

from .models import DailyCount, Metric


def shop_visits_by_day(shop_id: int, *, last_day: date, days: int = 7) -> list[tuple[date, int]]:
    """Page views of a shop (its own page and its products') for each of the `days` days up to `last_day`."""
    first_day = last_day - timedelta(days=days - 1)
    rows = dict(
        DailyCount.objects.filter(
            shop_id=shop_id,
            day__range=(first_day, last_day),
            metric__in=[Metric.SHOP_VIEW, Metric.PRODUCT_VIEW],
        )
        .values_list("day")
        .annotate(total=Sum("count"))
        .values_list("day", "total")
    )
    return [(first_day + timedelta(days=n), rows.get(first_day + timedelta(days=n), 0)) for n in range(days)]
