"""Test factories of the agenda: events (their occurrences written as the services write them), offers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import factory
from factory.django import DjangoModelFactory

from centreville.agenda.models import (
    Event,
    EventImport,
    EventKind,
    ImportSourceKind,
    ImportState,
    PlaceKind,
    SundayOpening,
)
from centreville.agenda.recurrence import refresh_occurrences
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.tests.factories import TownFactory

# A Saturday morning, 8:00 in Paris.
MARKET_START = datetime(2026, 12, 12, 7, 0, tzinfo=UTC)
# Written at this time: occurrences are expanded up to a horizon after it.
WRITTEN_AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class EventFactory(DjangoModelFactory[Event]):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    town = factory.SubFactory(TownFactory)
    kind = EventKind.MARKET
    title = factory.Sequence(lambda n: f"Marché du samedi ({n})")
    description = "Producteurs, primeurs, fromagers : le marché du centre-ville."
    place_kind = PlaceKind.VENUE
    venue_name = "Place du Marché"
    address = "Place du Marché, 61200 Argentan"
    starts_at = MARKET_START
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=5))

    @factory.post_generation
    def occurrences(event: Event, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            refresh_occurrences(event, at=extracted or WRITTEN_AT)


class OfferFactory(EventFactory):
    """A shop's offer, in the shop's town, at the shop."""

    shop = factory.SubFactory(ShopFactory)
    town = factory.LazyAttribute(lambda offer: offer.shop.town)  # type: ignore[assignment]
    kind = EventKind.PROMOTION
    title = factory.Sequence(lambda n: f"-20 % sur les jouets en bois ({n})")
    place_kind = PlaceKind.SHOP
    venue_name = ""
    address = ""


class SundayOpeningFactory(DjangoModelFactory[SundayOpening]):
    class Meta:
        model = SundayOpening

    town = factory.SubFactory(TownFactory)
    date = factory.Sequence(lambda n: datetime(2027, 1, 3).date() + timedelta(weeks=n))


class EventImportFactory(DjangoModelFactory[EventImport]):
    """A queued import of a file (its content not kept)."""

    class Meta:
        model = EventImport

    town = factory.SubFactory(TownFactory)
    source_kind = ImportSourceKind.FILE
    source_name = factory.Sequence(lambda n: f"agenda-{n}.ics")
    requested_format = "auto"
    default_kind = EventKind.OTHER
    state = ImportState.QUEUED
    queued_at = WRITTEN_AT
