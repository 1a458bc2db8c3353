"""The agenda page of a town of 5,000 events and shops' offers (weekly markets, recurring offers, one-off
events), uncached.

    python -m bench.agenda [--db postgresql|sqlite] [--events 5000] [--shops 150] [--requests 60]
        [--warmup 5] [--seed 0] [--postgres-url URL]

Generates the town in a database of its own (bulk, kept when the same data is already there; drawn from the
seed around a fixed month), its events' dates expanded as `agenda.recurrence` expands them (up to the horizon
for the rules that never end), then asks for `/<town>/agenda/` with that month and a rotation of filters
(everything, the shops' offers, one audience, one accessibility code, a week, a second page) `--warmup`
times, then `--requests` times, measured, through Django's test client as an anonymous visitor. A page with
parameters is never served from the page cache: each request reads the dates. The last line reads
`bench=agenda db=… events=5000 p95_ms=… target_ms=150`; the exit status is 1 above the target.
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
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.vacancy import measure, percentile

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/centreville_agenda_bench"
TARGET_MS = 150
TOWN_SLUG = "agenda-bench"
PARIS = ZoneInfo("Europe/Paris")
# The month the page shows; the data spreads over the year around it.
MONTH = "2026-12"
YEAR_START = datetime(2026, 6, 1, tzinfo=UTC)
WRITTEN_AT = datetime(2026, 6, 1, tzinfo=UTC)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
TOWN_KINDS = ("market", "festival", "concert", "exhibition", "other")
OFFER_KINDS = ("braderie", "late_opening", "promotion", "tasting", "workshop")
AUDIENCES = ("everyone", "family", "children", "teens", "seniors")
ACCESS = ("hi", "vi", "pi", "mi", "ii")
PATHS = (
    f"?mois={MONTH}",
    f"?mois={MONTH}&type=commerces",
    f"?mois={MONTH}&public=children",
    f"?mois={MONTH}&accessibilite=mi&type=ville",
    "?semaine=2026-W51",
    f"?mois={MONTH}&page=2",
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.agenda", description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--shops", type=int, default=150)
    parser.add_argument("--requests", type=int, default=60, help="measured requests (50 at least)")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_AGENDA_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="PostgreSQL database of this benchmark (env BENCH_AGENDA_POSTGRES_URL); created if missing",
    )
    args = parser.parse_args(argv)
    if args.events < 10 or args.shops < 1 or args.requests < 1 or args.warmup < 0:
        parser.error("at least 10 events and one shop; requests positive, warm-up not negative")
    return args


def planned_events(town: Any, shops: list[Any], count: int, seed: int) -> list[Any]:
    """The town's events, unsaved, drawn from the seed: 1 % weekly markets and events that never end, 30 %
    shops' offers repeating weekly a few weeks, the rest one-off events and offers over the year."""
    from centreville.agenda.models import Event

    rng = random.Random(f"agenda/{seed}/{count}")
    events = []
    for index in range(count):
        draw = rng.random()
        day = YEAR_START + timedelta(days=rng.randint(0, 364))
        local = datetime(day.year, day.month, day.day, rng.choice((8, 10, 14, 18, 20)), 0, tzinfo=PARIS)
        shop = rng.choice(shops) if draw >= 0.01 and rng.random() < 0.6 else None
        fields: dict[str, Any] = {
            "town": town,
            "shop": shop,
            "kind": rng.choice(OFFER_KINDS if shop else TOWN_KINDS),
            "title": f"{'Offre' if shop else 'Événement'} {index:05d}",
            "description": "Un moment du centre-ville, pour le banc d'essai de l'agenda.",
            "place_kind": "shop" if shop else rng.choice(("venue", "centre")),
            "venue_name": "" if shop else "Place du Marché",
            "starts_at": local,
            "ends_at": local + timedelta(hours=rng.choice((2, 3, 5))),
            "audiences": rng.sample(AUDIENCES, rng.randint(0, 2)),
            "accessibility": rng.sample(ACCESS, rng.randint(0, 2)),
            "is_free": rng.random() < 0.7,
        }
        if not fields["is_free"]:
            fields["price"] = Decimal(rng.randint(2, 30))
        if draw < 0.01:
            fields.update(
                kind="market", title=f"Marché {index:05d}", rrule=f"FREQ=WEEKLY;BYDAY={WEEKDAYS[index % 7]}"
            )
            fields["starts_at"] = datetime(2026, 6, 1 + index % 7, 8, 0, tzinfo=PARIS)
            fields["ends_at"] = fields["starts_at"] + timedelta(hours=5)
        elif draw < 0.31:
            fields["rrule"] = f"FREQ=WEEKLY;COUNT={rng.randint(4, 16)}"
        events.append(Event(**fields))
    return events


