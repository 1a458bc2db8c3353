"""Observatory benchmark: the town dashboard, the platform's activity page and the monthly report of a town
with years of counts, uncached.

    python -m bench.dashboard [--db postgresql|sqlite] [--shops 200] [--days 730] [--counters 20]
        [--footfall-years 5] [--units 2000] [--unit-years 10] [--requests 40] [--postgres-url URL]

Builds, in a database of its own emptied at each run, one town of `--shops` published shops (two products
each) with `--days` days of platform activity up to yesterday (the demo's generator: page views per shop and
product, QR scans, searches and those that found nothing, merchants' updates) and a Click & Collect order a
day; `--counters` street counters with `--footfall-years` years of hourly counts up to yesterday, imported
from vendor files by `import_counts` (the footfall import benchmark's files: 876,000 counts by default);
and `--units` commercial units with `--unit-years` years of occupancy history (the vacancy benchmark's).
Then, signed in as an elected official, times `--requests` GETs of the dashboard and of the activity page
over the year (the longest period), in this process through Django's whole request stack, after a
warm-up; and the making of a month's PDF report. The last line reads
`bench=dashboard db=… shops=… days=… count_rows=… footfall_rows=… units=… p50_ms=… p95_ms=…
activity_p95_ms=… report_ms=… target_ms=200`: p95_ms is the dashboard's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.run import setup_django_on
from bench.search import percentile

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/centreville_bench_dashboard"
TOWN = "bench-observatoire"
TARGET_MS = 200


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard", description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--shops", type=int, default=200)
    parser.add_argument("--days", type=int, default=730, help="days of activity up to yesterday")
    parser.add_argument("--counters", type=int, default=20, help="street counters (one channel each)")
    parser.add_argument("--footfall-years", type=int, default=5, help="years of hourly counts")
    parser.add_argument("--units", type=int, default=2000, help="commercial units")
    parser.add_argument("--unit-years", type=int, default=10, help="years of occupancy history")
    parser.add_argument("--requests", type=int, default=40, help="timed requests of each page")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_DASHBOARD_POSTGRES_URL", DEFAULT_URL))
    args = parser.parse_args(argv)
    if args.shops < 1 or args.days < 60 or args.requests < 1:
        parser.error("shops and requests must be positive, and days at least 60")
    if min(args.counters, args.footfall_years, args.units, args.unit_years) < 0:
        parser.error("counters, units and their years cannot be negative")
    return args


def build(shops: int, days: int, *, today: date, at: datetime) -> tuple[Any, Any, int]:
    """The bench town, its elected official and how many day counts it has."""
    from centreville.accounts.models import Role
    from centreville.accounts.tests.factories import TownRoleFactory
    from centreville.activity.models import DailyCount
    from centreville.catalogue.tests.factories import ProductFactory
    from centreville.demo.activity import demo_activity_load
    from centreville.fulfilment.tests.factories import order_for
    from centreville.orders.models import Order, OrderStatus
    from centreville.shops.tests.factories import ShopFactory
    from centreville.towns.tests.factories import TownFactory

    town = TownFactory.create(name="Bench-sur-Orne", slug=TOWN)
    made = ShopFactory.create_batch(shops, town=town)
    for shop in made:
        ProductFactory.create_batch(2, shop=shop)
    demo_activity_load([town], today=today, at=at, days=days, reports=0)  # the demo's generator
    orders = [
        order_for(made[n % shops], status=OrderStatus.COLLECTED if n % 3 else OrderStatus.PLACED)
        for n in range(days)
    ]
    for n, order in enumerate(orders):
        when = at - timedelta(days=days - n, hours=n % 9)
        Order.objects.filter(pk=order.pk).update(created_at=when)
    elected = TownRoleFactory.create(town=town, role=Role.ELECTED).user
    return town, elected, DailyCount.objects.filter(town=town).count()


def build_town_centre(
    town: Any, *, counters: int, footfall_years: int, units: int, unit_years: int, today: date
) -> int:
    """The town's street counters (their counts imported from vendor files up to yesterday) and units; returns
    how many counts were imported."""
    from bench.footfall_import import run_import, vendor_files
    from bench.vacancy import plan, write_units

    if units and unit_years:
        write_units(town, plan(units, unit_years, seed=0))
    if not (counters and footfall_years):
        return 0
    days = 365 * footfall_years
    with tempfile.TemporaryDirectory() as folder:
        paths = vendor_files(
            Path(folder), counters=counters, days=days, first_day=today - timedelta(days=days), per_file=5
        )
        summary, _seconds = run_import(town.slug, paths)
    return int(summary.split(" rows=")[1].split()[0])


def timed(get: Any, path: str, requests: int) -> list[float]:
    for _ in range(3):  # warm-up: templates, translations, connections
        assert get(path).status_code == 200, path
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, path
    return timings


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ["DJANGO_DEBUG"] = "false"
    if not setup_django_on(args.db, args.postgres_url, Path(tempfile.mkdtemp()) / "dashboard.sqlite3"):
        return 2

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    from bench.generate import migrate_if_needed
    from centreville.observatory.report import Month, monthly_report
    from centreville.observatory.report_pdf import monthly_report_pdf

    migrate_if_needed()
    call_command("flush", interactive=False, verbosity=0)  # its own database: start empty every run
    at = timezone.now()
    started = time.perf_counter()
    town, elected, rows = build(args.shops, args.days, today=timezone.localdate(), at=at)
    footfall_rows = build_town_centre(
        town,
        counters=args.counters,
        footfall_years=args.footfall_years,
        units=args.units,
        unit_years=args.unit_years,
        today=timezone.localdate(),
    )
    if connection.vendor == "postgresql":
        # As autovacuum leaves a table some time after a load: statistics and visibility map up to date.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    seconds = time.perf_counter() - started
    print(
        f"bench data: {args.shops} shops, {args.days} days, {rows} day counts, "
        f"{footfall_rows} street counts, {args.units} units in {seconds:.1f} s",
        flush=True,
    )

    # Static files by name (no collected manifest needed); the pages themselves are never cached.
    storages = {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, ALLOWED_HOSTS=["testserver"]):
        client = Client()
        client.force_login(elected)
        dashboard = timed(client.get, f"/{TOWN}/tableau-de-bord/?periode=annee", args.requests)
        activity = timed(client.get, f"/{TOWN}/tableau-de-bord/activite/?periode=annee", args.requests)
    reports = []
    month = Month.of(timezone.localdate()).previous()
    for _ in range(3):
        started = time.perf_counter()
        monthly_report_pdf(monthly_report(town, month=month, at=at))
        reports.append((time.perf_counter() - started) * 1000)
    p50, p95 = statistics.median(dashboard), percentile(dashboard, 0.95)
    print(
        f"bench=dashboard db={args.db} shops={args.shops} days={args.days} count_rows={rows} "
        f"footfall_rows={footfall_rows} units={args.units} p50_ms={p50:.1f} p95_ms={p95:.1f} "
        f"activity_p95_ms={percentile(activity, 0.95):.1f} report_ms={statistics.median(reports):.0f} "
        f"target_ms={TARGET_MS}",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
