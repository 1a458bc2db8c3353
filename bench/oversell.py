"""Many customers, few units: how many orders does the last stock make?

    python -m bench.oversell [--attempts 200] [--units 10] [--clients 50] [--postgres-url URL]

On PostgreSQL (its own database, created if missing), `--attempts` customers try at once, from
`--clients` concurrent connections, to buy one unit of a product that has `--units` left, through the
same `checkout` the site and the API use (one basket per customer). The last line reads
`bench=oversell db=postgresql attempts=… units=… orders=… refused=… oversold=… stock_left=… seconds=…`;
oversold must be 0.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from bench.run import setup_django_on

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/centreville_bench_orders"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.oversell", description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=200)
    parser.add_argument("--units", type=int, default=10)
    parser.add_argument("--clients", type=int, default=50, help="concurrent database connections")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_ORDERS_POSTGRES_URL", DEFAULT_URL))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not setup_django_on("postgresql", args.postgres_url):
        return 2

    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from centreville.baskets.tests.factories import (
        BasketFactory,
        BasketLineFactory,
        pickup,
        shop_taking_orders,
        town_taking_orders,
    )
    from centreville.catalogue.tests.factories import ProductFactory
    from centreville.fulfilment.models import ShopFulfilment
    from centreville.orders.checkout import checkout
    from centreville.orders.checkout_refusals import CheckoutRefused
    from centreville.orders.models import Order

    call_command("migrate", interactive=False, verbosity=0)
    # Its own database, emptied: the run is the same the second time as the first.
    call_command("flush", interactive=False, verbosity=0)
    town, _places = town_taking_orders()
    shop = shop_taking_orders(town)
    ShopFulfilment.objects.filter(shop=shop).update(slot_capacity=args.attempts)  # stock is the limit here
    product = ProductFactory.create(shop=shop, stock=args.units, title="Dernière galette")
    now = timezone.now()
    way = {shop.pk: pickup(shop, now=now)}
    baskets = [BasketFactory.create(town=town) for _ in range(args.attempts)]
    for basket in baskets:
        BasketLineFactory.create(basket=basket, product=product, quantity=1)

    def attempt(n: int) -> bool:
        try:
            checkout(
                basket=baskets[n],
                customer=None,
                customer_name=f"Client {n}",
                customer_contact=f"client{n}@example.fr",
                choices=way,
                pay_online=False,
                now=now,
            )
            return True
        except CheckoutRefused:
            return False
        finally:
            connections.close_all()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.clients) as pool:
        outcomes = list(pool.map(attempt, range(args.attempts)))
    seconds = time.perf_counter() - started

    product.refresh_from_db()
    orders = Order.objects.filter(lines__product=product).count()
    oversold = max(0, orders - args.units) + max(0, -(product.stock or 0))
    print(
        f"bench=oversell db=postgresql attempts={args.attempts} units={args.units} orders={orders} "
        f"refused={outcomes.count(False)} oversold={oversold} stock_left={product.stock} "
        f"seconds={seconds:.2f}"
    )
    return 0 if oversold == 0 and orders == min(args.units, args.attempts) else 1


if __name__ == "__main__":
    sys.exit(main())
