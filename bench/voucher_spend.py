"""Many counters, one voucher: how many spends does a 50 € voucher accept?

    python -m bench.voucher_spend [--attempts 200] [--balance-cents 5000] [--spend-cents 1000] [--clients 50]

On PostgreSQL (its own database, created if missing), `--attempts` spends of `--spend-cents` are made at once,
from `--clients` concurrent connections, at two shops, on one voucher holding `--balance-cents`, through the
same `voucher_spend` the counter page uses. The last line reads
`bench=voucher_spend db=postgresql attempts=… balance_cents=… spend_cents=… accepted=… overspent=…`;
overspent must be 0.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from bench.run import setup_django_on

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/centreville_bench_voucher_spend"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.voucher_spend", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--attempts", type=int, default=200)
    parser.add_argument("--balance-cents", type=int, default=5000)
    parser.add_argument("--spend-cents", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50, help="concurrent database connections")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_VOUCHER_SPEND_POSTGRES_URL", DEFAULT_URL)
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not setup_django_on("postgresql", args.postgres_url):
        return 2

    from datetime import UTC, date, datetime

    from django.core.management import call_command
    from django.db import connections

    from centreville.shops.tests.factories import ShopFactory
    from centreville.vouchers import ledger, services
    from centreville.vouchers.ledger import VoucherRefused
    from centreville.vouchers.models import Movement, MovementKind
    from centreville.vouchers.tests.factories import ProgrammeFactory

    call_command("migrate", interactive=False, verbosity=0)
    # Its own database, emptied: the run is the same the second time as the first.
    call_command("flush", interactive=False, verbosity=0)
    at = datetime(2026, 12, 12, 10, tzinfo=UTC)
    programme = ProgrammeFactory.create(
        face_values_cents=[args.balance_cents], starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 31)
    )
    shops = [ShopFactory.create(town=programme.town) for _n in range(2)]
    for shop in shops:
        services.participation_join(programme=programme, shop=shop, iban="FR7630006000011234567890189", at=at)
    [voucher] = services.vouchers_issue(
        programme=programme,
        beneficiary=services.Beneficiary("person", "bench@example.org"),
        face_value_cents=args.balance_cents,
        at=at,
    )

    def attempt(n: int) -> bool:
        try:
            ledger.voucher_spend(code=voucher.code, shop=shops[n % 2], amount_cents=args.spend_cents, at=at)
            return True
        except VoucherRefused:
            return False
        finally:
            connections.close_all()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.clients) as pool:
        outcomes = list(pool.map(attempt, range(args.attempts)))
    seconds = time.perf_counter() - started

    voucher.refresh_from_db()
    spent = -sum(m.amount_cents for m in Movement.objects.filter(voucher=voucher, kind=MovementKind.SPEND))
    overspent = max(0, spent - args.balance_cents) + max(0, -voucher.balance_cents)
    accepted = outcomes.count(True)
    print(f"refused={outcomes.count(False)} left_cents={voucher.balance_cents} seconds={seconds:.2f}")
    print(
        f"bench=voucher_spend db=postgresql attempts={args.attempts} balance_cents={args.balance_cents} "
        f"spend_cents={args.spend_cents} accepted={accepted} overspent={overspent}"
    )
    expected = min(args.attempts, args.balance_cents // args.spend_cents)
    return 0 if overspent == 0 and accepted == expected else 1


if __name__ == "__main__":
    sys.exit(main())
