"""Footfall by day, week and month against last year, computed by hand: gaps stay gaps, incomplete periods
say so, and another town's counters never count.

The town (all hourly counts):
- « Nord » (pedestrian), site « Rue Principale »: Monday 6 March 2023, 24 h × 8; then Monday 4 to Sunday
  10 March 2024, 24 h × 10 each day but Saturday the 9th, 12 h × 10 only.
- « Sud » (pedestrian), same site: from Wednesday 6 March 2024, 24 h × 5 each day but Friday the 8th
  (nothing at all).
- « Vélos » (bike), another site: Monday 4 March 2024, 24 h × 3.
Another town has a channel with counts on the same days.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from centreville.footfall import selectors, storing
from centreville.footfall.charts import days_chart, months_chart, weeks_chart
from centreville.footfall.models import CountingChannel, Measure, MobilityKind
from centreville.footfall.selectors import PeriodCount, Scope
from centreville.footfall.stamps import LocalClock
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

from .factories import CountingChannelFactory, CountingSiteFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2024, 3, 4)
LAST_YEAR_MONDAY = date(2023, 3, 6)  # 364 days earlier: a Monday too


def put(channel: CountingChannel, day: date, *, per_hour: int, hours: int = 24) -> None:
    """`hours` hourly counts of `per_hour` from the day's midnight, through the importer's writer."""
    clock = LocalClock("Europe/Paris")
    counts = storing.ChannelCounts()
    for hour in range(hours):
        counts.add(clock.midnight(day) + hour * 3600, 3600, per_hour)
    storing.measures_store([(channel.pk, counts)], clock=clock)


@pytest.fixture
def town() -> Town:
    town = TownFactory.create()
    street = CountingSiteFactory.create(town=town, name="Rue Principale")
    north = CountingChannelFactory.create(site=street, name="Nord")
    south = CountingChannelFactory.create(site=street, name="Sud")
    bikes = CountingChannelFactory.create(site__town=town, name="Vélos", kind=MobilityKind.BIKE)
    put(north, LAST_YEAR_MONDAY, per_hour=8)
    for offset in range(7):
        day = MONDAY + timedelta(days=offset)
        put(north, day, per_hour=10, hours=12 if offset == 5 else 24)
        if offset >= 2 and offset != 4:
            put(south, day, per_hour=5)
    put(bikes, MONDAY, per_hour=3)
    other = CountingChannelFactory.create(site__town=TownFactory.create(), name="Nord")
    put(other, MONDAY, per_hour=1000)
    return town


def figure(count: PeriodCount) -> tuple[int | None, int, int, int, bool]:
    return (count.total, count.days_with_data, count.days_complete, count.days_expected, count.is_complete)


def test_days_sum_the_channels_and_a_day_without_counts_is_a_gap(town: Town) -> None:
    days = selectors.by_day(Scope(town, kind=MobilityKind.PEDESTRIAN), MONDAY, MONDAY + timedelta(days=7))

    assert [figure(day) for day in days] == [
        (240, 1, 1, 1, True),  # Monday: Sud starts on Wednesday, so it is not expected yet
        (240, 1, 1, 1, True),
        (360, 2, 2, 2, True),  # Wednesday: 240 + 120
        (360, 2, 2, 2, True),
        (240, 1, 1, 2, False),  # Friday: Sud counted nothing, the total undercounts
        (240, 2, 1, 2, False),  # Saturday: Nord counted 12 hours only (120), Sud 120
        (360, 2, 2, 2, True),
        (None, 0, 0, 2, False),  # the next Monday: nothing counted, a gap, not 0
    ]


def test_scopes_by_kind_site_and_channel_and_never_another_town(town: Town) -> None:
    north = CountingChannel.objects.get(site__town=town, name="Nord")
    CountingChannelFactory.create(site__town=town, kind=MobilityKind.CAR)  # no counts yet

    assert selectors.kinds_counted(town) == [MobilityKind.PEDESTRIAN, MobilityKind.BIKE]

    def monday(scope: Scope) -> int | None:
        return selectors.by_day(scope, MONDAY, MONDAY)[0].total

    assert monday(Scope(town)) == 240 + 72
    assert monday(Scope(town, kind=MobilityKind.BIKE)) == 72
    assert monday(Scope(town, kind=MobilityKind.CAR)) is None
    assert monday(Scope(town, site_id=north.site_id)) == 240
    assert monday(Scope(town, channel_id=north.pk)) == 240


def test_an_iso_week_runs_monday_to_sunday_and_says_it_is_incomplete(town: Town) -> None:
    weeks = selectors.by_week(Scope(town, kind=MobilityKind.PEDESTRIAN), MONDAY + timedelta(days=2), MONDAY)

    assert weeks == []  # first after last: no week
    (week,) = selectors.by_week(
        Scope(town, kind=MobilityKind.PEDESTRIAN), MONDAY + timedelta(days=3), MONDAY + timedelta(days=3)
    )
    # Nord: 240 × 6 + 120; Sud: 120 × 4 (Wednesday, Thursday, Saturday, Sunday).
    assert (week.first, week.last) == (MONDAY, MONDAY + timedelta(days=6))
    # Sud started on Wednesday: the week is expected 7 days of each channel, and is incomplete.
    assert figure(week) == (1560 + 480, 11, 10, 14, False)


def test_months_read_the_monthly_totals_and_a_month_without_counts_is_a_gap(town: Town) -> None:
    scope = Scope(town, kind=MobilityKind.PEDESTRIAN)

    february, march, april = selectors.by_month(scope, date(2024, 2, 10), date(2024, 4, 2))

    # Nord counts since 6 March 2023: every day of February and March 2024 is expected of it; Sud, which
    # started on 6 March 2024, every day of March.
    assert figure(february) == (None, 0, 0, 29, False)
    assert figure(march) == (2040, 11, 10, 31 + 31, False)
    assert (april.first, april.last, april.total) == (date(2024, 4, 1), date(2024, 4, 30), None)


def test_last_year_is_the_same_weekday_52_weeks_before(town: Town) -> None:
    scope = Scope(town, kind=MobilityKind.PEDESTRIAN)

    monday, tuesday = selectors.days_compared(scope, MONDAY, MONDAY + timedelta(days=1))

    assert monday.previous.first == LAST_YEAR_MONDAY
    assert (monday.current.total, monday.previous.total) == (240, 192)
    assert monday.change_percent == Decimal("25.0")  # (240 - 192) / 192
    assert tuesday.previous.total is None  # nothing counted then: a gap, and no change to show
    assert tuesday.change_percent is None


def test_last_years_week_and_month(town: Town) -> None:
    scope = Scope(town, kind=MobilityKind.PEDESTRIAN)

    (week,) = selectors.weeks_compared(scope, MONDAY, MONDAY)
    (month,) = selectors.months_compared(scope, MONDAY, MONDAY)

    assert (week.previous.first, week.previous.last) == (
        LAST_YEAR_MONDAY,
        LAST_YEAR_MONDAY + timedelta(days=6),
    )
    assert figure(week.previous) == (192, 1, 1, 7, False)  # Nord expected all week, counted on Monday only
    assert (month.previous.first, month.previous.total) == (date(2023, 3, 1), 192)
    assert figure(month.previous) == (192, 1, 1, 31, False)  # Nord started on 6 March 2023
    assert month.change_percent is None  # incomplete figures are not compared


def test_a_period_total_against_last_year(town: Town) -> None:
    compared = selectors.period_compared(Scope(town), MONDAY, MONDAY)

    assert (compared.current.total, compared.previous.total, compared.change_percent) == (312, 192, None)
    # Both figures are complete, but Vélos was not counting a year earlier: not like for like, no change.
    assert compared.current.is_complete
    assert compared.previous.is_complete
    pedestrians = selectors.period_compared(Scope(town, kind=MobilityKind.PEDESTRIAN), MONDAY, MONDAY)
    assert pedestrians.change_percent == Decimal("25.0")


def test_days_read_once_answer_every_figure_within_them(town: Town, django_assert_num_queries: Any) -> None:
    scope = Scope(town, kind=MobilityKind.PEDESTRIAN)
    week = (MONDAY, MONDAY + timedelta(days=6))

    # Read the week and the same week a year before: the channels, then their days
    with django_assert_num_queries(2):
        read = selectors.counted_days(scope, *selectors.year_apart(*week))

    # Every figure within them is the one read on its own, and costs no query
    with django_assert_num_queries(0):
        days = read.days(*week)
        (week_compared,) = read.weeks_compared(MONDAY + timedelta(days=3), MONDAY + timedelta(days=3))
        period = read.period_compared(MONDAY, MONDAY)
    assert days == selectors.by_day(scope, *week)
    assert week_compared == selectors.weeks_compared(scope, MONDAY, MONDAY)[0]
    assert figure(week_compared.current) == (1560 + 480, 11, 10, 14, False)
    assert (period.current.total, period.previous.total, period.change_percent) == (240, 192, Decimal("25.0"))
    # A day that was not read is refused, never taken for a gap
    with pytest.raises(ValueError, match="was not read"):
        read.days(MONDAY, MONDAY + timedelta(days=7))


def test_flagged_days_and_the_clock_change_day(town: Town) -> None:
    north = CountingChannel.objects.get(site__town=town, name="Nord")
    put(north, date(2024, 3, 31), per_hour=1, hours=23)

    flagged = selectors.flagged_days(Scope(town), date(2024, 3, 1), date(2024, 3, 31))
    (clock_change,) = selectors.by_day(Scope(town, channel_id=north.pk), date(2024, 3, 31), date(2024, 3, 31))

    assert [(day.day, day.channel_name, day.hours_with_data, day.hours_expected) for day in flagged] == [
        (date(2024, 3, 9), "Nord", 12, 24)
    ]
    assert figure(clock_change) == (23, 1, 1, 1, True)  # 23 hours: the whole day


def test_sites_coverage_counts_days_gaps_and_incomplete_days(town: Town) -> None:
    coverage = {site.site.name: site for site in selectors.sites_coverage(town)}

    street = coverage["Rue Principale"]
    north, south = street.channels
    assert (north.first_day, north.last_day, north.days_with_data, north.days_incomplete) == (
        LAST_YEAR_MONDAY,
        MONDAY + timedelta(days=6),
        8,
        1,
    )
    assert north.days_missing == 371 - 8  # 6 March 2023 to 10 March 2024: 371 days (29 February included)
    assert (south.days_with_data, south.days_missing, south.total) == (4, 1, 480)
    assert street.first_day == LAST_YEAR_MONDAY


def test_deleting_a_channel_deletes_its_counts_and_totals(town: Town) -> None:
    north = CountingChannel.objects.get(site__town=town, name="Nord")

    north.delete()

    assert selectors.by_day(Scope(town, kind=MobilityKind.PEDESTRIAN), MONDAY, MONDAY)[0].total is None
    assert not Measure.objects.filter(channel_id=north.pk).exists()
    assert Measure.objects.exists()  # the other channels' counts stay


def test_charts_keep_gaps_and_name_incomplete_periods(town: Town) -> None:
    scope = Scope(town, kind=MobilityKind.PEDESTRIAN)

    chart = days_chart(selectors.days_compared(scope, MONDAY + timedelta(days=4), MONDAY + timedelta(days=7)))
    weeks = weeks_chart(selectors.weeks_compared(scope, MONDAY, MONDAY))
    months = months_chart(selectors.months_compared(scope, MONDAY, MONDAY))

    assert [category.key for category in chart.categories] == [
        "2024-03-08",
        "2024-03-09",
        "2024-03-10",
        "2024-03-11",
    ]
    assert list(chart.series[0].values) == [240, 240, 360, None]
    assert list(chart.series[1].values) == [None, None, None, None]
    assert chart.categories[0].label == "ven 8 mars 2024 — données incomplètes"
    assert chart.categories[2].label == "dim 10 mars 2024"
    assert [category.key for category in weeks.categories] == ["2024-W10"]
    assert weeks.categories[0].label == (
        "semaine du 4 mars 2024 — données incomplètes — un an plus tôt : données incomplètes"
    )
    assert (months.categories[0].key, list(months.series[0].values), list(months.series[1].values)) == (
        "2024-03",
        [2040],
        [192],
    )
