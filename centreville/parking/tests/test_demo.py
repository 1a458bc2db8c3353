"""The demo town's car parks: two near the centre, a few hours of live data ending now, three weeks of hourly
history before."""

from __future__ import annotations

from datetime import UTC, datetime

from centreville.parking import selectors
from centreville.parking.demo import demo_parking
from centreville.parking.export import missing_for_export
from centreville.parking.models import Reading, Resolution
from centreville.towns.models import Town

AT = datetime(2026, 5, 16, 9, 0, tzinfo=UTC)


def test_the_demo_shows_live_data_and_runs_twice(argentan: Town) -> None:
    car_parks = demo_parking(argentan, AT)
    assert [car_park.name for car_park in car_parks] == [
        "Parking de la Place du Marché",
        "Parking Saint-Germain",
    ]
    live = Reading.objects.filter(resolution=Resolution.RAW)
    assert live.count() == 2 * 49  # every 5 minutes over 4 hours
    assert Reading.objects.filter(resolution=Resolution.HOUR).count() == 2 * (21 * 24 - 1)
    board = selectors.parking_board(argentan, at=AT)
    assert all(item.live.is_current for item in board.car_parks)
    assert all(item.trend for item in board.car_parks)
    assert not any(missing_for_export(car_park) for car_park in car_parks)

    demo_parking(argentan, AT)  # replayed readings are refused as duplicates, nothing doubles
    assert live.count() == 2 * 49
    assert Reading.objects.filter(resolution=Resolution.HOUR).count() == 2 * (21 * 24 - 1)
