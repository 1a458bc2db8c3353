"""The agenda's calendar files: valid RFC 5545, stable, and read by an independent implementation with exactly
the dates the agenda holds, across the clock changes."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from centreville.agenda.calendar_feeds import agenda_calendar, event_uid, feed_events, window_start
from centreville.agenda.models import Event, EventKind, EventStatus, PlaceKind, Publication
from centreville.agenda.recurrence import occurrences_between
from centreville.agenda.selectors import event_key
from centreville.agenda.tests.factories import EventFactory, OfferFactory
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2026, 9, 20, 10, 0, tzinfo=UTC)
START, END = datetime(2026, 9, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC)

# (first local start, duration, rule, exceptions): around the autumn change (2026-10-25) and the spring one
# (2027-03-28), at hours the changes skip or repeat, with exceptions as local times and as whole days.
RULES = [
    (datetime(2026, 10, 3, 8, 0), timedelta(hours=5), "FREQ=WEEKLY;BYDAY=SA", ["2026-12-26"]),
    (datetime(2026, 10, 4, 2, 30), timedelta(hours=1), "FREQ=WEEKLY;BYDAY=SU;COUNT=6", ["2026-10-25"]),
    (
        datetime(2027, 3, 7, 2, 30),
        timedelta(hours=2),
        "FREQ=WEEKLY;BYDAY=SU;COUNT=6",
        ["2027-03-14T02:30:00"],
    ),
    (datetime(2027, 3, 20, 23, 0), timedelta(hours=4), "FREQ=DAILY;COUNT=15", ["2027-03-27T23:00:00"]),
    (datetime(2026, 10, 20, 18, 0), timedelta(hours=3), "FREQ=DAILY;UNTIL=20261105T180000", ["2026-10-25"]),
    (datetime(2027, 1, 30, 8, 0), timedelta(hours=5), "FREQ=MONTHLY;BYDAY=-1SA;COUNT=12", ["2027-03-27"]),
    (datetime(2026, 10, 24, 9, 0), timedelta(hours=2), "FREQ=DAILY;BYHOUR=9,15;COUNT=8", ["2026-10-25"]),
]


@pytest.fixture
def town() -> Town:
    return TownFactory.create(slug="argentan", insee_code="61006")


def at_paris(local: datetime) -> datetime:
    return local.replace(tzinfo=PARIS)


def make_agenda(town: Town) -> list[Event]:
    events = [
        EventFactory.create(
            town=town,
            starts_at=at_paris(start),
            ends_at=at_paris(start + duration),
            rrule=rule,
            exdates=exdates,
            latitude=Decimal("48.744500"),
            longitude=Decimal("-0.020300"),
        )
        for start, duration, rule, exdates in RULES
    ]
    events.append(
        EventFactory.create(
            town=town,
            kind=EventKind.CONCERT,
            title="Concerts de l'Avent",
            starts_at=at_paris(datetime(2026, 10, 24, 20, 0)),
            ends_at=at_paris(datetime(2026, 12, 20, 22, 0)),
            timings=[
                ["2026-10-24T20:00:00", "2026-10-24T22:00:00"],
                ["2026-10-25T02:30:00", "2026-10-25T03:30:00"],
                ["2026-10-25T20:00:00", "2026-10-25T21:30:00"],
                ["2027-03-28T20:00:00", "2027-03-28T22:00:00"],
            ],
            status=EventStatus.POSTPONED,
        )
    )
    shop = ShopFactory.create(town=town)
    events.append(
        OfferFactory.create(
            shop=shop,
            kind=EventKind.LATE_OPENING,
            starts_at=at_paris(datetime(2026, 12, 4, 18, 0)),
            ends_at=at_paris(datetime(2026, 12, 4, 22, 0)),
            rrule="FREQ=WEEKLY;BYDAY=FR;COUNT=3",
            status=EventStatus.CANCELLED,
        )
    )
    return events


def parse(data: bytes) -> Any:
    calendar = icalendar.Calendar.from_ical(data)
    errors = [(component.name, component.errors) for component in calendar.walk() if component.errors]
    assert errors == []
    return calendar


def expand(calendar: icalendar.Calendar) -> dict[str, list[tuple[datetime, datetime]]]:
    found: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for item in recurring_ical_events.of(calendar).between(START, END):
        found[str(item["UID"])].append((item["DTSTART"].dt.astimezone(UTC), item["DTEND"].dt.astimezone(UTC)))
    return {uid: sorted(dates) for uid, dates in found.items()}


def test_the_town_feed_is_valid_icalendar_with_the_properties_clients_need(town: Town) -> None:
    events = make_agenda(town)
    data = agenda_calendar(events=feed_events(towns=[town], at=AT), name="Agenda d'Argentan")
    calendar = parse(data)

    vevents = calendar.walk("VEVENT")
    assert {str(vevent["UID"]) for vevent in vevents} == {event_uid(event) for event in events}
    # Each event links to its page (not to its own .ics file).
    assert {str(vevent["URL"]) for vevent in vevents} == {
        f"http://testserver/argentan/agenda/{event_key(event.pk, event.title)}/" for event in events
    }
    for vevent in vevents:
        for name in (
            "UID",
            "DTSTAMP",
            "DTSTART",
            "DTEND",
            "SUMMARY",
            "URL",
            "STATUS",
            "SEQUENCE",
            "CATEGORIES",
        ):
            assert name in vevent, name
        assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
        assert vevent["DTEND"].params["TZID"] == "Europe/Paris"
        assert str(vevent["URL"]).startswith("http://testserver/argentan/agenda/")
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert str(vevents[0]["LOCATION"]) == "Place du Marché, 61200 Argentan"
    assert "GEO" in vevents[0]
    assert vevents[0]["GEO"].latitude == pytest.approx(48.7445)
    assert data.count(b"\r\n") > 100  # RFC 5545 line ends
    statuses = {str(vevent["SUMMARY"]): str(vevent["STATUS"]) for vevent in vevents}
    assert statuses["Concerts de l'Avent"] == "TENTATIVE"
    assert "CANCELLED" in statuses.values()
    avent = next(vevent for vevent in vevents if str(vevent["SUMMARY"]) == "Concerts de l'Avent")
    assert str(avent["DESCRIPTION"]).startswith("Reporté")
    offer = next(vevent for vevent in vevents if "RRULE" in vevent and str(vevent["STATUS"]) == "CANCELLED")
    assert "Une offre de" in str(offer["DESCRIPTION"])
    assert str(offer["CATEGORIES"].cats[0]) == "Nocturne"


def test_the_feed_is_the_same_at_each_regeneration(town: Town) -> None:
    make_agenda(town)
    first = agenda_calendar(events=feed_events(towns=[town], at=AT), name="Agenda")
    second = agenda_calendar(events=feed_events(towns=[town], at=AT + timedelta(hours=3)), name="Agenda")
    assert first == second
    assert [str(v["UID"]) for v in parse(first).walk("VEVENT")] == [
        str(v["UID"]) for v in parse(second).walk("VEVENT")
    ]


def test_an_independent_implementation_reads_exactly_the_agendas_dates(town: Town) -> None:
    events = make_agenda(town)
    calendar = parse(agenda_calendar(events=feed_events(towns=[town], at=AT), name="Agenda"))
    read = expand(calendar)

    compared = 0
    for event in events:
        ours = sorted(
            (s.astimezone(UTC), e.astimezone(UTC))
            for s, e in occurrences_between(event, start=START, end=END)
        )
        assert read[event_uid(event)] == ours, event.title
        compared += len(ours)
    assert compared > 100


def test_whole_day_exceptions_become_the_local_start_times_of_that_day(town: Town) -> None:
    event = EventFactory.create(
        town=town,
        starts_at=at_paris(datetime(2026, 10, 24, 9, 0)),
        ends_at=at_paris(datetime(2026, 10, 24, 10, 0)),
        rrule="FREQ=DAILY;BYHOUR=9,15;COUNT=8",
        exdates=["2026-10-25"],
    )
    vevent = parse(agenda_calendar(events=[event], name="x")).walk("VEVENT")[0]
    exdates = [value.dt for value in vevent["EXDATE"].dts]
    assert exdates == [at_paris(datetime(2026, 10, 25, 9, 0)), at_paris(datetime(2026, 10, 25, 15, 0))]
    assert vevent["EXDATE"].params["TZID"] == "Europe/Paris"


def test_a_whole_day_event_is_written_with_dates(town: Town) -> None:
    event = EventFactory.create(
        town=town,
        all_day=True,
        starts_at=at_paris(datetime(2026, 12, 19)),
        ends_at=at_paris(datetime(2026, 12, 21)),
    )
    vevent = parse(agenda_calendar(events=[event], name="x")).walk("VEVENT")[0]
    assert (vevent["DTSTART"].dt, vevent["DTEND"].dt) == (date(2026, 12, 19), date(2026, 12, 21))


def test_feeds_hold_published_events_of_the_window_and_of_their_kind_or_shop(town: Town) -> None:
    events = make_agenda(town)
    over = EventFactory.create(
        town=town, starts_at=AT - timedelta(days=40), ends_at=AT - timedelta(days=40) + timedelta(hours=2)
    )
    recent = EventFactory.create(
        town=town, starts_at=AT - timedelta(days=20), ends_at=AT - timedelta(days=20)
    )
    draft = EventFactory.create(town=town, publication=Publication.DRAFT)
    elsewhere = EventFactory.create()

    listed = set(feed_events(towns=[town], at=AT))
    assert recent in listed
    assert set(events) <= listed
    assert not {over, draft, elsewhere} & listed
    assert set(feed_events(towns=[town], at=AT, kind=EventKind.CONCERT)) == {events[-2]}
    offer = events[-1]
    assert set(feed_events(towns=[town], at=AT, shop=offer.shop)) == {offer}
    assert offer.place_kind == PlaceKind.SHOP


def test_listed_dates_before_the_window_are_left_out_of_a_feed(town: Town) -> None:
    event = EventFactory.create(
        town=town,
        timings=[
            ["2026-08-01T10:00:00", "2026-08-01T12:00:00"],
            ["2026-10-03T10:00:00", "2026-10-03T12:00:00"],
        ],
    )
    data = agenda_calendar(events=[event], name="x", since=window_start(AT))
    vevent = parse(data).walk("VEVENT")[0]
    assert vevent["DTSTART"].dt == at_paris(datetime(2026, 10, 3, 10, 0))
    assert "RDATE" not in vevent
    assert len(parse(agenda_calendar(events=[event], name="x")).walk("VEVENT")[0]["RDATE"].dts) == 1
