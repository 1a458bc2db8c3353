"""The history: downsampling after a month, what is usual at a weekday and hour, the trend, the town's
occupancy by day (with the clock changes of Europe/Paris)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from centreville.parking import history
from centreville.parking.models import Reading, Resolution
from centreville.parking.states import State
from centreville.towns.models import Town

from .factories import CarParkFactory
from .helpers import add_reading

PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2026, 5, 16, 10, 30, tzinfo=UTC)  # a Saturday, 12:30 in Argentan
MORNING = datetime(2026, 5, 16, 7, 0, tzinfo=UTC)  # the same Saturday, 09:00: this morning's 10:00 is ahead


def test_downsampling_folds_old_readings_into_hours_and_is_safe_to_run_twice(argentan: Town) -> None:
    car_park = CarParkFactory.create(town=argentan, capacity=100)
    old_hour = datetime(2026, 4, 1, 8, 0, tzinfo=UTC)
    for minute, free in ((0, 40), (20, 30), (40, 20)):
        add_reading(car_park, old_hour + timedelta(minutes=minute), free)
    add_reading(car_park, old_hour + timedelta(hours=1, minutes=5), 10)
    recent = add_reading(car_park, AT - timedelta(days=2), 55)

    folded = history.downsample(at=AT)

    assert folded == 4
    rows = list(
        Reading.objects.order_by("observed_at").values_list(
            "observed_at", "free", "free_min", "samples", "resolution"
        )
    )
    assert rows == [
        (old_hour, 30, 20, 3, Resolution.HOUR),
        (old_hour + timedelta(hours=1), 10, 10, 1, Resolution.HOUR),
        (recent.observed_at, 55, None, 1, Resolution.RAW),
    ]
    assert history.downsample(at=AT) == 0
    assert Reading.objects.count() == 3

    # A late reading of an hour already folded is folded in with it.
    add_reading(car_park, old_hour + timedelta(minutes=50), 10)
    assert history.downsample(at=AT) == 1
    hour = Reading.objects.get(observed_at=old_hour)
    assert (hour.free, hour.free_min, hour.samples) == (25, 10, 4)


def test_a_backlog_is_folded_a_few_hours_a_run(argentan: Town) -> None:
    car_park = CarParkFactory.create(town=argentan)
    first = datetime(2026, 3, 1, 0, 10, tzinfo=UTC)
    for hour in range(10):
        add_reading(car_park, first + timedelta(hours=hour), 10)
    assert history.downsample(at=AT) == 6
    assert history.downsample(at=AT) == 4
    assert history.downsample(at=AT) == 0
    assert not Reading.objects.filter(resolution=Resolution.RAW).exists()


def test_downsampling_keeps_a_month(argentan: Town) -> None:
    car_park = CarParkFactory.create(town=argentan)
    add_reading(car_park, AT - timedelta(days=29, hours=23), 10)
    assert history.downsample(at=AT) == 0


def _saturday_mornings(car_park, occupancy_by_week: list[int | None]) -> None:
    """Readings at 10:00-11:00 Paris time on the Saturdays before AT, `occupancy_by_week[0]` the last one."""
    for week, taken in enumerate(occupancy_by_week, start=1):
        if taken is None:
            continue
        day = date(2026, 5, 16) - timedelta(weeks=week)
        start = datetime(day.year, day.month, day.day, 10, 0, tzinfo=PARIS)
        for minutes in (5, 35):
            add_reading(car_park, start + timedelta(minutes=minutes), car_park.capacity - taken)


def test_usual_occupancy_is_the_median_of_the_last_weeks(argentan: Town) -> None:
    car_park = CarParkFactory.create(town=argentan, capacity=100)
    # Eight Saturdays, one without data; one exceptional market day (a street fair) does not sway a median.
    _saturday_mornings(car_park, [96, 98, None, 95, 100, 97, 20, 99])

    usual = history.usual_occupancy(car_park, 5, 10, at=MORNING)

    assert usual == 0.97
    assert history.usual_words(usual, 5, 10) == "habituellement complet le samedi matin"
    assert history.usual_occupancy(car_park, 4, 10, at=MORNING) is None  # no Friday known
    # At 12:30 this morning's hour is past and counts as a week (without data): the eighth week back drops.
    assert history.usual_occupancy(car_park, 5, 10, at=AT) == 0.965
    assert history.usual_words(None, 4, 10) == ""


def test_usual_occupancy_needs_two_weeks(argentan: Town) -> None:
    car_park = CarParkFactory.create(town=argentan, capacity=100)
    _saturday_mornings(car_park, [50])
    assert history.usual_occupancy(car_park, 5, 10, at=MORNING) is None
    _saturday_mornings(car_park, [None, 70])
    assert history.usual_occupancy(car_park, 5, 10, at=MORNING) == 0.6


def test_usual_occupancy_hours_are_the_towns_across_the_clock_change(argentan: Town) -> None:
    """Summer time began on Sunday 29 March 2026: 10:00 in Argentan was 09:00 UTC before, 08:00 after."""
    car_park = CarParkFactory.create(town=argentan, capacity=100)
    at = datetime(2026, 4, 5, 12, 0, tzinfo=UTC)  # Sunday 5 April
    add_reading(car_park, datetime(2026, 3, 29, 8, 30, tzinfo=UTC), 10)  # 10:30 summer time
    add_reading(car_park, datetime(2026, 3, 22, 9, 30, tzinfo=UTC), 30)  # 10:30 winter time
    add_reading(car_park, datetime(2026, 3, 22, 8, 30, tzinfo=UTC), 99)  # 09:30: another hour

    assert history.usual_occupancy(car_park, 6, 10, at=at) == 0.8


def test_trend_over_the_last_half_hour(argentan: Town) -> None:
    filling = CarParkFactory.create(town=argentan, capacity=200)
    emptying = CarParkFactory.create(town=argentan, capacity=200)
    steady = CarParkFactory.create(town=argentan, capacity=200)
    too_short = CarParkFactory.create(town=argentan, capacity=200)
    for car_park, before, now in ((filling, 80, 40), (emptying, 40, 90), (steady, 100, 97)):
        add_reading(car_park, AT - timedelta(minutes=28), before)
        add_reading(car_park, AT - timedelta(minutes=15), (before + now) // 2)
        add_reading(car_park, AT - timedelta(minutes=1), now)
    add_reading(too_short, AT - timedelta(minutes=6), 100)
    add_reading(too_short, AT - timedelta(minutes=1), 10)

    trends = history.trends([filling.pk, emptying.pk, steady.pk, too_short.pk], at=AT)

    assert trends[filling.pk] == history.TrendReading(history.Trend.FILLING, -40)
    assert trends[emptying.pk].trend == history.Trend.EMPTYING
    assert trends[steady.pk].trend == history.Trend.STEADY
    assert too_short.pk not in trends
    assert str(history.TREND_WORDS[history.Trend.FILLING]) == "se remplit"


def test_occupancy_by_day_on_the_towns_days_with_gaps(argentan: Town) -> None:
    big = CarParkFactory.create(town=argentan, capacity=300)
    small = CarParkFactory.create(town=argentan, capacity=100)
    # Saturday 24 October 2026, 23:30 in Paris (summer time, UTC+2) is 21:30 UTC.
    add_reading(big, datetime(2026, 10, 24, 21, 30, tzinfo=UTC), 150)  # 23:30 on the 24th: 50 %
    add_reading(small, datetime(2026, 10, 24, 21, 45, tzinfo=UTC), 0)  # 100 %
    # Sunday 25 October, clocks go back at 03:00: 00:30 local is 22:30 UTC on the 24th.
    add_reading(big, datetime(2026, 10, 24, 22, 30, tzinfo=UTC), 30)  # 90 %
    add_reading(big, datetime(2026, 10, 25, 12, 0, tzinfo=UTC), 0, state=State.CLOSED)  # not counted
    other = CarParkFactory.create()  # another town's
    add_reading(other, datetime(2026, 10, 25, 12, 0, tzinfo=UTC), 0)

    series = history.occupancy_by_day(town_id=argentan.pk, start=date(2026, 10, 23), end=date(2026, 10, 25))

    assert series == [(date(2026, 10, 23), None), (date(2026, 10, 24), 62.5), (date(2026, 10, 25), 90.0)]
