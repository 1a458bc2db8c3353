"""Two years of platform activity for the demo towns, so that their dashboard, activity page and monthly
reports have something to show: page views of shops and products, QR scans, searches and those that found
nothing, merchants keeping their pages up to date; and the last three months' reports, kept.

Deterministic (each figure is drawn from a generator seeded by the town, the shop or product and the day)
and idempotent: a run adds only the rows that are missing, so running it again the same day adds nothing and
the next day adds that day. The towns and their shops are dated back to when the demo says they joined.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q

from centreville.activity.models import DailyCount, Metric, SearchWithoutResult
from centreville.activity.services import town_totals_add
from centreville.catalogue.models import Product
from centreville.observatory.report import Month
from centreville.observatory.services import monthly_report_make
from centreville.shops.models import Shop, ShopStatus
from centreville.towns.models import Town

DAYS = 730  # two years up to yesterday; today is counted live
REPORTED_MONTHS = 3
# What residents look for and the demo town centre lacks, with how often (normalised as the search keeps it).
MISSING = {
    "cordonnier": 9,
    "poissonnerie": 7,
    "magasin de jouets": 5,
    "reparation velo": 5,
    "horloger": 4,
    "mercerie": 3,
    "retouches couture": 3,
    "epicerie vrac": 2,
    "disquaire": 1,
}
WEEKDAY = [0.8, 0.9, 1.0, 0.95, 1.15, 1.45, 0.55]  # Monday to Sunday


def _rng(*parts: object) -> random.Random:
    return random.Random("/".join(str(part) for part in parts))


def _factor(day: date, first: date, days: int) -> float:
    """How busy the platform was on `day`: more with time (adoption), on Saturdays and before Christmas."""
    age = (day - first).days / days
    season = 1 + 0.2 * math.sin(2 * math.pi * (day.timetuple().tm_yday - 100) / 365)
    december = 1.35 if day.month == 12 and day.day <= 24 else 1.0
    return (0.45 + 0.55 * age) * season * december * WEEKDAY[day.weekday()]


def _backdate(town: Town, shops: list[Shop], *, first: date, days: int) -> None:
    """The town joined the platform on `first`; each shop some day between then and a month ago."""
    tz = ZoneInfo(town.timezone)
    joined = datetime.combine(first, time(9), tzinfo=tz)
    Town.objects.filter(pk=town.pk, created_at__gt=joined).update(created_at=joined)
    for shop in shops:
        after = _rng(town.slug, shop.slug, "joined").randint(0, days - 30)
        Shop.objects.filter(pk=shop.pk, created_at__gt=joined + timedelta(days=after)).update(
            created_at=joined + timedelta(days=after)
        )


def _counts(
    town: Town, shops: list[Shop], products: dict[int, list[Product]], *, first: date, days: int
) -> list[DailyCount]:
    """Every row of activity the demo wants from `first` to yesterday."""
    rows: list[DailyCount] = []
    tz = ZoneInfo(town.timezone)
    joined = {shop.pk: shop.created_at.astimezone(tz).date() for shop in shops}
    for offset in range(days):
        day = first + timedelta(days=offset)
        busy = _factor(day, first, days)
        rng = _rng(town.slug, day)
        searches = round(rng.uniform(25, 55) * busy)
        scans = round(rng.uniform(1, 6) * busy)
        rows += [
            DailyCount(town=town, day=day, metric=Metric.SEARCH, count=searches),
            DailyCount(town=town, day=day, metric=Metric.QR_SCAN, count=scans),
        ]
        for shop in shops:
            if joined[shop.pk] > day:
                continue
            rng = _rng(town.slug, shop.slug, day)
            popularity = _rng(town.slug, shop.slug).uniform(2, 22)
            views = round(popularity * busy * rng.uniform(0.6, 1.4))
            if views:
                rows.append(DailyCount(town=town, shop=shop, day=day, metric=Metric.SHOP_VIEW, count=views))
            if rng.random() < 0.15:
                rows.append(
                    DailyCount(town=town, shop=shop, day=day, metric=Metric.QR_SCAN, count=rng.randint(1, 3))
                )
            if rng.random() < 0.01 + 0.04 * popularity / 22:  # about two shops in three active each month
                rows.append(DailyCount(town=town, shop=shop, day=day, metric=Metric.MERCHANT_UPDATE, count=1))
            for product in products.get(shop.pk, []):
                product_views = round(popularity * busy * rng.uniform(0, 0.5))
                if product_views:
                    rows.append(
                        DailyCount(
                            town=town,
                            shop=shop,
                            product=product,
                            day=day,
                            metric=Metric.PRODUCT_VIEW,
                            count=product_views,
                        )
                    )
    return rows


def _unfound(town: Town, *, first: date, days: int) -> tuple[list[SearchWithoutResult], list[DailyCount]]:
    """The searches that found nothing each day, and their daily count."""
    searches, counts = [], []
    for offset in range(days):
        day = first + timedelta(days=offset)
        rng = _rng(town.slug, "unfound", day)
        total = 0
        for words, weight in MISSING.items():
            times = sum(1 for _ in range(3) if rng.random() < weight * _factor(day, first, days) / 40)
            if times:
                searches.append(SearchWithoutResult(town=town, day=day, query=words, count=times))
                total += times
        if total:
            counts.append(DailyCount(town=town, day=day, metric=Metric.SEARCH_NO_RESULT, count=total))
    return searches, counts


def demo_activity_load(
    towns: Iterable[Town], *, today: date, at: datetime, days: int = DAYS, reports: int = REPORTED_MONTHS
) -> int:
    """`days` of activity of each town up to yesterday (two years), and its last `reports` finished months'
    reports; the number of rows added."""
    first = today - timedelta(days=days)
    added = 0
    for town in towns:
        published = Shop.objects.for_town(town).filter(status=ShopStatus.PUBLISHED).order_by("pk")
        _backdate(town, list(published), first=first, days=days)
        town.refresh_from_db()
        shops = list(published.all())
        products: dict[int, list[Product]] = {}
        for product in Product.objects.for_town(town).filter(is_visible=True).order_by("shop_id", "pk"):
            if len(products.setdefault(product.shop_id, [])) < 2:
                products[product.shop_id].append(product)
        searches, unfound_counts = _unfound(town, first=first, days=days)
        wanted = _counts(town, shops, products, first=first, days=days) + unfound_counts
        window = Q(town=town, day__gte=first, day__lt=today)
        have = set(DailyCount.objects.filter(window).values_list("shop_id", "product_id", "day", "metric"))
        missing = [row for row in wanted if (row.shop_id, row.product_id, row.day, row.metric) not in have]
        totals: Counter[tuple[int, date, str]] = Counter()
        for row in missing:
            totals[town.pk, row.day, row.metric] += row.count
        with transaction.atomic():
            DailyCount.objects.bulk_create(missing, batch_size=2000)
            town_totals_add(totals)
        kept = set(SearchWithoutResult.objects.filter(window).values_list("day", "query"))
        new_searches = [row for row in searches if (row.day, row.query) not in kept]
        SearchWithoutResult.objects.bulk_create(new_searches, batch_size=2000)
        added += len(missing) + len(new_searches)
        month = Month.of(today)
        for _n in range(reports):
            month = month.previous()
            monthly_report_make(town=town, month=month, at=at)
    return added
