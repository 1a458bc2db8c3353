"""Counting platform activity per day, buffered in memory so that a page view costs no database write.

Each server process adds up its counts and writes them in one batch every ACTIVITY_FLUSH_SECONDS (or
after ACTIVITY_FLUSH_EVENTS events). A process that dies loses at most that much counting, never
anyone's data. Nothing about the visitor is recorded: only what was seen or searched for, and on which day.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Mapping
from datetime import date
from functools import reduce
from operator import or_
from typing import NamedTuple, TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from .models import DailyCount, Metric, SearchWithoutResult, TownDailyTotal


class CountKey(NamedTuple):
    """What one count is about: a town's page, a shop's (by slug) or one of its products' (by slug)."""

    metric: str
    town_id: int
    shop_slug: str = ""
    product_slug: str = ""


# Counts waiting to be written: by CountKey, and the words of searches without result by (town id, words).
_pending: Counter[CountKey] = Counter()
_unfound: Counter[tuple[int, str]] = Counter()
_lock = threading.Lock()
_last_flush = time.monotonic()

# Words that could name someone or reach them: an e-mail address, a telephone or card number.
_PERSONAL = re.compile(r"@|\d(?:[\s.\-]?\d){5,}")


def record(
    metric: str, *, town_id: int, shop_slug: str | None = None, product_slug: str | None = None
) -> None:
    """Count one event of today for a town, one of its shops or one of that shop's products (by slugs)."""
    with _lock:
        _pending[CountKey(metric, town_id, shop_slug or "", (shop_slug and product_slug) or "")] += 1
    _flush_if_due()


def search_words_kept(words: str) -> str:
    """The words of a search as kept: spaces collapsed, at most MAX_QUERY_CHARS characters (cut between
    words), nothing if they look like an e-mail address or a telephone number."""
    words = " ".join(words.split())
    if _PERSONAL.search(words):
        return ""
    limit = SearchWithoutResult.MAX_QUERY_CHARS
    if len(words) > limit:
        cut = words[:limit]
        if words[limit] != " " and " " in cut:
            cut = cut.rsplit(" ", 1)[0]  # not in the middle of a word
        words = cut.rstrip()
    return words


def record_search_without_result(*, town_id: int, words: str) -> None:
    """Count a search of today that found nothing in the town, and keep its (normalised) words.

    Empty words count nothing; words that could be personal are counted without being kept.
    """
    if not words.strip():
        return
    kept = search_words_kept(words)
    with _lock:
        _pending[CountKey(Metric.SEARCH_NO_RESULT, town_id)] += 1
        if kept:
            _unfound[(town_id, kept)] += 1
    _flush_if_due()


def _flush_if_due() -> None:
    global _last_flush
    with _lock:
        due = (
            sum(_pending.values()) + sum(_unfound.values()) >= settings.ACTIVITY_FLUSH_EVENTS
            or time.monotonic() - _last_flush >= settings.ACTIVITY_FLUSH_SECONDS
        )
        if not due:
            return
        batch, unfound = dict(_pending), dict(_unfound)
        _pending.clear()
        _unfound.clear()
        _last_flush = time.monotonic()
    _write(batch, unfound, day=timezone.localdate())


def flush() -> None:
    """Write whatever this process has counted so far."""
    global _last_flush
    with _lock:
        batch, unfound = dict(_pending), dict(_unfound)
        _pending.clear()
        _unfound.clear()
        _last_flush = time.monotonic()
    _write(batch, unfound, day=timezone.localdate())


def _write(batch: dict[CountKey, int], unfound: dict[tuple[int, str], int], *, day: date) -> None:
    if batch:
        write_counts(batch, day=day)
    if unfound:
        write_searches_without_result(unfound, day=day)


def _shop_ids(keys: list[CountKey]) -> dict[tuple[int, str], int]:
    """The ids of the shops the keys name, by (town id, slug), in one query whatever the number of towns.
    Shops are reached through the counts' own foreign key: shops sit above activity and are not imported."""
    slugs_by_town: dict[int, set[str]] = {}
    for key in keys:
        if key.shop_slug:
            slugs_by_town.setdefault(key.town_id, set()).add(key.shop_slug)
    if not slugs_by_town:
        return {}
    named = reduce(or_, (Q(town_id=town_id, slug__in=slugs) for town_id, slugs in slugs_by_town.items()))
    shops = DailyCount.shop.get_queryset().filter(named)
    return {(town_id, slug): pk for pk, town_id, slug in shops.values_list("pk", "town_id", "slug")}


def _product_ids(keys: list[CountKey], shop_ids: Mapping[tuple[int, str], int]) -> dict[tuple[int, str], int]:
    """The ids of the products the keys name, by (shop id, slug), in one query (none if no key names one)."""
    slugs_by_shop: dict[int, set[str]] = {}
    for key in keys:
        shop_id = shop_ids.get((key.town_id, key.shop_slug))
        if key.product_slug and shop_id is not None:
            slugs_by_shop.setdefault(shop_id, set()).add(key.product_slug)
    if not slugs_by_shop:
        return {}
    named = reduce(or_, (Q(shop_id=shop_id, slug__in=slugs) for shop_id, slugs in slugs_by_shop.items()))
    products = DailyCount.product.get_queryset().filter(named)
    return {(shop_id, slug): pk for pk, shop_id, slug in products.values_list("pk", "shop_id", "slug")}


# A key of write_counts(): a CountKey, or a plain (metric, town id, shop slug) triple.
_Key = TypeVar("_Key", CountKey, tuple[str, int, str])


