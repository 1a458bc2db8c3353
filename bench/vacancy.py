"""The vacancy page of a town of 2,000 commercial units with ten years of occupancy history, uncached.

    python -m bench.vacancy [--db postgresql|sqlite] [--units 2000] [--years 10] [--requests 60]
        [--warmup 5] [--seed 0] [--postgres-url URL]

Generates the town in a database of its own (bulk, kept when the same data is already there: the history is
drawn from the seed, relative to a fixed day), signs a town manager in with Django's test client and asks for
`/<town>/gestion/locaux/vacance/?date=<that day>` `--warmup` times, then `--requests` times, measured. The
page is never cached: each request reads the history and computes every figure. The last line reads
`bench=vacancy db=… units=2000 years=10 p95_ms=… target_ms=200`; the exit status is 1 above the target.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from math import ceil
from pathlib import Path
from typing import Any

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/centreville_vacancy_bench"
TARGET_MS = 200
TOWN_SLUG = "vacance-bench"
REFERENCE = date(2026, 6, 30)  # the day the history is drawn back from, and the page's date
STREETS = 40
STATES = ("occupied", "vacant", "works", "reserved")
# What a unit becomes next, with weights: most stay occupied a long time; vacancy is often long too.
NEXT_STATE = {
    "occupied": (("vacant", 6), ("occupied", 3), ("works", 1)),
    "vacant": (("occupied", 5), ("works", 3), ("reserved", 2)),
    "works": (("occupied", 7), ("vacant", 3)),
    "reserved": (("occupied", 6), ("works", 3), ("vacant", 1)),
}
DAYS = {"occupied": (300, 2200), "vacant": (60, 900), "works": (30, 240), "reserved": (20, 150)}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.vacancy", description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--requests", type=int, default=60, help="measured requests (50 at least)")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_VACANCY_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="PostgreSQL database of this benchmark (env BENCH_VACANCY_POSTGRES_URL); created if missing",
    )
    args = parser.parse_args(argv)
    if args.units < 1 or args.years < 1 or args.requests < 1 or args.warmup < 0:
        parser.error("units, years and requests must be positive, warm-up not negative")
    return args


# --- The town and its history ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedUnit:
    reference: str
    street: str
    number: str
    surface: Decimal | None
    in_centre: bool
    latitude: Decimal
    longitude: Decimal
    periods: tuple[tuple[str, date, date | None], ...]


def plan(units: int, years: int, seed: int) -> list[PlannedUnit]:
    """Every unit and its history, drawn from the seed: the same arguments always give the same town."""
    rng = random.Random(f"vacancy/{seed}/{units}/{years}")
    span = 365 * years
    first_day = REFERENCE - timedelta(days=span)
    planned = []
    for index in range(units):
        street = f"rue du Bench {index % STREETS + 1}"
        # Most units are known from the first day; some were recorded (or built) later in the decade.
        start = first_day + timedelta(
            days=rng.randint(0, 60) if rng.random() < 0.85 else rng.randint(0, span - 30)
        )
        state = rng.choices(STATES, weights=(70, 18, 6, 6))[0]
        periods: list[tuple[str, date, date | None]] = []
        while True:
            low, high = DAYS[state]
            end = start + timedelta(days=rng.randint(low, high))
            if end >= REFERENCE:
                periods.append((state, start, None))
                break
            periods.append((state, start, end))
            start = end + timedelta(days=1)
            choices, weights = zip(*NEXT_STATE[state], strict=True)
            state = rng.choices(choices, weights=weights)[0]
        planned.append(
            PlannedUnit(
                reference=f"B-{index:05d}",
                street=street,
                number=str(index // STREETS + 1),
                surface=None if rng.random() < 0.05 else Decimal(rng.randint(150, 4000)) / 10,
                in_centre=rng.random() < 0.7,
                latitude=Decimal("48.744500") + Decimal(rng.randint(-4000, 4000)) / 1_000_000,
                longitude=Decimal("-0.020300") + Decimal(rng.randint(-6000, 6000)) / 1_000_000,
                periods=tuple(periods),
            )
        )
    return planned


def generate(*, units: int, years: int, seed: int) -> tuple[Any, int, bool]:
    """The bench town holds exactly the planned units and periods: (town, periods, whether it was rebuilt).
    Kept as is when the counts already match; otherwise emptied and written again in bulk."""
    from centreville.premises.models import CommercialUnit, Occupancy
    from centreville.towns.models import Town

    planned = plan(units, years, seed)
    period_count = sum(len(unit.periods) for unit in planned)
    town, _created = Town.objects.get_or_create(
        slug=TOWN_SLUG,
        defaults={
            "name": "Vacance-sur-Bench",
            "insee_code": "99901",
            "postcodes": ["99900"],
            "latitude": Decimal("48.744500"),
            "longitude": Decimal("-0.020300"),
        },
    )
    fingerprint = (units, period_count, f"B-{units - 1:05d}")
    found = (
        CommercialUnit.objects.filter(town=town).count(),
        Occupancy.objects.filter(town=town).count(),
        CommercialUnit.objects.filter(town=town)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first(),
    )
    if found == fingerprint:
        return town, period_count, False
    write_units(town, planned)
    return town, period_count, True


def write_units(town: Any, planned: list[PlannedUnit]) -> None:
    """The town's units are exactly the planned ones and their periods, written in bulk."""
    from django.db import transaction

    from centreville.premises.models import CommercialUnit, Occupancy
    from centreville.premises.streets import street_key

    with transaction.atomic():
        Occupancy.objects.filter(town=town).delete()
        CommercialUnit.objects.filter(town=town).delete()
        created = CommercialUnit.objects.bulk_create(
            [
                CommercialUnit(
                    town=town,
                    reference=unit.reference,
                    street=unit.street,
                    street_key=street_key(unit.street),
                    street_number=unit.number,
                    postcode="99900",
                    surface=unit.surface,
                    in_centre=unit.in_centre,
                    latitude=unit.latitude,
                    longitude=unit.longitude,
                )
                for unit in planned
            ],
            batch_size=1000,
        )
        Occupancy.objects.bulk_create(
            [
                Occupancy(
                    town=town,
                    unit=row,
                    state=state,
                    start=start,
                    end=end,
                    occupant_name=f"Commerce {row.reference}" if state == "occupied" else "",
                )
                for row, unit in zip(created, planned, strict=True)
                for state, start, end in unit.periods
            ],
            batch_size=2000,
        )


