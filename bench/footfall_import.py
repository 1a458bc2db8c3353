"""How long an import of five years of hourly footfall counts takes, from vendor files to stored totals.

    python -m bench.footfall_import [--counters 20] [--years 5] [--per-file 5] [--postgres-url URL]

Writes vendor exports in wide form (`vendor_files()`: one column per counter, files of `--per-file`
counters in the formats vendors use: French dates with `;` in UTF-8 with a BOM, ISO dates with `,`,
Windows-1252, US dates), then imports them on a PostgreSQL database of its own, emptied first, with the
same code as `manage.py import_counts`, totals included. 20 counters × 5 years hourly is 876,000 counts.
The last line reads
`bench=footfall_import db=postgresql rows=876000 seconds=… rows_per_s=… target_seconds=30`.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.run import setup_django_on

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/centreville_bench_footfall"
TARGET_SECONDS = 30
FIRST_DAY = date(2019, 1, 1)
PARIS = ZoneInfo("Europe/Paris")
# Passages per hour of the day on a weekday, for a busy shopping street (one direction).
HOURLY_PROFILE = (
    4,
    2,
    1,
    1,
    1,
    3,
    10,
    30,
    60,
    90,
    130,
    160,
    170,
    150,
    140,
    160,
    180,
    190,
    160,
    110,
    60,
    35,
    20,
    10,
)
WEEKDAY_FACTOR = (0.9, 1.0, 1.0, 1.05, 1.1, 1.5, 0.5)  # Monday to Sunday; Saturday busiest


@dataclass(frozen=True)
class FileStyle:
    """How one vendor writes its exports."""

    delimiter: str
    encoding: str
    bom: bool
    stamp: str  # strftime pattern of the date column


STYLES = (
    FileStyle(";", "utf-8", True, "%d/%m/%Y %H:%M"),
    FileStyle(",", "utf-8", False, "%Y-%m-%d %H:%M:%S"),
    FileStyle(";", "cp1252", False, "%d/%m/%Y %H:%M"),
    FileStyle(",", "utf-8", False, "%b %-d, %Y %-I:%M %p"),
)


def hourly_instants(first_day: date, hours: int) -> Iterator[datetime]:
    """`hours` consecutive hours from the town's midnight of `first_day`, as local times (the skipped March
    hour absent, the repeated October hour twice, as vendors write them)."""
    start = datetime(first_day.year, first_day.month, first_day.day, tzinfo=PARIS).astimezone(UTC)
    for hour in range(hours):
        yield (start + timedelta(hours=hour)).astimezone(PARIS)


def hourly_count(moment: datetime, level: float, rng: random.Random) -> int:
    """A plausible count for one hour: time of day, day of week, season, and some noise."""
    season = 1.0 + 0.15 * math.cos((moment.timetuple().tm_yday - 200) / 365 * 2 * math.pi)
    mean = HOURLY_PROFILE[moment.hour] * WEEKDAY_FACTOR[moment.weekday()] * season * level
    return max(0, int(rng.gauss(mean, math.sqrt(mean + 1))))


def vendor_files(
    folder: Path,
    *,
    counters: int = 20,
    days: int = 5 * 365,
    per_file: int = 5,
    seed: int = 0,
    first_day: date = FIRST_DAY,
) -> list[Path]:
    """Write vendor exports of `counters` counters, `days` days of hourly counts each from `first_day`,
    `per_file` counters a file; returns their paths. Deterministic for a seed (the dashboard benchmark loads
    the same data, up to its day, with `run_import`)."""
    rng = random.Random(seed)
    hours = days * 24
    moments = list(hourly_instants(first_day, hours))
    paths = []
    for first in range(0, counters, per_file):
        numbers = range(first, min(counters, first + per_file))
        style = STYLES[(first // per_file) % len(STYLES)]
        levels = [0.5 + rng.random() * 1.5 for _ in numbers]
        header = style.delimiter.join(["Date", *(f"Compteur {number + 1:02d}" for number in numbers)])
        lines = [header]
        quote = '"' if style.delimiter in moments[0].strftime(style.stamp) else ""
        for moment in moments:
            stamp = moment.strftime(style.stamp)
            cells = [str(hourly_count(moment, level, rng)) for level in levels]
            lines.append(style.delimiter.join([f"{quote}{stamp}{quote}", *cells]))
        path = folder / f"compteurs-{first // per_file + 1:02d}.csv"
        data = ("\r\n".join(lines) + "\r\n").encode(style.encoding)
        path.write_bytes((b"\xef\xbb\xbf" if style.bom else b"") + data)
        paths.append(path)
    return paths


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.footfall_import", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--counters", type=int, default=20)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--per-file", type=int, default=5)
    parser.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_FOOTFALL_POSTGRES_URL", DEFAULT_URL))
    return parser.parse_args(argv)


def run_import(town_slug: str, paths: list[Path]) -> tuple[str, float]:
    """Import the files as `manage.py import_counts` does; returns its last line and the seconds taken."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    started = time.perf_counter()
    call_command("import_counts", town_slug, *map(str, paths), stdout=out, stderr=StringIO())
    seconds = time.perf_counter() - started
    return out.getvalue().splitlines()[-1], seconds


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="footfall-bench-"))
    if not setup_django_on(args.db, args.postgres_url, workdir / "footfall.sqlite3"):
        return 2

    from django.core.management import call_command

    from centreville.towns.tests.factories import TownFactory

    call_command("migrate", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)  # its own database: start empty every run
    town = TownFactory.create(name="Argentan", slug="argentan", insee_code="61006")
    generated = time.perf_counter()
    paths = vendor_files(workdir, counters=args.counters, days=args.years * 365, per_file=args.per_file)
    print(f"generated {len(paths)} files in {time.perf_counter() - generated:.1f} s", flush=True)
    summary, seconds = run_import(town.slug, paths)
    print(summary)
    rows = int(summary.split("rows=")[1].split()[0])
    print(
        f"bench=footfall_import db={args.db} rows={rows} seconds={seconds:.1f} "
        f"rows_per_s={rows / seconds:.0f} target_seconds={TARGET_SECONDS}"
    )
    for path in paths:
        path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