class UpsertRows(NamedTuple):
    """The rows of a batch for each of the three upserts, each list in the order of the batch's keys."""

    town: list[tuple[int, date, str, int]]
    shop: list[tuple[int, int, date, str, int]]
    product: list[tuple[int, int, int, date, str, int]]


def upsert_rows(
    counts: Mapping[CountKey, int], *, day: date
) -> tuple[UpsertRows, Counter[tuple[int, date, str]]]:
    """The rows to upsert for `counts`, and the towns' totals of what they count.

    Sorted by key: every process then writes the rows it shares with another in the same order, so that
    two servers flushing at once wait for each other instead of locking rows crosswise (a deadlock, and
    a page answered 500). A product that no longer exists is counted for its shop; a shop that no longer
    exists is not counted.
    """
    keys = sorted(counts)
    shop_ids = _shop_ids(keys)
    product_ids = _product_ids(keys, shop_ids)
    rows = UpsertRows(town=[], shop=[], product=[])
    totals: Counter[tuple[int, date, str]] = Counter()
    for key in keys:
        count = counts[key]
        if not key.shop_slug:
            rows.town.append((key.town_id, day, key.metric, count))
        elif (shop_id := shop_ids.get((key.town_id, key.shop_slug))) is None:
            continue  # the page of a shop that no longer exists; nothing to count it against
        elif (product_id := product_ids.get((shop_id, key.product_slug))) is not None:
            rows.product.append((key.town_id, shop_id, product_id, day, key.metric, count))
        else:
            rows.shop.append((key.town_id, shop_id, day, key.metric, count))
        totals[key.town_id, day, key.metric] += count
    return rows, totals


def write_counts(batch: Mapping[_Key, int], *, day: date) -> None:
    """Add counts to the day's rows in one transaction, creating rows as needed: one batched upsert
    (executemany) for the town rows, one for the shop rows, one for the product rows, whatever their number.

    A key may be a plain (metric, town id, shop slug) triple.
    """
    if not batch:
        return
    rows, totals = upsert_rows({CountKey(*key): count for key, count in batch.items()}, day=day)
    table = DailyCount._meta.db_table
    upsert_product = (
        f"INSERT INTO {table} (town_id, shop_id, product_id, day, metric, count) "
        f"VALUES (%s, %s, %s, %s, %s, %s) "
        f"ON CONFLICT (product_id, day, metric) WHERE product_id IS NOT NULL "
        f"DO UPDATE SET count = {table}.count + excluded.count"
    )
    upsert_shop = (
        f"INSERT INTO {table} (town_id, shop_id, product_id, day, metric, count) "
        f"VALUES (%s, %s, NULL, %s, %s, %s) "
        f"ON CONFLICT (shop_id, day, metric) WHERE product_id IS NULL AND shop_id IS NOT NULL "
        f"DO UPDATE SET count = {table}.count + excluded.count"
    )
    upsert_town = (
        f"INSERT INTO {table} (town_id, shop_id, product_id, day, metric, count) "
        f"VALUES (%s, NULL, NULL, %s, %s, %s) "
        f"ON CONFLICT (town_id, day, metric) WHERE shop_id IS NULL "
        f"DO UPDATE SET count = {table}.count + excluded.count"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        # Always the town rows, then the shops', then the products': the same order in every process.
        statements = ((upsert_town, rows.town), (upsert_shop, rows.shop), (upsert_product, rows.product))
        for statement, values in statements:
            if values:
                cursor.executemany(statement, values)
        town_totals_add(totals)


def town_totals_add(totals: Mapping[tuple[int, date, str], int]) -> None:
    """Add counts written to DailyCount rows to their towns' totals ((town id, day, metric) → count), in one
    transaction: whoever writes day counts calls it in the same transaction."""
    table = TownDailyTotal._meta.db_table
    upsert = (
        f"INSERT INTO {table} (town_id, day, metric, count) VALUES (%s, %s, %s, %s) "
        f"ON CONFLICT (town_id, metric, day) DO UPDATE SET count = {table}.count + excluded.count"
    )
    rows = [(town_id, day, metric, count) for (town_id, day, metric), count in sorted(totals.items())]
    if rows:
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            cursor.executemany(upsert, rows)


def write_searches_without_result(batch: Mapping[tuple[int, str], int], *, day: date) -> None:
    """Add the searches without result of `batch` ((town id, words) → times) to the day's rows, in one
    transaction, in one batched upsert, in the same order in every process (as write_counts)."""
    table = SearchWithoutResult._meta.db_table
    upsert = (
        f"INSERT INTO {table} (town_id, day, query, count) VALUES (%s, %s, %s, %s) "
        f"ON CONFLICT (town_id, day, query) DO UPDATE SET count = {table}.count + excluded.count"
    )
    rows = [(town_id, day, words, count) for (town_id, words), count in sorted(batch.items())]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(upsert, rows)


def fold_product_counts(*, product_ids: list[int]) -> None:
    """Before products are deleted: move their day counts to their shops' own rows (in one statement), so
    that the shops' and the town's figures of the past stay as they were."""
    if not product_ids:
        return
    table = DailyCount._meta.db_table
    placeholders = ", ".join(["%s"] * len(product_ids))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (town_id, shop_id, product_id, day, metric, count) "
            f"SELECT town_id, shop_id, NULL, day, metric, SUM(count) FROM {table} "
            f"WHERE product_id IN ({placeholders}) GROUP BY town_id, shop_id, day, metric "
            f"ON CONFLICT (shop_id, day, metric) WHERE product_id IS NULL AND shop_id IS NOT NULL "
            f"DO UPDATE SET count = {table}.count + excluded.count",
            product_ids,
        )
        DailyCount.objects.filter(product_id__in=product_ids).delete()
