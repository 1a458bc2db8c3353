"""Counting platform activity per day, buffered in memory so that a page view costs no database write.

Each server process adds up its counts and writes them in one batch every ACTIVITY_FLUSH_SECONDS (or
after ACTIVITY_FLUSH_EVENTS events). A process that dies loses at most that much counting, never
anyone's data. Nothing about the visitor is recorded: only what was seen, and on which day.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import date
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from .models import DailyCount

# (metric, town id, shop slug or "") → count, waiting to be written.
_pending: Counter[tuple[str, int, str]] = Counter()
_lock = threading.Lock()
_last_flush = time.monotonic()


def record(metric: str, *, town_id: int, shop_slug: str | None = None) -> None:
    """Count one event of today for a town, or for one of its shops (named by its slug)."""
    global _last_flush
    with _lock:
        _pending[(metric, town_id, shop_slug or "")] += 1
        due = (
            sum(_pending.values()) >= settings.ACTIVITY_FLUSH_EVENTS
            or time.monotonic() - _last_flush >= settings.ACTIVITY_FLUSH_SECONDS
        )
        if not due:
            return
        batch = dict(_pending)
        _pending.clear()
        _last_flush = time.monotonic()
    write_counts(batch, day=timezone.localdate())


def flush() -> None:
    """Write whatever this process has counted so far."""
    global _last_flush
    with _lock:
        batch = dict(_pending)
        _pending.clear()
        _last_flush = time.monotonic()
    write_counts(batch, day=timezone.localdate())


def write_counts(batch: dict[tuple[str, int, str], int], *, day: date) -> None:
    """Add counts to the day's rows in one transaction, creating rows as needed (one upsert per row)."""
    if not batch:
        return
    slugs_by_town: dict[int, set[str]] = {}
    for _metric, town_id, slug in batch:
        if slug:
            slugs_by_town.setdefault(town_id, set()).add(slug)
    shop_ids: dict[tuple[int, str], int] = {}
    if slugs_by_town:
        # One query whatever the number of towns in the batch. Shops are reached through the counts' own
        # foreign key: shops sit above activity and are not imported here.
        shops = DailyCount.shop.get_queryset()
        named = reduce(or_, (Q(town_id=town_id, slug__in=slugs) for town_id, slugs in slugs_by_town.items()))
        for shop_id, town_id, slug in shops.filter(named).values_list("pk", "town_id", "slug"):
            shop_ids[(town_id, slug)] = shop_id
    table = DailyCount._meta.db_table
    upsert_shop = (
        f"INSERT INTO {table} (town_id, shop_id, day, metric, count) VALUES (%s, %s, %s, %s, %s) "
        f"ON CONFLICT (shop_id, day, metric) WHERE shop_id IS NOT NULL "
        f"DO UPDATE SET count = {table}.count + excluded.count"
    )
    upsert_town = (
        f"INSERT INTO {table} (town_id, shop_id, day, metric, count) VALUES (%s, NULL, %s, %s, %s) "
        f"ON CONFLICT (town_id, day, metric) WHERE shop_id IS NULL "
        f"DO UPDATE SET count = {table}.count + excluded.count"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        for (metric, town_id, slug), count in batch.items():
            if not slug:
                cursor.execute(upsert_town, [town_id, day, metric, count])
            elif (town_id, slug) in shop_ids:
                cursor.execute(upsert_shop, [town_id, shop_ids[(town_id, slug)], day, metric, count])
            # else: the page of a shop that no longer exists; nothing to count it against.