# --- Measuring ---------------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, ceil(share * len(ordered)) - 1)]


def signed_in_manager(town: Any) -> Any:
    """A test client signed in as the town's manager, asking as the local host."""
    from django.test import Client

    from centreville.accounts.models import Role, TownRole, User

    user, _created = User.objects.get_or_create(
        email="manager@vacance-bench.example", defaults={"is_active": True}
    )
    TownRole.objects.get_or_create(user=user, town=town, role=Role.MANAGER)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def measure(client: Any, path: str, *, warmup: int, requests: int) -> list[float]:
    """Milliseconds of each measured request, after the warm-up ones; every answer must be a 200."""
    timings = []
    for index in range(warmup + requests):
        started = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        if index >= warmup:
            timings.append(elapsed)
    return timings


def last_line(*, db: str, units: int, years: int, p95_ms: float) -> str:
    return f"bench=vacancy db={db} units={units} years={years} p95_ms={p95_ms:.1f} target_ms={TARGET_MS}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from bench.run import setup_django_on

    if not setup_django_on(args.db, args.postgres_url, Path(tempfile.mkdtemp()) / "vacancy.sqlite3"):
        return 2
    from django.conf import settings
    from django.core.management import call_command
    from django.urls import reverse

    warnings.filterwarnings("ignore", message="No directory at")  # no collected static files: not needed
    settings.DEBUG = False  # no query log: measure the page, not the debugging
    # Static files are named as they are in the source: no collectstatic manifest to build for a page timing.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    town, periods, rebuilt = generate(units=args.units, years=args.years, seed=args.seed)
    print(
        f"{'generated' if rebuilt else 'kept'} {args.units} units and {periods} periods "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    client = signed_in_manager(town)
    path = reverse("premises:vacancy", args=[town.slug]) + f"?date={REFERENCE.isoformat()}"
    timings = measure(client, path, warmup=args.warmup, requests=args.requests)
    p95 = percentile(timings, 0.95)
    print(
        f"{len(timings)} requests of {path}: p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
        f"max {max(timings):.1f} ms",
        flush=True,
    )
    print(last_line(db=args.db, units=args.units, years=args.years, p95_ms=p95))
    return 0 if p95 <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
