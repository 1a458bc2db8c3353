"""Many buyers, few units of a lot: how many wholesale orders does the last of it make?

    python -m bench.lot_oversell [--attempts 200] [--units 10] [--clients 50] [--postgres-url URL]

On PostgreSQL (its own database, created if missing), `--attempts` buyers check out at once, from
`--clients` concurrent connections, one unit each of a lot that has `--units` left, through the same
`checkout` the basket page uses (one basket per buyer). The last line reads
`bench=lot_oversell db=postgresql attempts=… units=… orders=… oversold=…` (the line before it: how many
were refused, what is left, how long it took);
oversold must be 0.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from bench.run import setup_django_on

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/centreville_bench_lot_oversell"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.lot_oversell", description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=200)
    parser.add_argument("--units", type=int, default=10)
    parser.add_argument("--clients", type=int, default=50, help="concurrent database connections")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_LOT_OVERSELL_POSTGRES_URL", DEFAULT_URL)
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not setup_django_on("postgresql", args.postgres_url):
        return 2

    from datetime import timedelta
    from decimal import Decimal

    from django.core.exceptions import ValidationError
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from centreville.enterprises.tests.factories import BuyerFactory, PickupPlaceFactory
    from centreville.lots.tests.factories import LotFactory
    from centreville.wholesale.checkout import checkout
    from centreville.wholesale.handover import HandOverChoice, window_starts
    from centreville.wholesale.models import WholesaleBasket, WholesaleBasketLine, WholesaleLine
    from centreville.wholesale.services import new_reference

    call_command("migrate", interactive=False, verbosity=0)
    # Its own database, emptied: the run is the same the second time as the first.
    call_command("flush", interactive=False, verbosity=0)
    lot = LotFactory.create(
        title="Dernier colis de carottes",
        quantity_available=Decimal(args.units),
        minimum_quantity=Decimal("1"),
        quantity_step=Decimal("1"),
    )
    place = PickupPlaceFactory.create(enterprise=lot.enterprise, opening_hours="Mo-Su 08:00-20:00")
    now = timezone.now()
    [window, *_later] = window_starts(place, at=now + timedelta(hours=1))
    choice = {lot.enterprise_id: HandOverChoice("farm", place.pk, starts_at=window)}
    buyers = [
        BuyerFactory.create(slug=f"acheteur-{new_reference('B').lower()}") for _n in range(args.attempts)
    ]
    for buyer in buyers:
        basket = WholesaleBasket.objects.create(buyer=buyer)
        WholesaleBasketLine.objects.create(basket=basket, lot=lot, quantity=Decimal("1"), added_at=now)

    def attempt(n: int) -> bool:
        try:
            checkout(buyer=buyers[n], choices=choice, at=now)
            return True
        except ValidationError:
            return False
        finally:
            connections.close_all()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.clients) as pool:
        outcomes = list(pool.map(attempt, range(args.attempts)))
    seconds = time.perf_counter() - started

    lot.refresh_from_db()
    sold = sum(WholesaleLine.objects.filter(lot=lot).values_list("quantity", flat=True), Decimal("0"))
    orders = WholesaleLine.objects.filter(lot=lot).values("order").distinct().count()
    oversold = max(Decimal("0"), sold - args.units) + max(Decimal("0"), -lot.quantity_available)
    print(
        f"refused={outcomes.count(False)} left={lot.quantity_available.normalize():f} seconds={seconds:.2f}"
    )
    print(
        f"bench=lot_oversell db=postgresql attempts={args.attempts} units={args.units} orders={orders} "
        f"oversold={oversold.normalize():f}"
    )
    return 0 if oversold == 0 and orders == min(args.units, args.attempts) else 1


if __name__ == "__main__":
    sys.exit(main())