def generate(*, events: int, shops: int, seed: int) -> tuple[Any, int, bool]:
    """The bench town holds exactly the planned events and their dates: (town, dates, whether rebuilt)."""
    from django.db import transaction

    from centreville.agenda.models import Event, Occurrence
    from centreville.agenda.recurrence import occurrences_between, rule_ends
    from centreville.shops.models import Shop, ShopStatus, TradeCategory
    from centreville.towns.models import Town

    town, _created = Town.objects.get_or_create(
        slug=TOWN_SLUG,
        defaults={
            "name": "Agenda-sur-Bench",
            "insee_code": "99902",
            "postcodes": ["99900"],
            "latitude": Decimal("48.744500"),
            "longitude": Decimal("-0.020300"),
        },
    )
    found = (Shop.objects.filter(town=town).count(), Event.objects.filter(town=town).count())
    if found == (shops, events) and Occurrence.objects.filter(town=town).exists():
        return town, Occurrence.objects.filter(town=town).count(), False
    category, _created = TradeCategory.objects.get_or_create(
        slug="bench-agenda", defaults={"name": "Banc d'essai de l'agenda"}
    )
    horizon = WRITTEN_AT + timedelta(days=400)
    with transaction.atomic():
        Occurrence.objects.filter(town=town).delete()
        Event.objects.filter(town=town).delete()
        Shop.objects.filter(town=town).delete()
        shop_rows = Shop.objects.bulk_create(
            Shop(
                town=town,
                name=f"Commerce {index:04d}",
                slug=f"commerce-{index:04d}",
                category=category,
                street_address=f"{index + 1} rue du Bench",
                postcode="99900",
                city="Agenda-sur-Bench",
                status=ShopStatus.PUBLISHED,
            )
            for index in range(shops)
        )
        planned = planned_events(town, shop_rows, events, seed)
        dates = []
        for event in planned:
            ends = rule_ends(event)
            found_dates = occurrences_between(
                event,
                start=datetime(1970, 1, 1, tzinfo=UTC),
                end=datetime(9000, 1, 1, tzinfo=UTC) if ends else horizon,
            )
            event.last_ends_at = max(end for _start, end in found_dates) if ends else None
            dates.append(found_dates)
        created = Event.objects.bulk_create(planned, batch_size=1000)
        # A third of the shops' one-off offers take part in a town event of the same day, if there is one.
        by_day: dict[Any, int] = {}
        for event in created:
            if event.shop_id is None and not event.rrule:
                by_day.setdefault(event.starts_at.date(), event.pk)
        parents = []
        for event in created:
            parent = by_day.get(event.starts_at.date())
            if event.shop_id is not None and not event.rrule and parent and event.pk % 3 == 0:
                event.parent_id = parent
                parents.append(event)
        Event.objects.bulk_update(parents, ["parent"], batch_size=1000)
        Occurrence.objects.bulk_create(
            (
                Occurrence(event=event, town=town, starts_at=start, ends_at=end)
                for event, found_dates in zip(created, dates, strict=True)
                for start, end in found_dates
            ),
            batch_size=5000,
        )
    return town, Occurrence.objects.filter(town=town).count(), True


def analyze() -> None:
    """What autovacuum does a little after a bulk load: the plans are made from fresh statistics."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE agenda_event, agenda_occurrence, shops_shop")


def last_line(*, db: str, events: int, p95_ms: float) -> str:
    return f"bench=agenda db={db} events={events} p95_ms={p95_ms:.1f} target_ms={TARGET_MS}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from bench.run import setup_django_on

    if not setup_django_on(args.db, args.postgres_url, Path(tempfile.mkdtemp()) / "agenda.sqlite3"):
        return 2
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    warnings.filterwarnings("ignore", message="No directory at")  # no collected static files: not needed
    settings.DEBUG = False  # no query log: measure the page, not the debugging
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    town, dates, rebuilt = generate(events=args.events, shops=args.shops, seed=args.seed)
    analyze()
    print(
        f"{'generated' if rebuilt else 'kept'} {args.events} events and offers, {dates} dates, "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    client = Client(HTTP_HOST="127.0.0.1")
    base = reverse("agenda_public:agenda", args=[town.slug])
    measure(client, base + PATHS[0], warmup=args.warmup, requests=0)
    timings = [
        elapsed
        for index in range(args.requests)
        for elapsed in measure(client, base + PATHS[index % len(PATHS)], warmup=0, requests=1)
    ]
    p95 = percentile(timings, 0.95)
    print(
        f"{len(timings)} requests of {base} ({len(PATHS)} kinds): p50 {statistics.median(timings):.1f} ms, "
        f"p95 {p95:.1f} ms, max {max(timings):.1f} ms",
        flush=True,
    )
    print(last_line(db=args.db, events=args.events, p95_ms=p95))
    return 0 if p95 <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
