"""The reads of the agenda's pages: the days of a period, dates on the town's clock across the clock changes,
the filters, a shop's current offers and the home's « ce qui se passe »."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from centreville.agenda.models import Audience, EventKind, EventStatus, Publication
from centreville.agenda.selectors import (
    AgendaFilters,
    Period,
    agenda_page,
    agenda_range,
    event_key,
    shop_current_offers,
    whats_on,
)
from centreville.agenda.tests.factories import EventFactory, OfferFactory
from centreville.shops.models import ShopStatus
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.tests.factories import TownFactory

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db

THURSDAY = date(2026, 12, 10)
SATURDAY = date(2026, 12, 12)
SUNDAY = date(2026, 12, 13)


@pytest.mark.parametrize(
    ("today", "first", "last"),
    [(THURSDAY, SATURDAY, SUNDAY), (SATURDAY, SATURDAY, SUNDAY), (SUNDAY, SUNDAY, SUNDAY)],
)
def test_the_weekend_is_the_coming_saturday_and_sunday_or_what_is_left_of_it(today, first, last):
    days = agenda_range(period=Period.WEEKEND, today=today)

    assert (days.first, days.last) == (first, last)


def test_a_month_holding_today_starts_today_and_leads_to_its_neighbours():
    this_month = agenda_range(period=Period.MONTH, today=THURSDAY)
    january = agenda_range(period=Period.MONTH, today=THURSDAY, month=date(2027, 1, 1))
    february = agenda_range(period=Period.MONTH, today=THURSDAY, month=date(2027, 2, 1))

    assert (this_month.first, this_month.last) == (THURSDAY, date(2026, 12, 31))
    assert (this_month.previous, this_month.next) == ({"mois": "2026-11"}, {"mois": "2027-01"})
    assert (january.first, january.last) == (date(2027, 1, 1), date(2027, 1, 31))
    assert (february.first, february.last, february.next) == (
        date(2027, 2, 1),
        date(2027, 2, 28),
        {"mois": "2027-03"},
    )


def test_a_week_runs_from_monday_to_sunday_across_the_years_end():
    week = agenda_range(period=Period.WEEK, today=THURSDAY, week=date(2026, 12, 28))

    assert (week.first, week.last) == (date(2026, 12, 28), date(2027, 1, 3))
    assert (week.previous, week.next) == ({"semaine": "2026-W52"}, {"semaine": "2027-W01"})


def one_off(town, title, start, end, **fields):
    return EventFactory.create(town=town, title=title, starts_at=start, ends_at=end, **fields)


def listed_days(page):
    return [(day.day, [item.title for item in day.items]) for day in page.days]


def test_a_month_is_read_on_the_towns_clock_not_on_utc():
    town = TownFactory.create()
    # 00:30 on the 1st of November in Paris is still the 31st of October in UTC.
    one_off(
        town,
        "Bal de la Toussaint",
        datetime(2026, 11, 1, 0, 30, tzinfo=PARIS),
        datetime(2026, 11, 1, 2, 0, tzinfo=PARIS),
    )
    # 23:30 on the 31st of October in Paris.
    one_off(
        town,
        "Veillée d'Halloween",
        datetime(2026, 10, 31, 23, 30, tzinfo=PARIS),
        datetime(2026, 10, 31, 23, 59, tzinfo=PARIS),
    )
    at = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)

    october = agenda_page(
        towns=[town],
        days=agenda_range(period=Period.MONTH, today=date(2026, 10, 1), month=date(2026, 10, 1)),
        filters=AgendaFilters(),
        at=at,
    )
    november = agenda_page(
        towns=[town],
        days=agenda_range(period=Period.MONTH, today=date(2026, 10, 1), month=date(2026, 11, 1)),
        filters=AgendaFilters(),
        at=at,
    )

    assert listed_days(october) == [(date(2026, 10, 31), ["Veillée d'Halloween"])]
    assert listed_days(november) == [(date(2026, 11, 1), ["Bal de la Toussaint"])]


def test_the_night_of_the_autumn_clock_change_keeps_its_dates_on_their_local_day():
    town = TownFactory.create()
    # A weekly Sunday 2:30 (the hour the autumn change repeats) and a Saturday late-night.
    EventFactory.create(
        town=town,
        title="Randonnée nocturne",
        starts_at=datetime(2026, 10, 18, 2, 30, tzinfo=PARIS),
        ends_at=datetime(2026, 10, 18, 4, 0, tzinfo=PARIS),
        rrule="FREQ=WEEKLY;BYDAY=SU;COUNT=3",
    )
    one_off(
        town,
        "Soirée du changement d'heure",
        datetime(2026, 10, 24, 22, 0, tzinfo=PARIS),
        datetime(2026, 10, 25, 1, 0, tzinfo=PARIS),
    )
    at = datetime(2026, 10, 20, 8, 0, tzinfo=UTC)

    weekend = agenda_page(
        towns=[town],
        days=agenda_range(period=Period.WEEKEND, today=date(2026, 10, 20)),
        filters=AgendaFilters(),
        at=at,
    )

    assert listed_days(weekend) == [
        (date(2026, 10, 24), ["Soirée du changement d'heure"]),
        (date(2026, 10, 25), ["Randonnée nocturne"]),
    ]
    hike = weekend.days[1].items[0]
    # Before the change, 2:30 is +02:00 (its first pass).
    assert hike.starts_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert hike.ends_at == datetime(2026, 10, 25, 3, 0, tzinfo=UTC)


def test_the_spring_night_shows_a_market_at_the_same_wall_clock_hour():
    town = TownFactory.create()
    EventFactory.create(
        town=town,
        title="Marché du dimanche",
        starts_at=datetime(2027, 3, 21, 8, 0, tzinfo=PARIS),
        ends_at=datetime(2027, 3, 21, 13, 0, tzinfo=PARIS),
        rrule="FREQ=WEEKLY;BYDAY=SU;COUNT=3",
    )

    weekend = agenda_page(
        towns=[town],
        days=agenda_range(period=Period.WEEKEND, today=date(2027, 3, 26)),
        filters=AgendaFilters(),
        at=datetime(2027, 3, 26, 8, 0, tzinfo=UTC),
    )

    assert [
        (item.title, item.starts_at.astimezone(PARIS).hour) for day in weekend.days for item in day.items
    ] == [("Marché du dimanche", 8)]
    assert weekend.days[0].day == date(2027, 3, 28)


def test_a_date_begun_before_the_period_is_listed_on_its_first_day():
    town = TownFactory.create()
    one_off(
        town,
        "Exposition de Noël",
        datetime(2026, 12, 1, 10, 0, tzinfo=PARIS),
        datetime(2026, 12, 31, 18, 0, tzinfo=PARIS),
        kind=EventKind.EXHIBITION,
    )

    today = agenda_page(
        towns=[town],
        days=agenda_range(period=Period.TODAY, today=THURSDAY),
        filters=AgendaFilters(),
        at=datetime(2026, 12, 10, 9, 0, tzinfo=UTC),
    )

    assert listed_days(today) == [(THURSDAY, ["Exposition de Noël"])]


def test_the_filters_combine_and_other_towns_and_hidden_events_never_show():
    town = TownFactory.create()
    start, end = datetime(2026, 12, 12, 10, 0, tzinfo=PARIS), datetime(2026, 12, 12, 12, 0, tzinfo=PARIS)
    one_off(
        town,
        "Conte pour enfants",
        start,
        end,
        kind=EventKind.OTHER,
        audiences=[Audience.CHILDREN],
        accessibility=["hi"],
    )
    one_off(town, "Conférence", start, end, kind=EventKind.OTHER, audiences=[Audience.SENIORS])
    one_off(town, "Brouillon", start, end, publication=Publication.DRAFT, audiences=[Audience.CHILDREN])
    OfferFactory.create(
        shop__town=town,
        title="Atelier des petits",
        kind=EventKind.WORKSHOP,
        starts_at=start,
        ends_at=end,
        audiences=[Audience.CHILDREN],
    )
    OfferFactory.create(
        shop__town=town,
        shop__status=ShopStatus.HIDDEN,
        title="Commerce caché",
        starts_at=start,
        ends_at=end,
    )
    one_off(TownFactory.create(), "Conte ailleurs", start, end, audiences=[Audience.CHILDREN])
    days = agenda_range(period=Period.WEEKEND, today=THURSDAY)
    at = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)

    def titles(**filters):
        page = agenda_page(towns=[town], days=days, filters=AgendaFilters(**filters), at=at)
        return sorted(item.title for day in page.days for item in day.items)

    assert titles() == ["Atelier des petits", "Conférence", "Conte pour enfants"]
    assert titles(audience=Audience.CHILDREN) == ["Atelier des petits", "Conte pour enfants"]
    assert titles(audience=Audience.CHILDREN, kind="ville") == ["Conte pour enfants"]
    assert titles(audience=Audience.CHILDREN, kind="commerces") == ["Atelier des petits"]
    assert titles(accessibility="hi") == ["Conte pour enfants"]
    assert titles(accessibility="vi") == []


def test_an_event_for_everyone_matches_every_audience_filter():
    town = TownFactory.create()
    start, end = datetime(2026, 12, 12, 10, 0, tzinfo=PARIS), datetime(2026, 12, 12, 12, 0, tzinfo=PARIS)
    one_off(town, "Feu d'artifice", start, end, kind=EventKind.FESTIVAL, audiences=[Audience.EVERYONE])
    one_off(town, "Conte pour enfants", start, end, kind=EventKind.OTHER, audiences=[Audience.CHILDREN])
    one_off(town, "Thé dansant", start, end, kind=EventKind.OTHER, audiences=[Audience.SENIORS])
    one_off(town, "Concert sans public dit", start, end, kind=EventKind.CONCERT, audiences=[])
    days = agenda_range(period=Period.WEEKEND, today=THURSDAY)
    at = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)

    def titles(audience: str) -> list[str]:
        page = agenda_page(towns=[town], days=days, filters=AgendaFilters(audience=audience), at=at)
        return sorted(item.title for day in page.days for item in day.items)

    assert titles(Audience.CHILDREN) == ["Conte pour enfants", "Feu d'artifice"]
    assert titles(Audience.SENIORS) == ["Feu d'artifice", "Thé dansant"]
    assert titles(Audience.TEENS) == ["Feu d'artifice"]
    assert titles(Audience.EVERYONE) == ["Feu d'artifice"]


def test_statuses_and_counts_of_participating_shops_come_with_each_date():
    town = TownFactory.create()
    start, end = datetime(2026, 12, 12, 10, 0, tzinfo=PARIS), datetime(2026, 12, 12, 19, 0, tzinfo=PARIS)
    braderie = one_off(town, "Grande braderie", start, end, kind=EventKind.FESTIVAL)
    shop = ShopFactory.create(town=town)
    OfferFactory.create(shop=shop, parent=braderie, starts_at=start, ends_at=end)
    OfferFactory.create(shop=shop, parent=braderie, starts_at=start, ends_at=end)
    OfferFactory.create(shop__town=town, parent=braderie, starts_at=start, ends_at=end)
    OfferFactory.create(
        shop__town=town, parent=braderie, starts_at=start, ends_at=end, publication=Publication.PENDING
    )
    one_off(town, "Concert annulé", start, end, kind=EventKind.CONCERT, status=EventStatus.CANCELLED)

    page = agenda_page(
        towns=[town],
        days=agenda_range(period=Period.WEEKEND, today=THURSDAY),
        filters=AgendaFilters(kind="ville"),
        at=datetime(2026, 12, 10, 9, 0, tzinfo=UTC),
    )

    items = {item.title: item for item in page.days[0].items}
    assert items["Grande braderie"].shop_count == 2
    assert items["Concert annulé"].status_label == "Annulé"


def test_a_shops_current_offers_are_its_published_offers_not_over_soonest_first():
    shop = ShopFactory.create()
    festival = EventFactory.create(town=shop.town, title="Fête de la ville", kind=EventKind.FESTIVAL)
    at = datetime(2026, 12, 15, 12, 0, tzinfo=UTC)
    weekly = OfferFactory.create(
        shop=shop,
        title="Nocturne du jeudi",
        kind=EventKind.LATE_OPENING,
        starts_at=datetime(2026, 12, 3, 19, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 3, 22, 0, tzinfo=PARIS),
        rrule="FREQ=WEEKLY;BYDAY=TH",
    )
    running = OfferFactory.create(
        shop=shop,
        title="Soldes de Noël",
        parent=festival,
        starts_at=datetime(2026, 12, 14, 9, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 24, 19, 0, tzinfo=PARIS),
    )
    OfferFactory.create(
        shop=shop,
        title="Fini",
        starts_at=datetime(2026, 12, 1, 9, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 1, 19, 0, tzinfo=PARIS),
    )
    OfferFactory.create(shop=shop, title="Pas encore validée", publication=Publication.PENDING)
    OfferFactory.create(title="Ailleurs")

    offers = shop_current_offers(shop_id=shop.pk, at=at)

    assert [offer.title for offer in offers] == ["Soldes de Noël", "Nocturne du jeudi"]
    assert offers[0].starts_at == running.starts_at
    assert offers[0].parent_title == "Fête de la ville"
    assert offers[0].parent_key == event_key(festival.pk, festival.title)
    assert offers[1].starts_at == datetime(2026, 12, 17, 18, 0, tzinfo=UTC)
    assert offers[1].key == event_key(weekly.pk, weekly.title)


def test_whats_on_is_a_handful_of_the_next_days_each_event_once_without_cancellations():
    town = TownFactory.create()
    at = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
    EventFactory.create(
        town=town,
        title="Marché quotidien",
        starts_at=datetime(2026, 12, 10, 8, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 10, 13, 0, tzinfo=PARIS),
        rrule="FREQ=DAILY",
    )
    one_off(
        town,
        "Annulé",
        datetime(2026, 12, 11, 20, 0, tzinfo=PARIS),
        datetime(2026, 12, 11, 22, 0, tzinfo=PARIS),
        status=EventStatus.CANCELLED,
    )
    one_off(
        town,
        "Déjà fini",
        datetime(2026, 12, 10, 7, 0, tzinfo=PARIS),
        datetime(2026, 12, 10, 9, 0, tzinfo=PARIS),
    )
    one_off(
        town,
        "Dans trois semaines",
        datetime(2026, 12, 31, 20, 0, tzinfo=PARIS),
        datetime(2026, 12, 31, 23, 0, tzinfo=PARIS),
    )
    OfferFactory.create(
        shop__town=town,
        title="Dégustation",
        starts_at=datetime(2026, 12, 10, 9, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 10, 12, 0, tzinfo=PARIS),
    )
    for day in range(11, 20):
        one_off(
            town,
            f"Animation du {day}",
            datetime(2026, 12, day, 15, 0, tzinfo=PARIS),
            datetime(2026, 12, day, 17, 0, tzinfo=PARIS),
        )
    one_off(
        TownFactory.create(),
        "Ailleurs",
        datetime(2026, 12, 10, 15, 0, tzinfo=PARIS),
        datetime(2026, 12, 10, 17, 0, tzinfo=PARIS),
    )

    found = whats_on(town_id=town.pk, at=at)

    assert [item.title for item in found.items] == [
        "Marché quotidien",
        "Dégustation",
        "Animation du 11",
        "Animation du 12",
        "Animation du 13",
        "Animation du 14",
    ]
    # The block changes when the first of its dates ends: the tasting, at noon in Paris.
    assert found.valid_until == datetime(2026, 12, 10, 11, 0, tzinfo=UTC)
