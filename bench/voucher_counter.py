"""The merchant's counter: the page a phone opens to take a voucher, and its POST that spends it, uncached.

    python -m bench.voucher_counter [--vouchers 20000] [--history 3000] [--requests 60] [--warmup 5]
        [--postgres-url URL]

Generates, in a PostgreSQL database of its own (kept when already there): a town, a shop taking part in an
open gift-card programme, `--vouchers` vouchers of 50 € and `--history` earlier spends at the shop through
the ledger (the last of them on the day measured, listed under the form). Then its merchant, signed in with
Django's test client, opens `/<town>/espace-commercant/bons/<shop>/encaisser/` and sends its form to spend
1 € of another voucher each time, `--warmup` times, then `--requests` times, measured (each GET and each
POST, which answers with a redirect to the spend's page). The last line reads
`bench=voucher_counter db=postgresql requests=… get_p95_ms=… post_p95_ms=… p95_ms=… target_ms=100`, p95
over both; the exit status is 1 above the target.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
import warnings
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from bench.vacancy import percentile

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/centreville_voucher_counter_bench"
TARGET_MS = 100
TOWN_SLUG = "caisse-bench"
SHOP_SLUG = "boulangerie-du-bench"
# The page's clock: a Saturday of December, mid-morning in Paris.
REFERENCE = datetime(2026, 12, 12, 9, 30, tzinfo=UTC)
IBAN = "FR7630006000011234567890189"
_MARK = re.compile(rb'name="mark" value="(\d+)"')


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.voucher_counter", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--vouchers", type=int, default=20000)
    parser.add_argument("--history", type=int, default=3000, help="earlier spends at the shop")
    parser.add_argument("--requests", type=int, default=60, help="measured GET and POST pairs (50 at least)")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_VOUCHER_COUNTER_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="its PostgreSQL database (env BENCH_VOUCHER_COUNTER_POSTGRES_URL); created if missing",
    )
    args = parser.parse_args(argv)
    if args.vouchers < 1 or args.history < 0 or args.requests < 1 or args.warmup < 0:
        parser.error("vouchers and requests positive, history and warm-up not negative")
    if args.vouchers < args.history + args.requests + args.warmup:
        parser.error("give at least as many vouchers as spends")
    return args


def generate(*, vouchers: int, history: int) -> tuple[Any, Any, bool]:
    """The bench town, its shop and its programme with `vouchers` vouchers and `history` earlier spends:
    (shop, programme, rebuilt). Kept when the vouchers are already there."""
    from django.db import transaction

    from centreville.shops.models import Shop, ShopMembership, TradeCategory
    from centreville.towns.models import Town
    from centreville.vouchers import ledger, services
    from centreville.vouchers.models import Movement, Programme, ProgrammeStatus, Statement, Voucher

    town, _created = Town.objects.get_or_create(
        slug=TOWN_SLUG,
        defaults={
            "name": "Caisse-sur-Bench",
            "insee_code": "99905",
            "postcodes": ["99905"],
            "latitude": Decimal("48.744500"),
            "longitude": Decimal("-0.020300"),
        },
    )
    programme = Programme.objects.filter(town=town, slug="noel").first()
    shop = Shop.objects.filter(town=town, slug=SHOP_SLUG).first()
    if (
        programme is not None
        and shop is not None
        and Voucher.objects.filter(programme=programme).count() == vouchers
    ):
        return shop, programme, False
    with transaction.atomic():
        if programme is not None:  # another size: the programme and everything under it go
            Movement.objects.filter(programme=programme).delete()
            Statement.objects.filter(programme=programme).delete()
            Voucher.objects.filter(programme=programme).delete()
            programme.delete()
        Shop.objects.filter(town=town, slug=SHOP_SLUG).delete()
        category, _created = TradeCategory.objects.get_or_create(
            slug="bench-caisse", defaults={"name": "Boulangerie (bench)"}
        )
        shop = Shop.objects.create(
            town=town,
            name="Boulangerie du Bench",
            slug=SHOP_SLUG,
            category=category,
            street_address="1 place du Marché",
            postcode="99905",
            city="Caisse-sur-Bench",
            status="published",
        )
        merchant = _merchant()
        ShopMembership.objects.get_or_create(shop=shop, user=merchant)
        programme = Programme.objects.create(
            town=town,
            name="Carte cadeau de Noël",
            slug="noel",
            kind="gift_card",
            status=ProgrammeStatus.OPEN,
            holder_name="Commune de Caisse-sur-Bench",
            face_values_cents=[5000],
            starts_on=date(2026, 11, 1),
            ends_on=date(2027, 1, 31),
        )
        services.participation_join(
            programme=programme, shop=shop, iban=IBAN, at=REFERENCE - timedelta(days=40)
        )
        issued_at = REFERENCE - timedelta(days=30)
        beneficiary = services.Beneficiary(kind="company", key="bench-company", name="Entreprise du Bench")
        services.vouchers_issue(
            programme=programme, beneficiary=beneficiary, face_value_cents=5000, at=issued_at, count=vouchers
        )
    codes = list(Voucher.objects.filter(programme=programme).order_by("pk").values_list("code", flat=True))
    for index in range(history):
        # Spread over the month before, the last ones on the day measured.
        at = REFERENCE - timedelta(minutes=7 * (history - index))
        ledger.voucher_spend(
            code=codes[index], shop=shop, amount_cents=500 + index % 2000, at=at, by=merchant
        )
    return shop, programme, True


def _merchant() -> Any:
    from centreville.accounts.models import User

    user, _created = User.objects.get_or_create(
        email="caisse@caisse-bench.example", defaults={"is_active": True}
    )
    return user


def analyze() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE vouchers_voucher, vouchers_movement, vouchers_participation")


def spare_codes(programme: Any, count: int) -> list[str]:
    """Vouchers nothing was spent from yet: one per measured spend."""
    from centreville.vouchers.models import Voucher

    full = Voucher.objects.filter(programme=programme, paid_balance_cents=5000).order_by("-pk")
    return list(full.values_list("code", flat=True)[:count])


def signed_in_merchant() -> Any:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(_merchant())
    return client


def counter_round(client: Any, path: str, code: str) -> tuple[float, float]:
    """Milliseconds of the counter's GET, then of its POST spending 1 € of `code`."""
    started = time.perf_counter()
    page = client.get(path)
    got = (time.perf_counter() - started) * 1000
    if page.status_code != 200:
        raise RuntimeError(f"{path} answered {page.status_code}")
    mark = _MARK.search(page.content)
    if mark is None:
        raise RuntimeError("the counter's form has no mark")
    started = time.perf_counter()
    sent = client.post(
        path, {"mark": mark.group(1).decode(), "code": code, "amount": "1,00", "action": "spend"}
    )
    posted = (time.perf_counter() - started) * 1000
    if sent.status_code != 302:
        raise RuntimeError(f"the spend answered {sent.status_code}")
    return got, posted


