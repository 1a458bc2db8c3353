"""The calendar files as the web serves them: type, name, caching, and only the town's published events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.core.cache import cache
from django.test import Client

from centreville.agenda.calendar_feeds import event_uid
from centreville.agenda.models import EventKind, Publication
from centreville.agenda.tests.factories import EventFactory, OfferFactory
from centreville.core.pagecache import town_public_data_changed
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

SOON = datetime.now(UTC) + timedelta(days=10)


@pytest.fixture
def town() -> Town:
    return TownFactory.create(slug="argentan", insee_code="61006")


def uids(response) -> set[str]:
    return {str(vevent["UID"]) for vevent in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}


def test_the_town_feed_is_served_as_a_calendar_file_kept_by_caches(town: Town) -> None:
    market = EventFactory.create(town=town, starts_at=SOON, ends_at=SOON + timedelta(hours=5))
    draft = EventFactory.create(town=town, starts_at=SOON, ends_at=SOON, publication=Publication.DRAFT)
    other = EventFactory.create(starts_at=SOON, ends_at=SOON)
    client = Client()

    response = client.get("/argentan/agenda/agenda.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="agenda-argentan.ics"'
    assert "public" in response["Cache-Control"]
    assert "max-age=600" in response["Cache-Control"]
    assert uids(response) == {event_uid(market)}
    assert event_uid(draft) not in uids(response)
    assert event_uid(other) not in uids(response)
    again = client.get("/argentan/agenda/agenda.ics", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == response["ETag"]


def test_a_kinds_feed_and_a_shops_feed(town: Town) -> None:
    market = EventFactory.create(town=town, starts_at=SOON, ends_at=SOON + timedelta(hours=5))
    concert = EventFactory.create(town=town, kind=EventKind.CONCERT, starts_at=SOON, ends_at=SOON)
    shop = ShopFactory.create(town=town)
    offer = OfferFactory.create(shop=shop, starts_at=SOON, ends_at=SOON)
    other_shop = ShopFactory.create()
    client = Client()

    markets = client.get("/argentan/agenda/types/market.ics")
    assert markets.status_code == 200
    assert uids(markets) == {event_uid(market)}
    assert uids(client.get("/argentan/agenda/types/concert.ics")) == {event_uid(concert)}
    assert client.get("/argentan/agenda/types/bal-masque.ics").status_code == 404
    offers = client.get(f"/argentan/agenda/commerces/{shop.slug}.ics")
    assert uids(offers) == {event_uid(offer)}
    assert offers["Content-Disposition"] == f'inline; filename="offres-{shop.slug}.ics"'
    assert client.get(f"/argentan/agenda/commerces/{other_shop.slug}.ics").status_code == 404


def test_one_events_file(town: Town) -> None:
    market = EventFactory.create(town=town, rrule="FREQ=WEEKLY;BYDAY=SA")
    draft = EventFactory.create(town=town, publication=Publication.PENDING)
    other = EventFactory.create()
    client = Client()

    response = client.get(f"/argentan/agenda/evenements/{market.uid}.ics")
    assert response.status_code == 200
    assert uids(response) == {event_uid(market)}
    assert response["Content-Disposition"] == f'inline; filename="evenement-{market.uid}.ics"'
    assert client.get(f"/argentan/agenda/evenements/{draft.uid}.ics").status_code == 404
    assert client.get(f"/argentan/agenda/evenements/{other.uid}.ics").status_code == 404
    assert client.get(f"/nulle-part/agenda/evenements/{market.uid}.ics").status_code == 404


def test_a_feeds_queries_do_not_grow_with_its_events(town: Town, django_assert_max_num_queries) -> None:
    shop = ShopFactory.create(town=town)
    for _ in range(3):
        EventFactory.create(town=town, starts_at=SOON, ends_at=SOON, rrule="FREQ=WEEKLY;COUNT=4")
        OfferFactory.create(shop=shop, starts_at=SOON, ends_at=SOON)
    client = Client()
    with django_assert_max_num_queries(4) as few:
        client.get("/argentan/agenda/agenda.ics")
    for _ in range(10):
        OfferFactory.create(shop=shop, starts_at=SOON, ends_at=SOON)
    cache.clear()  # made afresh, not read from the cache
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/argentan/agenda/agenda.ics")
    assert len(uids(response)) == 16


def test_a_feed_is_kept_until_the_towns_public_data_changes(
    town: Town, django_capture_on_commit_callbacks
) -> None:
    market = EventFactory.create(town=town, starts_at=SOON, ends_at=SOON)
    client = Client()
    assert uids(client.get("/argentan/agenda/agenda.ics")) == {event_uid(market)}
    concert = EventFactory.create(town=town, kind=EventKind.CONCERT, starts_at=SOON, ends_at=SOON)
    assert uids(client.get("/argentan/agenda/agenda.ics")) == {event_uid(market)}  # from the cache

    with django_capture_on_commit_callbacks(execute=True):
        town_public_data_changed(town.pk)

    assert uids(client.get("/argentan/agenda/agenda.ics")) == {event_uid(market), event_uid(concert)}
