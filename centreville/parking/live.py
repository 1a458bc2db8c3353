"""Readings of free spaces kept: a feed's snapshot matched with the town's car parks, checked, written in
one transaction (bulk), and each car park's latest reading copied onto it for the pages.

A reading is refused, with a French reason, when its car park is unknown, when it has more free spaces than
the car park has spaces (or fewer than none), when it is dated in the future (beyond `FUTURE_TOLERANCE`),
or when that car park already has a reading at that moment. A reading older than `STALE_AFTER` is kept (it
is history) but counted as stale, and pages show its time rather than present it as current.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from .models import CarPark, Reading
from .parsers import FeedReading, ParseResult, Rejection
from .states import State, state_of

STALE_AFTER = timedelta(minutes=15)
# Clocks of feeds and of this server differ by a little: beyond this a reading is « in the future ».
FUTURE_TOLERANCE = timedelta(minutes=2)


def is_stale(observed_at: datetime | None, *, at: datetime) -> bool:
    """Whether a reading of that time is too old at `at` to be shown as current (none at all is stale)."""
    return observed_at is None or at - observed_at > STALE_AFTER


@dataclass
class IngestSummary:
    car_parks: int = 0  # car parks with an accepted reading in this snapshot
    readings: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    stale: int = 0
    free_total: int = 0
    capacity_total: int = 0

    def line(self) -> str:
        return (
            f"parking car_parks={self.car_parks} readings={self.readings} rejected={len(self.rejected)} "
            f"stale={self.stale} free_total={self.free_total} capacity_total={self.capacity_total}"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "car_parks": self.car_parks,
            "readings": self.readings,
            "rejected": len(self.rejected),
            "stale": self.stale,
            "reasons": [f"{item.ref} : {item.reason}" for item in self.rejected[:20]],
        }


def _car_parks_by_feed_ref(town_id: int) -> dict[str, CarPark]:
    """The town's car parks by the identifier a feed gives them: their feed identifier, else their national
    one (a feed that uses the national identifiers needs no setting)."""
    found: dict[str, CarPark] = {}
    car_parks = CarPark.objects.filter(town_id=town_id).only(
        "pk", "ref", "feed_ref", "capacity", "live_observed_at", "town_id"
    )
    for car_park in car_parks:
        found.setdefault(car_park.ref, car_park)
    for car_park in car_parks:
        if car_park.feed_ref:
            found[car_park.feed_ref] = car_park
    return found


def store_snapshot(*, town_id: int, parsed: ParseResult, at: datetime) -> IngestSummary:
    """Keep the snapshot's acceptable readings for the town's car parks; `at` is the time it was read."""
    summary = IngestSummary(rejected=list(parsed.rejected))
    car_parks = _car_parks_by_feed_ref(town_id)
    accepted: list[tuple[CarPark, FeedReading, int]] = []
    seen: set[tuple[int, datetime]] = set()
    for item in parsed.readings:
        car_park = car_parks.get(item.ref)
        if car_park is None:
            summary.rejected.append(Rejection(item.ref, _("aucun parking de la commune n'a cet identifiant")))
            continue
        capacity = item.capacity if item.capacity is not None else car_park.capacity
        if item.free > capacity:
            summary.rejected.append(
                Rejection(
                    item.ref,
                    _("plus de places libres (%(free)s) que de places (%(capacity)s)")
                    % {"free": item.free, "capacity": capacity},
                )
            )
            continue
        if item.observed_at - at > FUTURE_TOLERANCE:
            summary.rejected.append(
                Rejection(
                    item.ref,
                    _("relevé daté du futur (%(time)s)") % {"time": item.observed_at.isoformat()},
                )
            )
            continue
        key = (car_park.pk, item.observed_at)
        if key in seen:
            summary.rejected.append(Rejection(item.ref, _("relevé en double dans le flux")))
            continue
        seen.add(key)
        accepted.append((car_park, item, capacity))
    if accepted:
        stored = set(
            Reading.objects.filter(
                car_park_id__in={car_park.pk for car_park, _item, _capacity in accepted},
                observed_at__in={item.observed_at for _car_park, item, _capacity in accepted},
            ).values_list("car_park_id", "observed_at")
        )
        kept = []
        for car_park, item, capacity in accepted:
            if (car_park.pk, item.observed_at) in stored:
                summary.rejected.append(Rejection(item.ref, _("relevé déjà reçu (même parking, même heure)")))
            else:
                kept.append((car_park, item, capacity))
        accepted = kept
    rows = [
        Reading(
            town_id=town_id,
            car_park_id=car_park.pk,
            observed_at=item.observed_at,
            free=item.free,
            capacity=capacity,
            state=state_of(item.said, item.free, capacity),
        )
        for car_park, item, capacity in accepted
    ]
    latest: dict[int, tuple[CarPark, Reading]] = {}
    for (car_park, _item, _capacity), row in zip(accepted, rows, strict=True):
        current = latest.get(car_park.pk)
        if current is None or row.observed_at > current[1].observed_at:
            latest[car_park.pk] = (car_park, row)
    changed = []
    for car_park, row in latest.values():
        if car_park.live_observed_at is None or row.observed_at > car_park.live_observed_at:
            car_park.live_free, car_park.live_capacity = row.free, row.capacity
            car_park.live_state, car_park.live_observed_at = row.state, row.observed_at
            changed.append(car_park)
    with transaction.atomic():
        Reading.objects.bulk_create(rows, batch_size=2000)
        CarPark.objects.bulk_update(
            changed, ["live_free", "live_capacity", "live_state", "live_observed_at"], batch_size=1000
        )
    summary.readings = len(rows)
    summary.car_parks = len(latest)
    summary.stale = sum(1 for row in rows if is_stale(row.observed_at, at=at))
    for _car_park, row in latest.values():
        if row.state != State.CLOSED and row.state != State.NO_DATA:
            summary.free_total += row.free
            summary.capacity_total += row.capacity
    return summary
