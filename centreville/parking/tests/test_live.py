"""Keeping a feed's snapshot: matched with the town's car parks, checked against what is stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from centreville.parking.live import STALE_AFTER, is_stale, store_snapshot
from centreville.parking.models import CarPark, Reading
from centreville.parking.parsers import FeedReading, ParseResult
from centreville.parking.states import State
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

from .factories import CarParkFactory

AT = datetime(2026, 3, 28, 10, 0, tzinfo=UTC)


def _snapshot(*readings: FeedReading) -> ParseResult:
    return ParseResult(readings=list(readings))


def _reading(
    ref: str, free: int, *, capacity: int | None = None, minutes_ago: float = 1, said: State | None = None
) -> FeedReading:
    return FeedReading(
        ref=ref, free=free, capacity=capacity, said=said, observed_at=AT - timedelta(minutes=minutes_ago)
    )


def test_readings_are_kept_and_copied_on_their_car_parks(argentan: Town) -> None:
    market = CarParkFactory.create(town=argentan, ref="61006-P-001", capacity=120)
    germain = CarParkFactory.create(town=argentan, ref="61006-P-002", capacity=65, feed_ref="urn:germain")

    summary = store_snapshot(
        town_id=argentan.pk,
        parsed=_snapshot(_reading("61006-P-001", 30), _reading("urn:germain", 4, capacity=65)),
        at=AT,
    )

    assert (
        summary.line() == "parking car_parks=2 readings=2 rejected=0 stale=0 free_total=34 capacity_total=185"
    )
    market.refresh_from_db()
    germain.refresh_from_db()
    assert (market.live_free, market.live_capacity, market.live_state) == (30, 120, State.OPEN)
    assert (germain.live_free, germain.live_state) == (4, State.ALMOST_FULL)
    assert Reading.objects.count() == 2


def test_what_is_refused_and_why(argentan: Town) -> None:
    CarParkFactory.create(town=argentan, ref="61006-P-001", capacity=120)
    elsewhere = TownFactory.create()
    CarParkFactory.create(town=elsewhere, ref=f"{elsewhere.insee_code}-P-001")
    store_snapshot(town_id=argentan.pk, parsed=_snapshot(_reading("61006-P-001", 50, minutes_ago=10)), at=AT)

    summary = store_snapshot(
        town_id=argentan.pk,
        parsed=_snapshot(
            _reading("61006-P-001", 50, minutes_ago=10),  # already stored
            _reading("61006-P-001", 130),  # more than the car park's 120 spaces
            _reading("61006-P-001", 40, minutes_ago=-5),  # five minutes in the future
            _reading("61006-P-001", 45, minutes_ago=1),
            _reading("61006-P-001", 46, minutes_ago=1),  # twice in the same snapshot
            _reading(f"{elsewhere.insee_code}-P-001", 5),  # another town's
        ),
        at=AT,
    )

    reasons = [item.reason for item in summary.rejected]
    assert reasons == [
        "plus de places libres (130) que de places (120)",
        "relevé daté du futur (2026-03-28T10:05:00+00:00)",
        "relevé en double dans le flux",
        "aucun parking de la commune n'a cet identifiant",
        "relevé déjà reçu (même parking, même heure)",
    ]
    assert summary.readings == 1
    assert Reading.objects.filter(car_park__town=argentan).count() == 2


def test_a_little_clock_difference_is_tolerated(argentan: Town) -> None:
    CarParkFactory.create(town=argentan, ref="61006-P-001")
    summary = store_snapshot(
        town_id=argentan.pk, parsed=_snapshot(_reading("61006-P-001", 5, minutes_ago=-1)), at=AT
    )
    assert summary.readings == 1


def test_old_readings_are_kept_but_counted_stale_and_never_replace_newer_ones(argentan: Town) -> None:
    car_park = CarParkFactory.create(town=argentan, ref="61006-P-001", capacity=100)
    store_snapshot(town_id=argentan.pk, parsed=_snapshot(_reading("61006-P-001", 70, minutes_ago=2)), at=AT)

    summary = store_snapshot(
        town_id=argentan.pk, parsed=_snapshot(_reading("61006-P-001", 10, minutes_ago=40)), at=AT
    )

    assert (summary.readings, summary.stale) == (1, 1)
    car_park.refresh_from_db()
    assert car_park.live_free == 70


def test_closed_car_parks_count_in_no_total(argentan: Town) -> None:
    CarParkFactory.create(town=argentan, ref="61006-P-001", capacity=100)
    summary = store_snapshot(
        town_id=argentan.pk, parsed=_snapshot(_reading("61006-P-001", 0, said=State.CLOSED)), at=AT
    )
    assert (summary.free_total, summary.capacity_total) == (0, 0)
    assert CarPark.objects.get().live_state == State.CLOSED


def test_staleness_limit() -> None:
    assert not is_stale(AT - STALE_AFTER, at=AT)
    assert is_stale(AT - STALE_AFTER - timedelta(seconds=1), at=AT)
    assert is_stale(None, at=AT)
