"""The search « disponible maintenant autour de moi » over 200,000 lots (10,000 producers × 20 lots spread
over mainland France), on PostgreSQL by default.

    python -m bench.lots_search [--db postgresql|sqlite] [--producers 10000] [--lots-per-producer 20]
        [--requests 120] [--warmup 10] [--seed 0] [--postgres-url URL]

Generates the producers and their lots in a database of its own (bulk, their search copies computed as the
services compute them; kept when the same data is already there), one town whose space shows every producer
(the worst case for the space's choice), then calls `lots.around.lots_around` around a rotation of places
with a rotation of searches (everything, a word, a typo, organic, a category, a pickup day, a second page)
`--warmup` times, then `--requests` times, measured. The last line reads
`bench=lots_search db=… lots=200000 p95_ms=… target_ms=50`; the exit status is 1 above the target.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.vacancy import percentile

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/centreville_lots_bench"
TARGET_MS = 50
TOWN_SLUG = "lots-bench"
TODAY = date(2026, 12, 7)
# Mainland France, roughly: producers are drawn uniformly inside.
SOUTH, NORTH, WEST, EAST = 43.5, 50.5, -1.5, 7.0
PRODUCTS = (
    "Carottes des sables", "Pommes de terre nouvelles", "Fromage de chèvre frais", "Poireaux d'hiver",
    "Miel de fleurs", "Œufs plein air", "Yaourts nature", "Pommes Golden", "Cidre brut", "Jus de pomme",
    "Poulet fermier", "Salade batavia", "Tomates anciennes", "Courges butternut", "Beurre demi-sel",
    "Crème crue", "Farine de blé T80", "Lentilles vertes", "Confiture de fraises", "Saucisson sec",
)  # fmt: skip
CATEGORIES = (
    ("Fruits et légumes", "fruits-legumes"),
    ("Fromages et crèmerie", "fromages-cremerie"),
    ("Épicerie", "epicerie"),
    ("Viandes et charcuterie", "viandes-charcuterie"),
    ("Boissons", "boissons"),
)
SEARCHES: tuple[dict[str, Any], ...] = (
    {},
    {"query": "fromages"},
    {"query": "pomme"},
    {"query": "fromaje"},  # a typo: corrected from the words nearby
    {"organic": True},
    {"category": "fruits-legumes"},
    {"weekday": 4},
    {"radius_km": 50},
    {"query": "miel", "radius_km": 50},
    {"page": 2},
)
PLACES = ((47.39, 0.69), (48.11, -1.68), (45.76, 4.84), (48.58, 7.75), (44.84, -0.58), (47.32, 5.04))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.lots_search", description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--producers", type=int, default=10000)
    parser.add_argument("--lots-per-producer", type=int, default=20)
    parser.add_argument("--requests", type=int, default=120, help="measured searches (50 at least)")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_LOTS_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="PostgreSQL database of this benchmark (env BENCH_LOTS_POSTGRES_URL); created if missing",
    )
    args = parser.parse_args(argv)
    if args.producers < 1 or args.lots_per_producer < 1 or args.requests < 1 or args.warmup < 0:
        parser.error("producers, lots and requests positive, warm-up not negative")
    return args


def generate(*, producers: int, per_producer: int, seed: int) -> tuple[Any, bool]:
    """The bench town, and its space showing exactly the planned producers and lots: (town, rebuilt)."""
    from django.db import transaction

    from centreville.catalogue.models import ProductCategory
    from centreville.enterprises.models import Enterprise, PickupPlace, SpaceProducer
    from centreville.lots.models import Lot
    from centreville.lots.services import _fill_copies
    from centreville.search.text import normalise
    from centreville.towns.models import Town

    town, _created = Town.objects.get_or_create(
        slug=TOWN_SLUG,
        defaults={
            "name": "Lots-sur-Bench",
            "insee_code": "99903",
            "postcodes": ["99903"],
            "latitude": Decimal("47.390000"),
            "longitude": Decimal("0.690000"),
        },
    )
    bench_producers = Enterprise.objects.filter(slug__startswith="lots-bench-")
    if (
        bench_producers.count() == producers
        and Lot.objects.filter(enterprise__slug__startswith="lots-bench-").count() == producers * per_producer
        and SpaceProducer.objects.filter(town=town).count() == producers
    ):
        return town, False
    rng = random.Random(f"lots/{seed}/{producers}/{per_producer}")
    with transaction.atomic():
        Lot.objects.filter(enterprise__slug__startswith="lots-bench-").delete()
        SpaceProducer.objects.filter(town=town).delete()
        bench_producers.delete()
        categories = [
            ProductCategory.objects.get_or_create(slug=slug, defaults={"name": name})[0]
            for name, slug in CATEGORIES
        ]
        farms = Enterprise.objects.bulk_create(
            (
                Enterprise(
                    name=f"Ferme {index:05d}",
                    slug=f"lots-bench-{index:05d}",
                    is_producer=True,
                    siret="73282932000074",
                    legal_form="earl",
                    vat_regime="flat_rate_farmer",
                    street_address="Le Bourg",
                    postcode="99903",
                    city="Bench",
                    latitude=Decimal(f"{rng.uniform(SOUTH, NORTH):.6f}"),
                    longitude=Decimal(f"{rng.uniform(WEST, EAST):.6f}"),
                    email=f"ferme{index}@bench.example",
                    labels=["ab"] if rng.random() < 0.2 else [],
                    service_radius_km=rng.choice((20, 30, 50, 80)),
                )
                for index in range(producers)
            ),
            batch_size=2000,
        )
        PickupPlace.objects.bulk_create(
            (
                PickupPlace(
                    enterprise=farm,
                    name="À la ferme",
                    street_address="Le Bourg",
                    postcode="99903",
                    city="Bench",
                    opening_hours="Tu,Fr 17:00-19:00; Sa 09:00-12:00",
                )
                for farm in farms
            ),
            batch_size=2000,
        )
        SpaceProducer.objects.bulk_create(
            (SpaceProducer(town=town, enterprise=farm) for farm in farms), batch_size=5000
        )
        pending: list[Lot] = []
        for farm in farms:
            for number in range(per_producer):
                title = f"{PRODUCTS[(farm.pk + number) % len(PRODUCTS)]} {number:02d}"
                category = categories[number % len(categories)]
                lot = Lot(
                    enterprise=farm,
                    category=category,
                    title=title,
                    unit="kg",
                    quantity_available=Decimal(rng.choice((0, 5, 20, 50, 120))),
                    minimum_quantity=Decimal("1"),
                    quantity_step=Decimal("1"),
                    unit_price=Decimal(f"{rng.uniform(0.8, 25):.2f}"),
                    vat_rate="5.5",
                    labels=[],
                    available_until=TODAY if rng.random() < 0.05 else None,
                )
                _fill_copies(lot, enterprise=farm, category_name=category.name, pickup_weekdays="145")
                assert normalise(lot.search_text) == lot.search_text
                pending.append(lot)
            if len(pending) >= 10000:
                Lot.objects.bulk_create(pending, batch_size=5000)
                pending = []
        Lot.objects.bulk_create(pending, batch_size=5000)
    return town, True


def analyze() -> None:
    """What autovacuum does a little after a bulk load: the plans are made from fresh statistics."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE lots_lot, enterprises_enterprise, enterprises_spaceproducer")


