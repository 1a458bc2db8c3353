"""How long an OpenStreetMap import of a large town takes, from file to committed shops.

    python -m bench.import_osm [--features 10000] [--db sqlite|postgresql] [--postgres-url URL]

Writes an overpass-turbo GeoJSON of `--features` shops (a mix of nodes and building polygons, some with
odd hours, a few chains and unmapped trades, as real exports have) and runs `manage.py import_osm` on a
database of its own, emptied first. The last line reads `bench=import_osm features=10000 seconds=…`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path
from typing import Any

from bench.run import setup_django_on

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/centreville_bench_imports"
TRADES = [
    ("shop", "bakery"),
    ("shop", "books"),
    ("amenity", "cafe"),
    ("shop", "florist"),
    ("shop", "clothes"),
]
HOURS = ["Mo-Sa 09:00-19:00", "Tu-Sa 09:00-12:00 / 14:00-19:00", "Lu-Ve 9h-12h", "", "sur rendez-vous"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.import_osm", description=__doc__.splitlines()[0])
    parser.add_argument("--features", type=int, default=10_000)
    parser.add_argument("--db", choices=("postgresql", "sqlite"), default="sqlite")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_IMPORTS_POSTGRES_URL", DEFAULT_URL))
    return parser.parse_args(argv)


def feature(n: int) -> dict[str, Any]:
    key, value = TRADES[n % len(TRADES)]
    lon, lat = -0.03 + (n % 100) * 0.0002, 48.73 + (n // 100) * 0.0002
    properties: dict[str, Any] = {
        key: value,
        "name": f"Commerce {n}",
        "addr:housenumber": str(n % 150 + 1),
        "addr:street": f"Rue {n % 300}",
        "addr:postcode": "61200",
        "addr:city": "Argentan",
        "opening_hours": HOURS[n % len(HOURS)] or None,
        "phone": "+33 2 33 67 12 34" if n % 3 == 0 else None,
    }
    if n % 97 == 0:
        properties["brand"] = "Chaîne"
    if n % 89 == 0:
        properties["shop"] = "car_repair"
    geometry: dict[str, Any]
    if n % 2:
        geometry = {"type": "Point", "coordinates": [lon, lat]}
    else:
        ring = [
            [lon, lat],
            [lon + 0.0001, lat],
            [lon + 0.0001, lat + 0.0001],
            [lon, lat + 0.0001],
            [lon, lat],
        ]
        geometry = {"type": "Polygon", "coordinates": [ring]}
    osm_id = f"node/{n}" if n % 2 else f"way/{n}"
    return {
        "type": "Feature",
        "id": osm_id,
        "properties": {"@id": osm_id, **properties},
        "geometry": geometry,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp())
    if not setup_django_on(args.db, args.postgres_url, workdir / "imports.sqlite3"):
        return 2

    from django.core.management import call_command

    from centreville.shops.tests.import_fixtures import make_argentan

    call_command("migrate", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)  # its own database: start empty every run
    make_argentan()
    path = workdir / "export.geojson"
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": [feature(n) for n in range(args.features)]}),
        encoding="utf-8",
    )
    out = StringIO()
    started = time.perf_counter()
    call_command("import_osm", "argentan", str(path), stdout=out, stderr=StringIO())
    seconds = time.perf_counter() - started
    summary = out.getvalue().splitlines()[-1]
    print(summary)
    print(
        f"bench=import_osm features={args.features} seconds={seconds:.1f} db={args.db} "
        f"ms_per_feature={seconds * 1000 / max(1, args.features):.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
