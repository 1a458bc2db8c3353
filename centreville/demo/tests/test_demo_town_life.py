"""The demo town's life: a weekly market, a Christmas market with three shops' offers, a declared braderie, a
late opening, Sunday openings that two shops join, and two car parks with a live feed and three weeks of
history."""

from __future__ import annotations

from datetime import UTC, datetime

from centreville.agenda.models import (
    BraderieDeclaration,
    DeclarationStatus,
    Event,
    EventKind,
    Publication,
    SundayOpening,
    SundayOpeningShop,
)
from centreville.agenda.selectors import agenda_items
from centreville.demo.services import DemoSummary
from centreville.parking.models import CarPark, Reading
from centreville.parking.selectors import nearest_car_parks
from centreville.towns.models import Town

from .conftest import DEMO_AT


def test_the_demo_town_has_its_agenda_and_car_parks(demo: DemoSummary) -> None:
    town = Town.objects.get(slug="argentan")
    events = Event.objects.filter(town=town)
    # Only the festival committee's concert waits for the town team, written by its organiser.
    waiting = events.exclude(publication=Publication.PUBLISHED).get()
    assert waiting.publication == Publication.PENDING
    assert waiting.kind == EventKind.CONCERT
    assert waiting.created_by is not None
    assert waiting.created_by.email == "organisatrice@argentan.example"
    market = events.get(kind=EventKind.MARKET)
    assert market.rrule == "FREQ=WEEKLY;BYDAY=TU,FR"
    christmas = events.get(kind=EventKind.CHRISTMAS_MARKET)
    assert christmas.offers.filter(shop__isnull=False).count() == 3
    braderie = events.get(kind=EventKind.BRADERIE, shop__isnull=True)
    assert BraderieDeclaration.objects.get(town=town).status == DeclarationStatus.ACCEPTED
    assert braderie.starts_at.date() == BraderieDeclaration.objects.get(town=town).starts_on
    sundays = SundayOpening.objects.filter(town=town, date__year=2026)
    assert 0 < sundays.count() <= 12
    assert SundayOpeningShop.objects.filter(sunday__town=town).count() == 2
    assert events.filter(kind=EventKind.SUNDAY_OPENING).count() == 2

    this_month = agenda_items(town_id=town.pk, start=DEMO_AT, end=datetime(2027, 1, 1, tzinfo=UTC))
    assert {item.kind for item in this_month} >= {
        EventKind.MARKET,
        EventKind.CHRISTMAS_MARKET,
        EventKind.TASTING,
        EventKind.LATE_OPENING,
        EventKind.SUNDAY_OPENING,
    }

    car_parks = CarPark.objects.filter(town=town)
    assert car_parks.count() == 2
    assert Reading.objects.filter(car_park__in=car_parks).count() > 1000
    # Next Tuesday at 9:00, the market square's car park is usually full.
    tuesday = datetime(2026, 12, 15, 8, 0, tzinfo=UTC)
    assert market.latitude is not None
    assert market.longitude is not None
    nearest = nearest_car_parks(
        town_id=town.pk, latitude=market.latitude, longitude=market.longitude, at=tuesday, limit=1
    )
    assert nearest[0].usual_occupancy is not None
    assert nearest[0].usual_occupancy > 0.9
    assert "habituellement" in nearest[0].usual_words
