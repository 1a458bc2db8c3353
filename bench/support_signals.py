"""The platform's signals on 10,000 shops, computed as the periodic task computes them.

    python -m bench.support_signals [--shops 10000] [--products-per-shop 15] [--postgres-url URL]

On its own PostgreSQL database (BENCH_SUPPORT_POSTGRES_URL, created if missing): the bench towns of
`bench.dataset` (250 shops each, kept when already there), then, drawn from the shop's id so that a rerun
finds the same: a photo for two shops in three, no opening hours for one in seven, a third of the products
last updated 90 days ago, and for one shop in four an order waiting for two days and another that expired
without an answer a month ago. Then every shop's signals are computed (`shop_signals_refresh`) and timed,
with the SQL statements counted. The last line reads
`bench=support_signals db=postgresql shops=… seconds=… queries=… queries_per_batch=… target_s=30`; the
exit status is 1 above the target.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import timedelta
from math import ceil

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/centreville_support_bench"
SHOPS_PER_TOWN = 250
TARGET_S = 30


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.support_signals", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--shops", type=int, default=10_000)
    parser.add_argument("--products-per-shop", type=int, default=15)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_SUPPORT_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="PostgreSQL database of this benchmark (env BENCH_SUPPORT_POSTGRES_URL); created if missing",
    )
    args = parser.parse_args(argv)
    if args.shops < 1 or args.products_per_shop < 0:
        parser.error("shops must be positive, products per shop not negative")
    return args


BENCH_TOWNS = "(SELECT id FROM towns_town WHERE slug LIKE 'bench-%')"


def add_what_shops_lack() -> None:
    """Photos, missing hours, stale products and unanswered orders, the same at every run (idempotent)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO shops_shopphoto (created_at, updated_at, shop_id, small, medium, large, "
            "small_width, small_height, width, height, alt_text, position) "
            "SELECT now(), now(), s.id, 'photos/bench.webp', 'photos/bench.webp', 'photos/bench.webp', "
            f"1, 1, 1, 1, '', 0 FROM shops_shop s WHERE s.town_id IN {BENCH_TOWNS} AND s.id % 3 <> 0 "
            "AND NOT EXISTS (SELECT 1 FROM shops_shopphoto p WHERE p.shop_id = s.id)"
        )
        cursor.execute(
            "UPDATE shops_shop SET opening_hours = '' WHERE id % 7 = 0 AND opening_hours <> '' "
            f"AND town_id IN {BENCH_TOWNS}"
        )
        cursor.execute(
            "UPDATE catalogue_product SET updated_at = now() - interval '90 days' WHERE id % 3 = 0 "
            f"AND updated_at > now() - interval '60 days' AND town_id IN {BENCH_TOWNS}"
        )


def add_unanswered_orders() -> int:
    """An order waiting for two days and one expired without an answer, for one shop in four."""
    from django.db import transaction
    from django.utils import timezone

    from bench import dataset
    from centreville.orders.models import Order, OrderEvent, OrderStatus
    from centreville.shops.models import Shop

    if Order.objects.filter(reference__startswith="B-").exists():
        return 0
    now = timezone.now()
    shops = Shop.objects.filter(town__in=dataset.bench_towns()).values_list("pk", "town_id").order_by("pk")
    orders = []
    for pk, town_id in shops:
        if pk % 4:
            continue
        for status in (OrderStatus.PLACED, OrderStatus.EXPIRED):
            orders.append(
                Order(
                    town_id=town_id,
                    shop_id=pk,
                    reference=f"B-{pk}-{status[0]}",
                    basket_reference=f"B-{pk}",
                    status=status,
                    customer_name="Client d'essai",
                    customer_contact="client@example.fr",
                )
            )
    with transaction.atomic():
        Order.objects.bulk_create(orders, batch_size=2000)
        waiting = Order.objects.filter(reference__startswith="B-", status=OrderStatus.PLACED)
        waiting.update(created_at=now - timedelta(days=2))
        expired = Order.objects.filter(reference__startswith="B-", status=OrderStatus.EXPIRED)
        expired.update(created_at=now - timedelta(days=32))
        OrderEvent.objects.bulk_create(
            [
                OrderEvent(order_id=pk, from_status=OrderStatus.PLACED, to_status=OrderStatus.EXPIRED)
                for pk in expired.values_list("pk", flat=True)
            ],
            batch_size=2000,
        )
        OrderEvent.objects.filter(order__reference__startswith="B-").update(
            created_at=now - timedelta(days=30)
        )
    return len(orders)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from bench.run import setup_django_on

    if not setup_django_on("postgresql", args.postgres_url):
        return 2
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bench import dataset
    from centreville.support import shop_signals

    settings.DEBUG = False
    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    size = dataset.Size(ceil(args.shops / SHOPS_PER_TOWN), SHOPS_PER_TOWN, args.products_per_shop)
    result = dataset.generate(size)
    add_what_shops_lack()
    orders = add_unanswered_orders()
    print(
        f"{'kept' if result.reused else 'generated'} {result.counts.shops} shops, {result.counts.products} "
        f"products{f', {orders} orders' if orders else ''} in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    at = timezone.now()  # a benchmark measures the task as it runs
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        shops = shop_signals.shop_signals_refresh(at=at)
        seconds = time.perf_counter() - started
    batches = ceil(shops / shop_signals.BATCH_SIZE)
    print(f"{shops} shops in {batches} batches of {shop_signals.BATCH_SIZE}: {seconds:.1f} s", flush=True)
    count = len(queries.captured_queries)
    print(
        f"bench=support_signals db=postgresql shops={shops} seconds={seconds:.1f} "
        f"queries={count} queries_per_batch={count / batches:.1f} "
        f"target_s={TARGET_S}",
        flush=True,
    )
    return 0 if seconds <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
