"""The demo town's car parks (Argentan): two car parks near the centre, a few hours of readings from a
replayed NGSI-v2 feed, so that the pages show live data, a trend and the time of the data, and the three
weeks before as hourly history, so that pages can say what is usual (the market square's car park is full
on market mornings, Tuesday and Friday)."""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from centreville.towns.models import Town

from .live import IngestSummary, store_snapshot
from .models import CarPark, DisabledFare, Reading, Resolution, StructureType, UserType
from .parsers import parse_feed
from .states import state_of

# Readings every 5 minutes over these hours, up to `at`; hourly history over the weeks before.
HOURS_REPLAYED = 4
STEP = timedelta(minutes=5)
WEEKS_OF_HISTORY = 3
MARKET_DAYS = (1, 4)  # Tuesday, Friday

CAR_PARKS = (
    {
        "number": 1,
        "feed_ref": "urn:ngsi-ld:OffStreetParking:argentan-marche",
        "name": "Parking de la Place du Marché",
        "address": "Place du Marché, 61200 Argentan",
        "latitude": Decimal("48.744780"),
        "longitude": Decimal("-0.020950"),
        "capacity": 120,
        "disabled_spaces": 4,
        "ev_spaces": 2,
        "bike_spaces": 10,
        "is_free": False,
        "price_1h": Decimal("0.80"),
        "price_2h": Decimal("1.60"),
        "price_3h": Decimal("2.40"),
        "price_4h": Decimal("3.20"),
        "structure_type": StructureType.SURFACE,
        "opening_hours": "24/7",
        "info": (
            "Gratuit le samedi après-midi et le dimanche. Marché le mardi matin : parking fermé jusqu'à 14 h."
        ),
        "max_height_cm": None,
    },
    {
        "number": 2,
        "feed_ref": "urn:ngsi-ld:OffStreetParking:argentan-saint-germain",
        "name": "Parking Saint-Germain",
        "address": "Rue Saint-Germain, 61200 Argentan",
        "latitude": Decimal("48.743650"),
        "longitude": Decimal("-0.019120"),
        "capacity": 65,
        "disabled_spaces": 3,
        "ev_spaces": 4,
        "bike_spaces": 6,
        "is_free": True,
        "structure_type": StructureType.SURFACE,
        "opening_hours": "Mo-Sa 07:00-20:00",
        "info": "Zone bleue : disque obligatoire, 1 h 30 en semaine.",
        "max_height_cm": 210,
    },
)
DEMO_SIRET = "21610006400017"  # the town's own establishment manages them


def _free_at(capacity: int, moment: datetime, phase: float) -> int:
    """A day on the town's clock: the car parks fill up from 7:00, are fullest early afternoon, empty in the
    evening; with a little wave."""
    hour = moment.hour + moment.minute / 60
    taken = 0.45 + 0.4 * math.sin((hour - 7) / 10 * math.pi) + 0.05 * math.sin(hour * 3 + phase)
    if phase == 0 and moment.weekday() in MARKET_DAYS and 8 <= hour < 13:
        taken = 0.98  # the market square's car park on market mornings
    return max(0, min(capacity, round(capacity * (1 - max(0.0, min(1.0, taken))))))


def ngsi_snapshot(car_parks: list[CarPark], moment: datetime, tz_name: str = "Europe/Paris") -> bytes:
    """One NGSI-v2 answer (normalized form) for these car parks at `moment`, as a broker would give it."""
    entities = []
    for index, car_park in enumerate(car_parks):
        free = _free_at(car_park.capacity, moment.astimezone(ZoneInfo(tz_name)), phase=index)
        stamp = {"timestamp": {"type": "DateTime", "value": moment.isoformat()}}
        entities.append(
            {
                "id": car_park.feed_ref,
                "type": "OffStreetParking",
                "name": {"type": "Text", "value": car_park.name},
                "availableSpotNumber": {"type": "Number", "value": free, "metadata": stamp},
                "totalSpotNumber": {"type": "Number", "value": car_park.capacity},
                "status": {
                    "type": "Text",
                    "value": "almostFull" if free < car_park.capacity * 0.1 else "open",
                },
                "location": {
                    "type": "geo:json",
                    "value": {
                        "type": "Point",
                        "coordinates": [float(car_park.longitude), float(car_park.latitude)],
                    },
                },
            }
        )
    return json.dumps(entities).encode()


def demo_parking(town: Town, at: datetime) -> list[CarPark]:
    """Create (or update) the demo town's two car parks and replay a few hours of feed up to `at`."""
    with transaction.atomic():
        car_parks = []
        for spec in CAR_PARKS:
            values = {key: value for key, value in spec.items() if key != "number"}
            car_park, _created = CarPark.objects.update_or_create(
                ref=f"{town.insee_code}-P-{spec['number']:03d}",
                defaults={
                    **values,
                    "town": town,
                    "user_type": UserType.ALL,
                    "operator_siret": DEMO_SIRET,
                    "disabled_fare": DisabledFare.FREE,
                },
            )
            car_parks.append(car_park)
        _load_history(town, car_parks, until=at - timedelta(hours=HOURS_REPLAYED))
        moment = at - timedelta(hours=HOURS_REPLAYED)
        while moment <= at:
            parsed = parse_feed("ngsi-v2", ngsi_snapshot(car_parks, moment, town.timezone))
            store_snapshot(town_id=town.pk, parsed=parsed, at=moment)
            moment += STEP
    for car_park in car_parks:
        car_park.refresh_from_db()
    return car_parks


def demo_parking_tick(town: Town, *, at: datetime) -> IngestSummary:
    """One reading of the demo feed at `at` for the town's demo car parks, so that a demo served for hours
    keeps current figures (the `demo_live` command calls it every few minutes)."""
    car_parks = list(CarPark.objects.filter(town=town, operator_siret=DEMO_SIRET).order_by("ref"))
    if not car_parks:
        return IngestSummary()
    parsed = parse_feed("ngsi-v2", ngsi_snapshot(car_parks, at, town.timezone))
    return store_snapshot(town_id=town.pk, parsed=parsed, at=at)


def _load_history(town: Town, car_parks: list[CarPark], *, until: datetime) -> None:
    """Hourly rows (as the downsampling writes them) over the weeks before `until`, rewritten each load."""
    start = (until - timedelta(weeks=WEEKS_OF_HISTORY)).replace(minute=0, second=0, microsecond=0)
    Reading.objects.filter(car_park__in=car_parks, observed_at__gte=start, observed_at__lt=until).delete()
    zone = ZoneInfo(town.timezone)
    rows = []
    hour = start
    while hour < until - timedelta(hours=1):
        local = hour.astimezone(zone)
        for index, car_park in enumerate(car_parks):
            free = _free_at(car_park.capacity, local, phase=index)
            rows.append(
                Reading(
                    town=town,
                    car_park=car_park,
                    observed_at=hour,
                    free=free,
                    free_min=free,
                    capacity=car_park.capacity,
                    state=state_of(None, free, car_park.capacity),
                    resolution=Resolution.HOUR,
                    samples=12,
                )
            )
        hour += timedelta(hours=1)
    Reading.objects.bulk_create(rows, batch_size=1000)
