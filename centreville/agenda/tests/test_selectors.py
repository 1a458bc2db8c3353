"""The agenda's reads: a range of dates, event days for the observatory."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from centreville.agenda.models import EventKind, EventStatus, Publication
from centreville.agenda.selectors import agenda_items, event_days
from centreville.agenda.tests.factories import EventFactory, OfferFactory
from centreville.towns.tests.factories import TownFactory

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db


def test_agenda_items_are_the_published_dates_of_the_range_in_order():
    town = TownFactory.create()
    market = EventFactory.create(town=town, rrule="FREQ=WEEKLY;BYDAY=SA;COUNT=4")
    offer = OfferFactory.create(
        shop__town=town,
        starts_at=datetime(2026, 12, 12, 9, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 12, 19, 0, tzinfo=PARIS),
    )
    EventFactory.create(town=town, publication=Publication.PENDING)
    EventFactory.create()  # another town

    items = agenda_items(
        town_id=town.pk, start=datetime(2026, 12, 12, tzinfo=UTC), end=datetime(2026, 12, 20, tzinfo=UTC)
    )

    assert [(item.event_id, item.starts_at) for item in items] == [
        (market.pk, datetime(2026, 12, 12, 7, 0, tzinfo=UTC)),
        (offer.pk, datetime(2026, 12, 12, 8, 0, tzinfo=UTC)),
        (market.pk, datetime(2026, 12, 19, 7, 0, tzinfo=UTC)),
    ]
    assert items[1].is_offer
    assert offer.shop is not None
    assert items[1].shop_name == offer.shop.name
    only_offers = agenda_items(
        town_id=town.pk,
        start=datetime(2026, 12, 1, tzinfo=UTC),
        end=datetime(2027, 1, 31, tzinfo=UTC),
        kinds=[EventKind.PROMOTION],
    )
    assert [item.event_id for item in only_offers] == [offer.pk]


def test_event_days_are_town_events_on_the_towns_clock_without_offers_weekly_events_or_cancellations():
    town = TownFactory.create()
    EventFactory.create(
        town=town,
        title="Marché de Noël",
        kind=EventKind.CHRISTMAS_MARKET,
        starts_at=datetime(2026, 12, 18, 17, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 20, 0, 0, tzinfo=PARIS),
    )
    EventFactory.create(
        town=town,
        title="Concert annulé",
        kind=EventKind.CONCERT,
        status=EventStatus.CANCELLED,
        starts_at=datetime(2026, 12, 22, 20, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 22, 22, 0, tzinfo=PARIS),
    )
    EventFactory.create(town=town, title="Marché du samedi", rrule="FREQ=WEEKLY;BYDAY=SA")
    OfferFactory.create(
        shop__town=town,
        starts_at=datetime(2026, 12, 23, 9, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 23, 19, 0, tzinfo=PARIS),
    )

    days = event_days(
        town_id=town.pk, start=date(2026, 12, 1), end=date(2026, 12, 31), timezone="Europe/Paris"
    )

    assert days == {date(2026, 12, 18): ["Marché de Noël"], date(2026, 12, 19): ["Marché de Noël"]}