def last_line(*, requests: int, get_p95: float, post_p95: float, p95_ms: float) -> str:
    return (
        f"bench=voucher_counter db=postgresql requests={requests} get_p95_ms={get_p95:.1f} "
        f"post_p95_ms={post_p95:.1f} p95_ms={p95_ms:.1f} target_ms={TARGET_MS}"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from bench.run import setup_django_on

    if not setup_django_on("postgresql", args.postgres_url):
        return 2
    from django.conf import settings
    from django.core.management import call_command
    from django.urls import reverse
    from django.utils import timezone

    warnings.filterwarnings("ignore", message="No directory at")  # no collected static files: not needed
    settings.DEBUG = False  # no query log: measure the page, not the debugging
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    shop, programme, rebuilt = generate(vouchers=args.vouchers, history=args.history)
    analyze()
    print(
        f"{'generated' if rebuilt else 'kept'} {args.vouchers} vouchers, {args.history} earlier spends "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    timezone.now = lambda: REFERENCE
    client = signed_in_merchant()
    path = reverse("vouchers_merchant:counter", args=[TOWN_SLUG, shop.slug])
    codes = spare_codes(programme, args.warmup + args.requests)
    if len(codes) < args.warmup + args.requests:
        print("not enough untouched vouchers left: run with a larger --vouchers", file=sys.stderr)
        return 2
    for code in codes[: args.warmup]:
        counter_round(client, path, code)
    rounds = [counter_round(client, path, code) for code in codes[args.warmup :]]
    gets, posts = [got for got, _posted in rounds], [posted for _got, posted in rounds]
    both = gets + posts
    p95 = percentile(both, 0.95)
    print(
        f"{len(rounds)} GET and POST of {path}: GET p50 {statistics.median(gets):.1f} ms, "
        f"POST p50 {statistics.median(posts):.1f} ms, max {max(both):.1f} ms",
        flush=True,
    )
    print(
        last_line(
            requests=len(both), get_p95=percentile(gets, 0.95), post_p95=percentile(posts, 0.95), p95_ms=p95
        )
    )
    return 0 if p95 <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
