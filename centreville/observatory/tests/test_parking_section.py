"""The dashboard's parking section: the car parks' mean occupancy over the period against the one before,
week by week, days without data left out (never counted as empty)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from centreville.observatory.dashboard import town_dashboard
from centreville.parking.tests.factories import CarParkFactory
from centreville.parking.tests.helpers import add_reading
from centreville.towns.tests.factories import TownFactory

PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2026, 12, 4, 15, 0, tzinfo=PARIS)  # a Friday afternoon: the 4 weeks are 7 Nov – 4 Dec
pytestmark = pytest.mark.django_db


def test_the_section_shows_the_mean_occupancy_of_the_days_with_data_and_its_weeks() -> None:
    town = TownFactory.create()
    car_park = CarParkFactory.create(town=town, capacity=100)
    add_reading(car_park, datetime(2026, 11, 20, 10, 0, tzinfo=UTC), free=40)  # 60 %
    add_reading(car_park, datetime(2026, 11, 21, 10, 0, tzinfo=UTC), free=20)  # 80 %
    add_reading(car_park, datetime(2026, 10, 20, 10, 0, tzinfo=UTC), free=50)  # the period before: 50 %
    CarParkFactory.create(town=TownFactory.create())  # another town's

    section = town_dashboard(town, at=AT, period="4-semaines").section("stationnement")

    figure = section.figures[0]
    assert figure.value == Decimal("70.0")
    assert figure.shown == "70,0 %"
    assert figure.trend is not None
    assert figure.trend.direction == "up"
    assert figure.trend.short == "+20,0 pt"
    chart = section.charts[0]
    assert [category.key for category in chart.categories] == [
        "2026-11-07",
        "2026-11-14",
        "2026-11-21",
        "2026-11-28",
    ]
    assert list(chart.series[0].values) == [None, Decimal("60.0"), Decimal("80.0"), None]


def test_a_town_without_parking_data_has_no_section() -> None:
    town = TownFactory.create()
    CarParkFactory.create(town=town)
    sections = [section.key for section in town_dashboard(town, at=AT, period="4-semaines").sections]
    assert "stationnement" not in sections