def explain(space: Any) -> str:
    """PostgreSQL's plan of the query of a first page of results, around the first place."""
    from django.db import connection

    from centreville.lots.around import AroundFilters, Place, candidates_query

    if connection.vendor != "postgresql":
        return ""
    place = Place("bench", Decimal(str(PLACES[0][0])), Decimal(str(PLACES[0][1])))
    return candidates_query(place=place, filters=AroundFilters(), today=TODAY).explain(analyze=True)


def last_line(*, db: str, lots: int, p95_ms: float) -> str:
    return f"bench=lots_search db={db} lots={lots} p95_ms={p95_ms:.1f} target_ms={TARGET_MS}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from bench.run import setup_django_on

    if not setup_django_on(args.db, args.postgres_url, Path(tempfile.mkdtemp()) / "lots.sqlite3"):
        return 2
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    call_command("migrate", interactive=False, verbosity=0)
    from centreville.lots.around import AroundFilters, Place, lots_around
    from centreville.towns.selectors import space_by_slug

    started = time.perf_counter()
    _town, rebuilt = generate(producers=args.producers, per_producer=args.lots_per_producer, seed=args.seed)
    analyze()
    lots = args.producers * args.lots_per_producer
    print(
        f"{'generated' if rebuilt else 'kept'} {lots} lots in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    space = space_by_slug(TOWN_SLUG)
    plan = explain(space)
    if plan:
        print(plan, flush=True)
    timings, found = [], []
    for index in range(args.warmup + args.requests):
        search = dict(SEARCHES[index % len(SEARCHES)])
        latitude, longitude = PLACES[(index // len(SEARCHES)) % len(PLACES)]
        page = search.pop("page", 1)
        begun = time.perf_counter()
        result = lots_around(
            place=Place("bench", Decimal(str(latitude)), Decimal(str(longitude))),
            filters=AroundFilters(**search),
            space=space,
            today=TODAY,
            page_number=page,
        )
        elapsed = (time.perf_counter() - begun) * 1000
        if index >= args.warmup:
            timings.append(elapsed)
            found.append(result.page.paginator.count)
    p95 = percentile(timings, 0.95)
    print(
        f"{len(timings)} searches ({len(SEARCHES)} kinds, {len(PLACES)} places), "
        f"{statistics.median(found):.0f} lots found (median): p50 {statistics.median(timings):.1f} ms, "
        f"p95 {p95:.1f} ms, max {max(timings):.1f} ms",
        flush=True,
    )
    print(last_line(db=args.db, lots=lots, p95_ms=p95))
    return 0 if p95 <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
