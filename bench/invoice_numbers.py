"""Many invoices for one seller at once: are their numbers still gapless and unique?

    python -m bench.invoice_numbers [--invoices 1000] [--clients 20] [--postgres-url URL]

On PostgreSQL (its own database, created if missing, emptied at start), `--invoices` collected orders of
one producer are invoiced from `--clients` concurrent connections through `invoice_issue_for_order`, the
function the order's « collected » signal calls. Then the seller's invoice numbers are counted: the last
line reads `bench=invoice_numbers db=postgresql concurrent=… invoices=… gaps=… duplicates=… seconds=…`;
gaps and duplicates must be 0.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from bench.run import setup_django_on

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/centreville_bench_invoices"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.invoice_numbers", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--invoices", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=20, help="concurrent database connections")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_INVOICES_POSTGRES_URL", DEFAULT_URL))
    return parser.parse_args(argv)


def gaps_and_duplicates(numbers: list[int]) -> tuple[int, int]:
    """Missing numbers between 1 and the highest, and numbers given more than once."""
    counts = Counter(numbers)
    duplicates = sum(count - 1 for count in counts.values())
    gaps = (max(counts) if counts else 0) - len(counts)
    return gaps, duplicates


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not setup_django_on("postgresql", args.postgres_url):
        return 2

    from django.core.management import call_command
    from django.db import connections

    from centreville.enterprises.tests.factories import BuyerFactory, EnterpriseFactory, PickupPlaceFactory
    from centreville.invoicing.models import Invoice, InvoiceKind
    from centreville.invoicing.services import invoice_issue_for_order
    from centreville.invoicing.tests.factories import COLLECTED_AT
    from centreville.lots.tests.factories import LotFactory
    from centreville.wholesale.models import OrderStatus
    from centreville.wholesale.tests.factories import WholesaleLineFactory, WholesaleOrderFactory

    call_command("migrate", interactive=False, verbosity=0)
    # Its own database, emptied: the run is the same the second time as the first.
    call_command("flush", interactive=False, verbosity=0)
    seller = EnterpriseFactory.create()
    place = PickupPlaceFactory.create(enterprise=seller)
    lot = LotFactory.create(enterprise=seller)
    buyers = BuyerFactory.create_batch(10)
    orders = []
    for n in range(args.invoices):
        order = WholesaleOrderFactory.create(
            producer=seller,
            buyer=buyers[n % len(buyers)],
            pickup_place=place,
            status=OrderStatus.COLLECTED,
            collected_at=COLLECTED_AT,
        )
        WholesaleLineFactory.create(order=order, lot=lot)
        orders.append(order)

    def issue(n: int) -> None:
        try:
            invoice_issue_for_order(order=orders[n], at=COLLECTED_AT)
        finally:
            connections.close_all()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.clients) as pool:
        list(pool.map(issue, range(args.invoices)))
    seconds = time.perf_counter() - started

    numbers = list(
        Invoice.objects.filter(seller=seller, kind=InvoiceKind.INVOICE).values_list(
            "sequence_number", flat=True
        )
    )
    gaps, duplicates = gaps_and_duplicates(numbers)
    print(
        f"bench=invoice_numbers db=postgresql concurrent={args.clients} invoices={len(numbers)} "
        f"gaps={gaps} duplicates={duplicates} seconds={seconds:.2f}"
    )
    return 0 if gaps == 0 and duplicates == 0 and len(numbers) == args.invoices else 1


if __name__ == "__main__":
    sys.exit(main())
