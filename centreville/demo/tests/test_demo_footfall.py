"""The demo town's counters: two years of hourly counts ending the day before the load, shaped like a town
centre's, a few outages flagged, and loading again the same day changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from centreville.demo.footfall import DAYS, SITES, demo_footfall_load, missing_hours
from centreville.footfall import selectors
from centreville.footfall.models import CountingChannel, CountingSite, DailyCount, Measure, MobilityKind
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 5)  # a Saturday


def test_two_years_of_counts_with_their_outages_and_nothing_twice() -> None:
    town = TownFactory.create()

    created = demo_footfall_load(town, today=TODAY)

    assert CountingSite.objects.filter(town=town).count() == 3
    assert set(CountingChannel.objects.filter(site__town=town).values_list("kind", flat=True)) == {
        MobilityKind.PEDESTRIAN,
        MobilityKind.BIKE,
    }
    days = [TODAY - timedelta(days=n) for n in range(1, DAYS + 1)]
    outages = {
        (channel.name, day): missing_hours(channel, day)
        for site in SITES
        for channel in site.channels
        for day in days
        if missing_hours(channel, day)
    }
    gaps = [key for key, hours in outages.items() if hours >= 24]
    partial = sorted((day, name) for (name, day), hours in outages.items() if hours < 24)
    assert len(gaps) >= 3
    assert len(partial) >= 5
    counted = Measure.objects.filter(channel__site__town=town).count()
    assert created == 4 * DAYS * 24 - sum(outages.values()) == counted
    assert selectors.last_counted_day(selectors.Scope(town)) == TODAY - timedelta(days=1)
    flagged = selectors.flagged_days(selectors.Scope(town), days[-1], TODAY)
    assert sorted((day.day, day.channel_name) for day in flagged) == partial
    for name, day in gaps:  # a whole day missing is a gap: no day at all, not a zero
        assert not DailyCount.objects.filter(channel__site__town=town, channel__name=name, day=day).exists()
    assert demo_footfall_load(town, today=TODAY) == 0
    tomorrow = TODAY + timedelta(days=1)
    assert demo_footfall_load(town, today=tomorrow) == 4 * 24 - sum(
        missing_hours(channel, TODAY) for site in SITES for channel in site.channels
    )


def test_the_market_saturdays_and_christmas_show() -> None:
    town = TownFactory.create()
    demo_footfall_load(town, today=TODAY)
    market = selectors.Scope(town, site_id=CountingSite.objects.get(town=town, name="Place du Marché").pk)

    def total(scope: selectors.Scope, day: date) -> int:
        figure = selectors.by_day(scope, day, day)[0].total
        assert figure is not None
        return figure

    # Tuesday (market) against Wednesday, Saturday against Monday, mid-December against mid-November.
    assert total(market, date(2026, 11, 24)) > total(market, date(2026, 11, 25)) * 1.3
    assert total(market, date(2026, 11, 21)) > total(market, date(2026, 11, 23)) * 2
    december = sum(total(market, date(2025, 12, 15) + timedelta(days=n)) for n in range(7))
    november = sum(total(market, date(2025, 11, 17) + timedelta(days=n)) for n in range(7))
    assert december > november * 1.3
