"""Reads of lots for the producers' pages (the search around a place is `around.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext

from centreville.enterprises.geo import distance_km
from centreville.enterprises.models import Enterprise, PickupPlace, SpaceProducer
from centreville.enterprises.selectors import space_choice
from centreville.search.text import normalise
from centreville.shops.hours import WeekdayHours, regular_week_in_words
from centreville.towns.spaces import Space

from .around import available_lots, distance_in_words
from .models import Lot
from .services import PICKUP_TIME_ZONE

PRODUCER_PAGE_SIZE = 30
BACK_OFFICE_PAGE_SIZE = 30


def _page_by_title(lots: QuerySet[Lot], page_number: int | str, per_page: int) -> Page[Lot]:
    """One page of a producer's lots in French alphabetical order (« Céleri » before « Courges »),
    whatever the database's collation: the titles are sorted in Python (a producer has tens of lots,
    not thousands), then only the page's lots are read."""
    titles = sorted(lots.values_list("pk", "title"), key=lambda row: (normalise(row[1]), row[1], row[0]))
    ids = Paginator([pk for pk, _title in titles], per_page).get_page(page_number)
    found = lots.in_bulk(list(ids.object_list))
    # The paginator counted the lots' keys, not the lots: the same count and the same pages.
    return Page([found[pk] for pk in ids.object_list], ids.number, ids.paginator)  # type: ignore[arg-type]


def shown_producer(space: Space | None, slug: str) -> Enterprise | None:
    """The active producer `slug`, if the space shows it (its town's choice or its territory's); at the
    platform's level (`space` None) every active producer shows."""
    enterprise = Enterprise.objects.filter(slug=slug, is_active=True, is_producer=True).first()
    if enterprise is None or space is None:
        return enterprise
    if SpaceProducer.objects.filter(space_choice(space), enterprise=enterprise).exists():
        return enterprise
    return None


@dataclass(frozen=True)
class Pickup:
    place: PickupPlace
    days: list[WeekdayHours]  # the days it opens, in words; empty when its hours cannot be read


@dataclass
class ProducerPage:
    enterprise: Enterprise
    pickups: list[Pickup]
    page: Page[Lot]
    # From the space's first town; none at the platform's level, which has no centre.
    distance: str | None = None
    distance_from: str | None = None


def producer_page(
    *, space: Space | None, enterprise: Enterprise, at: datetime, page_number: int | str
) -> ProducerPage:
    """A producer's page: its pickup places, one page of its lots for sale and, in a space, its distance
    from the space's first town."""
    closed = gettext("fermé")
    lots = (
        available_lots(at.astimezone(ZoneInfo(PICKUP_TIME_ZONE)).date())
        .filter(enterprise=enterprise)
        .select_related("category")
    )
    page = _page_by_title(lots, page_number, PRODUCER_PAGE_SIZE)
    town = space.towns[0] if space is not None else None
    return ProducerPage(
        enterprise=enterprise,
        pickups=[
            Pickup(
                place,
                [
                    day
                    for day in regular_week_in_words(place.opening_hours, PICKUP_TIME_ZONE, at=at)
                    if day.hours != closed
                ],
            )
            for place in enterprise.pickup_places.filter(is_active=True).order_by("name")
        ],
        page=page,
        distance=distance_in_words(
            distance_km(town.latitude, town.longitude, enterprise.latitude, enterprise.longitude)
        )
        if town is not None
        else None,
        distance_from=town.name if town is not None else None,
    )


def producer_lots(*, enterprise: Enterprise, page_number: int | str) -> Page[Lot]:
    """Every lot of the producer, for its back-office, by title in French order."""
    return _page_by_title(enterprise.lots.select_related("category"), page_number, BACK_OFFICE_PAGE_SIZE)
