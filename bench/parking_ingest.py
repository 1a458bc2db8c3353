"""How long one poll round of 1,000 car parks' live feeds takes, from NGSI-v2 snapshot files to stored
readings.

    python -m bench.parking_ingest [--car-parks 1000] [--feeds 10] [--db postgresql] [--postgres-url URL]

On a PostgreSQL database of its own, emptied first: a town with `--car-parks` car parks, `--feeds` NGSI-v2
feeds sharing them, and one snapshot file per feed (normalized entities, as a context broker answers). A
warm-up round, then the measured round: `parking.polling.poll_feeds`, the same code as the periodic task,
each feed read through httpx (a mock transport serving the files: nothing leaves the machine), parsed,
checked against the stored readings and written in bulk. The last line reads
`bench=parking_ingest db=postgresql car_parks=1000 readings_per_s=… seconds=… target_s=10`; the exit status
is 1 above the target.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.run import setup_django_on

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/centreville_bench_parking"
TARGET_S = 10
ROUND = datetime(2026, 5, 16, 10, 0, tzinfo=UTC)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.parking_ingest", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--car-parks", type=int, default=1000)
    parser.add_argument("--feeds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_PARKING_POSTGRES_URL", DEFAULT_URL))
    args = parser.parse_args(argv)
    if args.car_parks < 1 or not 1 <= args.feeds <= args.car_parks:
        parser.error("car parks must be positive, feeds between 1 and the car parks")
    return args


def snapshot(refs: list[tuple[str, int]], moment: datetime, rng: random.Random) -> bytes:
    """One NGSI-v2 answer (normalized entities) for these car parks (feed identifier, capacity)."""
    entities: list[dict[str, Any]] = []
    for ref, capacity in refs:
        free = rng.randint(0, capacity)
        observed = (moment - timedelta(seconds=rng.randint(0, 240))).isoformat()
        entities.append(
            {
                "id": ref,
                "type": "OffStreetParking",
                "availableSpotNumber": {
                    "type": "Number",
                    "value": free,
                    "metadata": {"timestamp": {"type": "DateTime", "value": observed}},
                },
                "totalSpotNumber": {"type": "Number", "value": capacity},
                "status": {"type": "Text", "value": "almostFull" if free < capacity // 10 else "open"},
            }
        )
    return json.dumps(entities).encode()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="parking-bench-"))
    if not setup_django_on(args.db, args.postgres_url, workdir / "parking.sqlite3"):
        return 2

    import httpx
    from django.core.management import call_command

    from centreville.parking.models import CarPark, Feed, FeedFormat, Reading
    from centreville.parking.polling import poll_feeds
    from centreville.towns.tests.factories import TownFactory

    call_command("migrate", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)  # its own database: start empty every run
    rng = random.Random(args.seed)
    town = TownFactory.create(name="Stationnement-sur-Bench", slug="parking-bench", insee_code="99903")
    car_parks = CarPark.objects.bulk_create(
        CarPark(
            town=town,
            ref=f"{town.insee_code}-P-{number:03d}"
            if number < 1000
            else f"99{number // 1000 + 3:03d}-P-{number % 1000:03d}",
            feed_ref=f"urn:ngsi-ld:OffStreetParking:bench-{number}",
            name=f"Parking {number}",
            capacity=rng.choice((40, 80, 120, 250, 400, 800)),
            latitude=48.74,
            longitude=-0.02,
        )
        for number in range(args.car_parks)
    )
    shares = [car_parks[index :: args.feeds] for index in range(args.feeds)]
    feeds = Feed.objects.bulk_create(
        Feed(
            town=town,
            name=f"Flux {index}",
            url=f"http://127.0.0.1/flux-{index}.json",
            format=FeedFormat.NGSI_V2,
        )
        for index in range(args.feeds)
    )
    files: dict[str, Path] = {}

    def write_round(moment: datetime) -> None:
        for feed, share in zip(feeds, shares, strict=True):
            path = workdir / f"{feed.pk}-{moment:%H%M}.json"
            path.write_bytes(
                snapshot([(car_park.feed_ref, car_park.capacity) for car_park in share], moment, rng)
            )
            files[httpx.URL(feed.url).path] = path

    def serve(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=files[request.url.path].read_bytes())

    transport = httpx.MockTransport(serve)
    warmup = ROUND - timedelta(minutes=5)
    write_round(warmup)
    poll_feeds(at=warmup, transport=transport)
    write_round(ROUND)

    started = time.perf_counter()
    summary = poll_feeds(at=ROUND, transport=transport)
    seconds = time.perf_counter() - started

    stored = Reading.objects.filter(observed_at__gt=warmup).count()
    print(f"round: feeds={summary.polled} succeeded={summary.succeeded} readings={summary.readings}", end=" ")
    print(f"stored={stored}")
    if summary.failed or summary.readings != args.car_parks:
        print(f"the round did not store every car park's reading: {summary}", file=sys.stderr)
        return 1
    print(
        f"bench=parking_ingest db={args.db} car_parks={args.car_parks} "
        f"readings_per_s={summary.readings / seconds:.0f} seconds={seconds:.2f} target_s={TARGET_S}"
    )
    return 0 if seconds <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
