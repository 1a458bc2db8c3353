"""A producer's public page with 10,000 lots for sale, uncached, on PostgreSQL by default.

    python -m bench.producer_page [--db postgresql|sqlite] [--lots 10000] [--requests 60] [--warmup 5]
        [--postgres-url URL]

Generates one producer (its pickup place, its 10,000 lots, bulk; kept when already there) that one town's
space shows, then asks for `/<town>/producteurs/<producer>/` at a rotation of pages (the first, the second,
one in the middle, the last) `--warmup` times, then `--requests` times, measured, through Django's test
client as an anonymous visitor (the page is never cached). The last line reads
`bench=producer_page lots=10000 p95_ms=… target_ms=300`; the exit status is 1 above the target.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.vacancy import measure, percentile

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/centreville_lots_bench"
TARGET_MS = 300
TOWN_SLUG = "producteur-bench"
PRODUCER_SLUG = "producteur-bench-ferme"
PRODUCTS = (
    "Carottes",
    "Pommes de terre",
    "Fromage de chèvre",
    "Poireaux",
    "Miel",
    "Œufs",
    "Cidre",
    "Tomates",
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.producer_page", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--lots", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=60, help="measured requests (50 at least)")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_LOTS_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="PostgreSQL database of this benchmark (env BENCH_LOTS_POSTGRES_URL); created if missing",
    )
    args = parser.parse_args(argv)
    if args.lots < 1 or args.requests < 1 or args.warmup < 0:
        parser.error("lots and requests positive, warm-up not negative")
    return args


def generate(*, lots: int) -> tuple[Any, bool]:
    """The bench town and its producer with exactly `lots` lots for sale: (town, rebuilt)."""
    from django.db import transaction

    from centreville.catalogue.models import ProductCategory
    from centreville.enterprises.models import Enterprise, PickupPlace, SpaceProducer
    from centreville.lots.models import Lot
    from centreville.lots.services import _fill_copies
    from centreville.towns.models import Town

    town, _created = Town.objects.get_or_create(
        slug=TOWN_SLUG,
        defaults={
            "name": "Producteur-sur-Bench",
            "insee_code": "99904",
            "postcodes": ["99904"],
            "latitude": Decimal("48.744500"),
            "longitude": Decimal("-0.020300"),
        },
    )
    farm = Enterprise.objects.filter(slug=PRODUCER_SLUG).first()
    if farm is not None and farm.lots.count() == lots and SpaceProducer.objects.filter(town=town).exists():
        return town, False
    with transaction.atomic():
        Enterprise.objects.filter(slug=PRODUCER_SLUG).delete()
        farm = Enterprise.objects.create(
            name="Ferme du Bench",
            slug=PRODUCER_SLUG,
            is_producer=True,
            siret="73282932000074",
            legal_form="earl",
            vat_regime="flat_rate_farmer",
            street_address="Le Bourg",
            postcode="99904",
            city="Bench",
            latitude=Decimal("48.800000"),
            longitude=Decimal("-0.100000"),
            email="ferme@bench.example",
            labels=["ab", "hve"],
        )
        PickupPlace.objects.create(
            enterprise=farm,
            name="À la ferme",
            street_address="Le Bourg",
            postcode="99904",
            city="Bench",
            opening_hours="Tu,Fr 17:00-19:00; Sa 09:00-12:00",
        )
        SpaceProducer.objects.create(town=town, enterprise=farm)
        category, _created = ProductCategory.objects.get_or_create(
            slug="fruits-legumes", defaults={"name": "Fruits et légumes"}
        )
        pending = []
        for number in range(lots):
            lot = Lot(
                enterprise=farm,
                category=category,
                title=f"{PRODUCTS[number % len(PRODUCTS)]} {number:05d}",
                unit="kg",
                case_size=Decimal("6") if number % 3 == 0 else None,
                quantity_available=Decimal(5 + number % 50),
                minimum_quantity=Decimal("1"),
                quantity_step=Decimal("1"),
                unit_price=Decimal("1.80"),
                vat_rate="5.5",
                labels=["ab"] if number % 2 else [],
            )
            _fill_copies(lot, enterprise=farm, category_name=category.name, pickup_weekdays="145")
            pending.append(lot)
        Lot.objects.bulk_create(pending, batch_size=5000)
    return town, True


def analyze() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE lots_lot, enterprises_enterprise, enterprises_spaceproducer")


def last_line(*, lots: int, p95_ms: float) -> str:
    return f"bench=producer_page lots={lots} p95_ms={p95_ms:.1f} target_ms={TARGET_MS}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from bench.run import setup_django_on

    if not setup_django_on(args.db, args.postgres_url, Path(tempfile.mkdtemp()) / "producer.sqlite3"):
        return 2
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    warnings.filterwarnings("ignore", message="No directory at")  # no collected static files: not needed
    settings.DEBUG = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    town, rebuilt = generate(lots=args.lots)
    analyze()
    print(
        f"{'generated' if rebuilt else 'kept'} {args.lots} lots in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    client = Client(HTTP_HOST="127.0.0.1")
    base = reverse("lots_public:producer", args=[town.slug, PRODUCER_SLUG])
    last_page = max(1, -(-args.lots // 30))
    pages = (1, 2, max(1, last_page // 2), last_page)
    measure(client, base, warmup=args.warmup, requests=0)
    timings = [
        elapsed
        for index in range(args.requests)
        for elapsed in measure(client, f"{base}?page={pages[index % len(pages)]}", warmup=0, requests=1)
    ]
    p95 = percentile(timings, 0.95)
    print(
        f"{len(timings)} requests of {base} (pages {', '.join(map(str, pages))}): "
        f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {max(timings):.1f} ms",
        flush=True,
    )
    print(last_line(lots=args.lots, p95_ms=p95))
    return 0 if p95 <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
