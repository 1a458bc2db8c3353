"""How many SQL queries a checkout runs, and whether that grows with the lines of the basket.

    python -m bench.checkout_queries [--db postgresql|sqlite] [--shops 5] [--lines 3 6] [--postgres-url URL]

Builds, for each `--lines` value, a guest basket of `--shops` shops, each with that many lines (every way to
collect represented: shop pickup in a slot, relay point, locker, delivery) and counts the queries of
`checkout()` itself, the function the checkout page and the API call, with the tasks it queues once
committed, on a database of its own emptied at each run. The last line reads
`bench=checkout_queries db=… shops=5 lines_3=… lines_6=… grows=no limit=60`.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from decimal import Decimal
from pathlib import Path

from bench.run import setup_django_on

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/centreville_bench_queries"
LIMIT = 60


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.checkout_queries", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--shops", type=int, default=5)
    parser.add_argument("--lines", type=int, nargs="+", default=[3, 6], help="lines per shop to compare")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_QUERIES_POSTGRES_URL", DEFAULT_URL))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not setup_django_on(args.db, args.postgres_url, Path(tempfile.mkdtemp()) / "checkout.sqlite3"):
        return 2

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from centreville.baskets.tests.factories import (
        NOW,
        BasketFactory,
        BasketLineFactory,
        every_way,
        shop_taking_orders,
        town_taking_orders,
    )
    from centreville.catalogue.tests.factories import ProductFactory
    from centreville.orders.checkout import checkout

    call_command("migrate", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)  # its own database: start empty every run

    def queries_for(lines_per_shop: int) -> int:
        town, places = town_taking_orders()
        basket = BasketFactory.create(town=town)
        shops = [shop_taking_orders(town) for _ in range(args.shops)]
        for shop in shops:
            for _ in range(lines_per_shop):
                product = ProductFactory.create(shop=shop, stock=100, price=Decimal("4.00"))
                BasketLineFactory.create(basket=basket, product=product, quantity=2)
        choices = every_way(shops, places)
        with CaptureQueriesContext(connection) as captured:
            checkout(
                basket=basket,
                customer=None,
                customer_name="Jeanne Martin",
                customer_contact="06 12 34 56 78",
                choices=choices,
                pay_online=True,  # lockers and delivery are paid online
                return_url="http://127.0.0.1/suivi/",
                cancel_url="http://127.0.0.1/suivi/",
                now=NOW,
            )
        return len(captured)

    counts = {lines: queries_for(lines) for lines in args.lines}
    grows = len(set(counts.values())) > 1
    print(
        f"bench=checkout_queries db={args.db} shops={args.shops} "
        + " ".join(f"lines_{lines}={count}" for lines, count in counts.items())
        + f" grows={'yes' if grows else 'no'} limit={LIMIT}"
    )
    return 0 if not grows and max(counts.values()) <= LIMIT else 1


if __name__ == "__main__":
    raise SystemExit(main())
