"""The demo town's car parks: two near the centre, a few hours of live data ending now, three weeks of hourly
history before, and a reading every few minutes while the demo is served."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from centreville.parking import selectors
from centreville.parking.demo import demo_parking, demo_parking_tick
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


def test_a_served_demo_keeps_current_figures_one_reading_at_a_time(argentan: Town) -> None:
    demo_parking(argentan, AT)
    later = AT + timedelta(hours=2)
    assert not any(item.live.is_current for item in selectors.parking_board(argentan, at=later).car_parks)

    summary = demo_parking_tick(argentan, at=later)

    assert (summary.car_parks, summary.readings, summary.rejected) == (2, 2, [])
    board = selectors.parking_board(argentan, at=later + timedelta(minutes=3))
    assert all(item.live.is_current and item.live.observed_at == later for item in board.car_parks)
    assert demo_parking_tick(argentan, at=later).readings == 0  # the same moment twice is refused


def test_the_demo_live_command_reads_once_and_says_so(
    argentan: Town, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo_parking(argentan, AT)
    monkeypatch.setattr(timezone, "now", lambda: AT + timedelta(minutes=5))
    out = StringIO()

    call_command("demo_live", "--once", stdout=out)

    assert out.getvalue().strip().splitlines()[-1].startswith("parking car_parks=2 readings=2 rejected=0")
