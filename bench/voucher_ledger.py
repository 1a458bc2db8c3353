"""A year of a town's voucher programme: does the reconciliation balance to the cent?

    python -m bench.voucher_ledger [--vouchers 100000] [--spends 30000] [--refunds 3000] [--seed 1]

On PostgreSQL (its own database, created if missing, emptied), a top-up programme (pay 20 €, get 30 €, the
town's share valid six months, the paid share twelve) issues `--vouchers` vouchers in its first month, then
over a year `--spends` random spends at 40 shops and `--refunds` spends given back, through the ledger's own
functions, with the expiry task and the merchants' statements each month. The accounts are then read at each
month's end. The last line reads
`bench=voucher_ledger db=postgresql vouchers=… movements=… imbalance_cents=… seconds=…` (the sum of the
absolute imbalances over the thirteen dates; it must be 0), the line before it the year's figures.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time

from bench.run import setup_django_on

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/centreville_bench_voucher_ledger"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.voucher_ledger", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--vouchers", type=int, default=100_000)
    parser.add_argument("--spends", type=int, default=30_000)
    parser.add_argument("--refunds", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_VOUCHER_LEDGER_POSTGRES_URL", DEFAULT_URL)
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not setup_django_on("postgresql", args.postgres_url):
        return 2

    from datetime import UTC, date, datetime, timedelta

    from django.core.management import call_command

    from centreville.shops.tests.factories import ShopFactory
    from centreville.vouchers import ledger, services, statements
    from centreville.vouchers.accounts import programme_accounts
    from centreville.vouchers.ledger import VoucherRefused
    from centreville.vouchers.models import Movement, ProgrammeKind, Voucher
    from centreville.vouchers.tests.factories import ProgrammeFactory

    call_command("migrate", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    chance = random.Random(args.seed)
    start = datetime(2027, 1, 4, 9, tzinfo=UTC)
    programme = ProgrammeFactory.create(
        kind=ProgrammeKind.TOP_UP,
        face_values_cents=[],
        top_up_paid_cents=2000,
        top_up_value_cents=3000,
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 12, 31),
        town_share_valid_until=date(2027, 6, 30),
        paid_share_validity_months=12,
    )
    shops = [ShopFactory.create(town=programme.town) for _n in range(40)]
    for shop in shops:
        services.participation_join(
            programme=programme, shop=shop, iban="FR7630006000011234567890189", at=start
        )

    started = time.perf_counter()
    for batch in range(0, args.vouchers, 1000):
        services.vouchers_issue(
            programme=programme,
            beneficiary=services.Beneficiary("company", f"{batch:09d}"),
            face_value_cents=0,
            count=min(1000, args.vouchers - batch),
            at=start + timedelta(minutes=batch // 1000),
        )
    codes = list(Voucher.objects.filter(programme=programme).order_by("pk").values_list("code", flat=True))
    # The year's spends and refunds, in date order, with the month ends where the tasks run.
    year = [start + timedelta(seconds=chance.randrange(365 * 86400)) for _n in range(args.spends)]
    refund_at = set(chance.sample(range(args.spends), min(args.refunds, args.spends)))
    month_ends = [datetime(2027, month, 1, tzinfo=UTC) for month in range(2, 13)] + [
        datetime(2028, 1, 1, tzinfo=UTC)
    ]
    spends: list[Movement] = []
    refused = 0
    next_month = 0
    for index, at in enumerate(sorted(year)):
        while next_month < len(month_ends) and at >= month_ends[next_month]:
            end = month_ends[next_month]
            ledger.vouchers_expire(at=end)
            statements.statements_make(
                programme=programme,
                month=(end - timedelta(days=1)).date().replace(day=1),
                month_end=end,
                at=end,
            )
            next_month += 1
        try:
            if index in refund_at and spends:
                spend = spends[chance.randrange(len(spends))]
                ledger.voucher_spend_refund(
                    spend=spend, amount_cents=chance.randint(1, -spend.amount_cents), at=at
                )
            else:
                spends.append(
                    ledger.voucher_spend(
                        code=chance.choice(codes),
                        shop=chance.choice(shops),
                        amount_cents=chance.randint(100, 3000),
                        at=at,
                    )
                )
        except VoucherRefused:
            refused += 1
    for end in month_ends[next_month:]:
        ledger.vouchers_expire(at=end)
        statements.statements_make(
            programme=programme, month=(end - timedelta(days=1)).date().replace(day=1), month_end=end, at=end
        )
    written = time.perf_counter() - started

    imbalance = 0
    problems: list[str] = []
    for end in [start, *month_ends]:
        accounts = programme_accounts(programme, at=end)
        imbalance += abs(accounts.imbalance_cents)
        problems += accounts.problems
        if (
            accounts.spent.total
            != accounts.statements_due + accounts.statements_paid + accounts.not_yet_stated
        ):
            problems.append(f"statements differ at {end:%Y-%m-%d}")
    final = programme_accounts(programme, at=month_ends[-1])
    seconds = time.perf_counter() - started
    print(
        f"issued_cents={final.issued.total} spent_cents={final.spent.total} "
        f"outstanding_cents={final.outstanding.total} expired_cents={final.expired.total} "
        f"refused={refused} problems={len(problems)} written_seconds={written:.1f}"
    )
    print(
        f"bench=voucher_ledger db=postgresql vouchers={args.vouchers} movements={Movement.objects.count()} "
        f"imbalance_cents={imbalance} seconds={seconds:.1f}"
    )
    return 0 if imbalance == 0 and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
