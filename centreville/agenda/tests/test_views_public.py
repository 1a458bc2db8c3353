"""The agenda's public pages: the list by day with its filters, each event's page and its schema.org data."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.test import Client

from centreville.agenda.models import (
    Accessibility,
    Audience,
    Event,
    EventKind,
    EventStatus,
    PlaceKind,
    Publication,
)
from centreville.agenda.selectors import event_key
from centreville.agenda.tests.factories import EventFactory, OfferFactory
from centreville.parking.states import State
from centreville.parking.tests.factories import CarParkFactory
from centreville.parking.tests.helpers import add_reading, set_live
from centreville.shops.models import ShopStatus
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.tests.factories import TerritoryFactory, TownFactory

PARIS = ZoneInfo("Europe/Paris")
# Thursday 10 December 2026, 11:00 in Paris.
NOW = datetime(2026, 12, 10, 10, 0, tzinfo=UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(page_clock: Any) -> None:
    page_clock(NOW)


def agenda_url(town: Any, query: str = "") -> str:
    return f"/{town.slug}/agenda/" + (f"?{query}" if query else "")


def event_url(event: Any) -> str:
    return f"/{event.town.slug}/agenda/{event_key(event.pk, event.title)}/"


def text_of(response: Any) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def listed(response: Any) -> list[str]:
    """The titles of the dates listed, in order."""
    titles = re.findall(r'class="agenda-item-title"><a [^>]*>([^<]*)</a>', response.content.decode())
    return [html.unescape(title) for title in titles]


def json_ld(response: Any) -> dict[str, Any]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    assert found is not None
    return json.loads(found.group(1))


@pytest.fixture
def town_life(clock: None) -> dict[str, Any]:
    """A town with a weekly market, a Christmas market its shops take part in, offers, and its neighbour."""
    town = TownFactory.create(name="Argentan", slug="argentan")
    market = EventFactory.create(
        town=town, title="Marché du samedi", rrule="FREQ=WEEKLY;BYDAY=SA", exdates=["2026-12-26"]
    )
    christmas = EventFactory.create(
        town=town,
        title="Marché de Noël",
        kind=EventKind.CHRISTMAS_MARKET,
        place_kind=PlaceKind.CENTRE,
        venue_name="",
        starts_at=datetime(2026, 12, 19, 10, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 19, 19, 0, tzinfo=PARIS),
        audiences=[Audience.FAMILY, Audience.CHILDREN],
        accessibility=[Accessibility.MOBILITY],
    )
    bakery = ShopFactory.create(town=town, name="Boulangerie du Marché", slug="boulangerie-du-marche")
    tasting = OfferFactory.create(
        shop=bakery,
        parent=christmas,
        title="Dégustation de bûches",
        kind=EventKind.TASTING,
        starts_at=datetime(2026, 12, 19, 14, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 19, 17, 0, tzinfo=PARIS),
    )
    OfferFactory.create(
        shop__town=town,
        parent=christmas,
        title="Vin chaud offert",
        starts_at=datetime(2026, 12, 19, 15, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 19, 18, 0, tzinfo=PARIS),
    )
    concert = EventFactory.create(
        town=town,
        title="Concert de la chorale",
        kind=EventKind.CONCERT,
        status=EventStatus.CANCELLED,
        starts_at=datetime(2026, 12, 15, 20, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 15, 22, 0, tzinfo=PARIS),
        is_free=False,
        price=Decimal("8.00"),
    )
    EventFactory.create(town=town, title="Brouillon secret", publication=Publication.DRAFT)
    hidden_shop = ShopFactory.create(town=town, status=ShopStatus.DRAFT)
    OfferFactory.create(shop=hidden_shop, title="Offre d'un commerce non publié")
    neighbour = EventFactory.create(title="Marché d'Alençon")
    return {
        "town": town,
        "market": market,
        "christmas": christmas,
        "tasting": tasting,
        "concert": concert,
        "bakery": bakery,
        "neighbour": neighbour,
    }


def test_the_agenda_shows_the_month_by_day_with_what_a_resident_needs(
    client: Client, town_life: dict[str, Any]
) -> None:
    town = town_life["town"]

    response = client.get(agenda_url(town))

    assert response.status_code == 200
    text = text_of(response)
    assert "L'agenda d'Argentan" in text
    assert "Décembre 2026" in text
    # From today on: the Saturdays of December but the 26th (an exception), by day on the town's clock.
    html = response.content.decode()
    days = re.findall(r'<h3 id="jour-([0-9-]+)"', html)
    assert days == ["2026-12-12", "2026-12-15", "2026-12-19"]
    assert '<time datetime="2026-12-12T08:00:00+01:00">08:00</time>' in html
    assert "Tout le centre-ville" in text
    assert "Annulé" in text
    assert "À partir de 8 €" in text
    assert "2 commerces participent" in text
    assert f'href="/argentan/commerces/{town_life["bakery"].slug}/"' in html
    assert "Chez Boulangerie du Marché" in text
    assert "En famille" in text
    assert "Enfants" in text
    for hidden in ("Brouillon secret", "Offre d'un commerce non publié", "Marché d'Alençon"):
        assert hidden not in text


def test_the_agenda_reads_the_same_few_queries_whatever_the_number_of_events(
    client: Client, town_life: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    town = town_life["town"]
    with django_assert_max_num_queries(6) as few:
        assert client.get(agenda_url(town, "mois=2026-12&type=ville")).status_code == 200
    for number in range(15):
        christmas = EventFactory.create(
            town=town,
            kind=EventKind.FESTIVAL,
            starts_at=datetime(2026, 12, 20 + number % 5, 10, 0, tzinfo=PARIS),
            ends_at=datetime(2026, 12, 20 + number % 5, 12, 0, tzinfo=PARIS),
        )
        OfferFactory.create(shop__town=town, parent=christmas, rrule="FREQ=DAILY;COUNT=3")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(agenda_url(town, "mois=2026-12&type=ville"))
    assert "1 commerce participe" in text_of(response)


def test_the_filters_narrow_the_agenda_without_javascript(client: Client, town_life: dict[str, Any]) -> None:
    town = town_life["town"]

    offers = listed(client.get(agenda_url(town, "type=commerces")))
    town_events = set(listed(client.get(agenda_url(town, "type=ville"))))
    concerts = listed(client.get(agenda_url(town, "type=concert")))
    children = client.get(agenda_url(town, "public=children"))
    wheelchair = listed(client.get(agenda_url(town, "accessibilite=mi&type=ville")))
    tastings = listed(client.get(agenda_url(town, "type=tasting")))

    assert offers == ["Dégustation de bûches", "Vin chaud offert"]
    assert town_events == {"Marché du samedi", "Concert de la chorale", "Marché de Noël"}
    assert concerts == ["Concert de la chorale"]
    assert listed(children) == ["Marché de Noël"]
    assert wheelchair == ["Marché de Noël"]
    assert tastings == ["Dégustation de bûches"]
    assert "Retirer les filtres" in text_of(children)
    assert "Les événements « Tout public » sont montrés quel que soit le public choisi." in text_of(children)
    assert 'aria-describedby="id_public_helptext"' in children.content.decode()


def test_a_bad_parameter_is_told_in_french_and_the_page_still_shows(
    client: Client, town_life: dict[str, Any]
) -> None:
    response = client.get(agenda_url(town_life["town"], "mois=décembre&type=inconnu"))

    assert response.status_code == 200
    text = text_of(response)
    assert "Mois illisible : « décembre ». Écrivez-le comme 2026-12." in text
    assert "Ce choix n'existe pas : choisissez-en un dans la liste." in text
    assert "Marché du samedi" in text


def test_periods_today_weekend_and_a_chosen_week_lead_to_their_neighbours(
    client: Client, town_life: dict[str, Any]
) -> None:
    town = town_life["town"]

    today = client.get(agenda_url(town, "quand=aujourdhui"))
    weekend = client.get(agenda_url(town, "quand=weekend&type=ville"))
    week = client.get(agenda_url(town, "semaine=2026-W51"))
    january = client.get(agenda_url(town, "mois=2027-01"))

    assert "Rien n'est encore annoncé sur cette période." in text_of(today)
    assert "Ce week-end, samedi 12 et dimanche 13 décembre" in text_of(weekend)
    assert "Marché du samedi" in text_of(weekend)
    week_html = week.content.decode()
    assert "Semaine du 14 décembre au 20 décembre 2026" in text_of(week)
    assert 'href="/argentan/agenda/?semaine=2026-W50" rel="prev"' in week_html
    assert 'href="/argentan/agenda/?semaine=2026-W52" rel="next"' in week_html
    assert re.findall(r'<h3 id="jour-([0-9-]+)"', week_html) == ["2026-12-15", "2026-12-19"]
    january_html = january.content.decode()
    assert 'href="/argentan/agenda/?mois=2026-12" rel="prev"' in january_html
    assert "2027-01-02" in january_html
    # The filters are kept in the links to the other periods.
    assert 'href="/argentan/agenda/?quand=aujourdhui&amp;type=ville"' in weekend.content.decode()


def test_an_unknown_town_has_no_agenda(client: Client, clock: None) -> None:
    assert client.get("/nulle-part/agenda/").status_code == 404


def test_an_event_page_shows_its_next_dates_place_offers_and_schema_org_data(
    client: Client, town_life: dict[str, Any]
) -> None:
    market, christmas = town_life["market"], town_life["christmas"]

    response = client.get(event_url(market))

    assert response.status_code == 200
    html = response.content.decode()
    dates = re.findall(r'<li><time datetime="([^"]+)">', html)
    # The next 8 Saturdays, without the 26th of December.
    assert dates[:3] == [
        "2026-12-12T08:00:00+01:00",
        "2026-12-19T08:00:00+01:00",
        "2027-01-02T08:00:00+01:00",
    ]
    assert len(dates) == 8
    assert "Et " in text_of(response)
    assert "autres dates." in text_of(response)
    assert "Place du Marché" in text_of(response)
    data = json_ld(response)
    assert data["@type"] == "Event"
    assert data["name"] == "Marché du samedi"
    assert data["startDate"] == "2026-12-12T08:00:00+01:00"
    assert data["endDate"] == "2026-12-12T13:00:00+01:00"
    assert data["location"]["@type"] == "Place"
    assert data["location"]["address"]["@type"] == "PostalAddress"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["eventSchedule"] == {
        "@type": "Schedule",
        "repeatFrequency": "P1W",
        "startDate": "2026-12-12",
        "scheduleTimezone": "Europe/Paris",
        "startTime": "08:00",
        "endTime": "13:00",
        "byDay": "https://schema.org/Saturday",
        "exceptDate": ["2026-12-26"],
    }
    assert data["offers"]["price"] == "0"
    assert data["offers"]["priceCurrency"] == "EUR"
    assert data["isAccessibleForFree"] is True

    festival = client.get(event_url(christmas))
    text = text_of(festival)
    assert "Les commerces qui participent" in text
    assert "Boulangerie du Marché" in text
    assert "Dégustation de bûches" in text
    festival_data = json_ld(festival)
    assert festival_data["@type"] == "Festival"
    assert festival_data["location"]["geo"]["@type"] == "GeoCoordinates"
    assert {sub["name"] for sub in festival_data["subEvent"]} == {"Dégustation de bûches", "Vin chaud offert"}
    assert {sub["@type"] for sub in festival_data["subEvent"]} == {"FoodEvent", "SaleEvent"}


def test_an_offers_page_shows_its_shop_and_its_town_event(client: Client, town_life: dict[str, Any]) -> None:
    tasting, bakery = town_life["tasting"], town_life["bakery"]

    response = client.get(event_url(tasting))

    text = text_of(response)
    assert "Offre de Boulangerie du Marché" in text
    assert "Dans le cadre de Marché de Noël" in text
    assert bakery.street_address in text
    data = json_ld(response)
    assert data["@type"] == "FoodEvent"
    assert data["superEvent"]["name"] == "Marché de Noël"
    assert data["organizer"]["name"] == "Boulangerie du Marché"
    assert data["location"]["name"] == "Boulangerie du Marché"
    assert "subEvent" not in data


def test_statuses_are_said_in_words_and_in_schema_org(client: Client, town_life: dict[str, Any]) -> None:
    town = town_life["town"]
    postponed = EventFactory.create(
        town=town,
        title="Fête de la musique d'hiver",
        kind=EventKind.FESTIVAL,
        status=EventStatus.POSTPONED,
        previous_starts_at=datetime(2026, 12, 12, 18, 0, tzinfo=PARIS),
        starts_at=datetime(2026, 12, 18, 18, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 18, 23, 0, tzinfo=PARIS),
    )
    full = EventFactory.create(
        town=town,
        title="Atelier couronnes",
        kind=EventKind.OTHER,
        status=EventStatus.FULL,
        is_free=False,
        price=Decimal("12.50"),
        registration_url="https://example.org/inscription",
        starts_at=datetime(2026, 12, 17, 14, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 17, 16, 0, tzinfo=PARIS),
    )

    listing = text_of(client.get(agenda_url(town)))
    postponed_page = client.get(event_url(postponed))
    full_page = client.get(event_url(full))
    cancelled_data = json_ld(client.get(event_url(town_life["concert"])))

    assert "Reporté au vendredi 18 décembre (prévu d'abord le samedi 12 décembre)" in listing
    assert "Complet" in listing
    assert "À partir de 12,50 €" in listing
    assert json_ld(postponed_page)["eventStatus"] == "https://schema.org/EventRescheduled"
    assert json_ld(postponed_page)["previousStartDate"] == "2026-12-12T18:00:00+01:00"
    full_data = json_ld(full_page)
    assert full_data["offers"]["availability"] == "https://schema.org/SoldOut"
    assert full_data["offers"]["price"] == "12.50"
    assert full_data["offers"]["url"] == "https://example.org/inscription"
    assert full_data["isAccessibleForFree"] is False
    assert cancelled_data["eventStatus"] == "https://schema.org/EventCancelled"


def test_only_published_events_of_the_town_have_a_page(client: Client, town_life: dict[str, Any]) -> None:
    town = town_life["town"]
    draft = EventFactory.create(town=town, publication=Publication.PENDING)
    neighbour = town_life["neighbour"]

    assert client.get(event_url(draft)).status_code == 404
    assert client.get(f"/{town.slug}/agenda/{event_key(neighbour.pk, neighbour.title)}/").status_code == 404
    assert client.get(f"/{town.slug}/agenda/{neighbour.uid}/").status_code == 404


def test_an_event_is_reached_by_its_uid_and_an_old_slug_is_redirected(
    client: Client, town_life: dict[str, Any]
) -> None:
    market = town_life["market"]

    by_uid = client.get(f"/argentan/agenda/{market.uid}/")
    old_slug = client.get(f"/argentan/agenda/ancien-titre-{market.pk}/")

    assert by_uid.status_code == 200
    # One canonical address whatever the address asked for.
    assert json_ld(by_uid)["url"].endswith(event_url(market))
    assert old_slug.status_code == 301
    assert old_slug["Location"] == event_url(market)


def test_the_json_ld_cannot_close_its_script(client: Client, clock: None) -> None:
    event = EventFactory.create(title="Soirée </script><script>alert(1)</script>")

    html = client.get(event_url(event)).content.decode()

    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert script is not None
    assert "</" not in script.group(1)
    assert json.loads(script.group(1))["name"] == "Soirée </script><script>alert(1)</script>"


def test_a_past_event_shows_its_last_date(client: Client, clock: None) -> None:
    event = EventFactory.create(
        starts_at=datetime(2026, 11, 7, 8, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 11, 7, 13, 0, tzinfo=PARIS),
    )

    response = client.get(event_url(event))

    assert "Cet événement est passé." in text_of(response)
    assert json_ld(response)["startDate"] == "2026-11-07T08:00:00+01:00"


def test_an_event_page_shows_the_nearest_car_parks_now_and_what_is_usual_at_its_date(
    client: Client, town_life: dict[str, Any]
) -> None:
    market = town_life["market"]
    Event.objects.filter(pk=market.pk).update(latitude=Decimal("48.744800"), longitude=Decimal("-0.020900"))
    near = CarParkFactory.create(town=town_life["town"], name="Parking de la Place du Marché", capacity=100)
    far = CarParkFactory.create(
        town=town_life["town"], name="Parking de la gare", latitude=Decimal("48.735000"), capacity=300
    )
    set_live(near, NOW - timedelta(minutes=3), free=12)
    set_live(far, NOW - timedelta(hours=2), free=250)
    # The three Saturdays before, at the market's hour (8:00 in Paris), the car park near it was full.
    for weeks in (1, 2, 3):
        add_reading(near, datetime(2026, 12, 12, 7, 15, tzinfo=UTC) - timedelta(weeks=weeks), free=0)

    page = text_of(client.get(event_url(market)))

    assert "Se garer" in page
    near_part = page[page.index("Parking de la Place du Marché") : page.index("Parking de la gare")]
    assert "12 places libres sur 100" in near_part
    assert "À la date de l'événement : habituellement complet le samedi matin." in near_part
    far_part = page[page.index("Parking de la gare") :]
    assert "dernières données de 09:00" in far_part
    assert "250 places libres" not in far_part


def test_an_event_page_without_car_parks_has_no_parking_section(
    client: Client, town_life: dict[str, Any]
) -> None:
    assert "Se garer" not in text_of(client.get(event_url(town_life["market"])))


def test_shopping_offers_say_no_price_and_events_and_tastings_do(client: Client, clock: None) -> None:
    shop = ShopFactory.create(name="Boutique Apolline")
    day = {
        "starts_at": datetime(2026, 12, 12, 10, 0, tzinfo=PARIS),
        "ends_at": datetime(2026, 12, 12, 18, 0, tzinfo=PARIS),
    }
    promotion = OfferFactory.create(shop=shop, kind=EventKind.PROMOTION, title="Écharpes à -15 %", **day)
    tasting = OfferFactory.create(shop=shop, kind=EventKind.TASTING, title="Dégustation de thés", **day)

    assert "Tarif" not in text_of(client.get(event_url(promotion)))
    assert "Tarif Gratuit" in text_of(client.get(event_url(tasting)))
    page = client.get(agenda_url(shop.town, "mois=2026-12")).content.decode()
    promotion_item = page[page.index("Écharpes à -15 %") : page.index("Dégustation de thés")]
    assert "Gratuit" not in promotion_item
    assert "Gratuit" in page[page.index("Dégustation de thés") :]


@pytest.fixture
def territory_life(clock: None) -> dict[str, Any]:
    """A territory of two towns, each with its events, and a town outside it."""
    territory = TerritoryFactory.create(name="Pays d'Argentan", slug="pays-argentan")
    argentan = TownFactory.create(name="Argentan", slug="argentan", territory=territory)
    ecouche = TownFactory.create(name="Écouché-les-Vallées", slug="ecouche", territory=territory)
    market = EventFactory.create(
        town=argentan,
        title="Marché du samedi",
        starts_at=datetime(2026, 12, 12, 8, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 12, 13, 0, tzinfo=PARIS),
    )
    fair = EventFactory.create(
        town=ecouche,
        title="Foire aux santons",
        kind=EventKind.CHRISTMAS_MARKET,
        place_kind=PlaceKind.CENTRE,
        venue_name="",
        starts_at=datetime(2026, 12, 13, 10, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 13, 18, 0, tzinfo=PARIS),
    )
    grocer = ShopFactory.create(town=ecouche, name="Épicerie de la Place", slug="epicerie-de-la-place")
    tasting = OfferFactory.create(
        shop=grocer,
        parent=fair,
        title="Dégustation de cidre",
        kind=EventKind.TASTING,
        starts_at=datetime(2026, 12, 13, 11, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 13, 12, 0, tzinfo=PARIS),
    )
    outside = EventFactory.create(
        title="Marché d'Alençon",
        starts_at=datetime(2026, 12, 12, 8, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 12, 13, 0, tzinfo=PARIS),
    )
    return {"market": market, "fair": fair, "tasting": tasting, "outside": outside, "grocer": grocer}


def test_a_territorys_agenda_lists_its_towns_events_each_named_and_under_its_own_town(
    client: Client, territory_life: dict[str, Any]
) -> None:
    market, fair, tasting = territory_life["market"], territory_life["fair"], territory_life["tasting"]

    response = client.get("/pays-argentan/agenda/?quand=weekend")

    assert response.status_code == 200
    page = response.content.decode()
    assert listed(response) == ["Marché du samedi", "Foire aux santons", "Dégustation de cidre"]
    assert f'href="/argentan/agenda/{event_key(market.pk, market.title)}/"' in page
    assert f'href="/ecouche/agenda/{event_key(fair.pk, fair.title)}/"' in page
    assert f'href="/ecouche/agenda/{event_key(tasting.pk, tasting.title)}/"' in page
    assert 'href="/ecouche/commerces/epicerie-de-la-place/"' in page
    text = text_of(response)
    assert "Argentan · Place du Marché" in text
    assert "Écouché-les-Vallées · Tout le centre-ville" in text
    assert "Écouché-les-Vallées · Chez Épicerie de la Place" in text
    assert "Marché d'Alençon" not in text
    # Each event's page stays under its own town.
    assert client.get(f"/pays-argentan/agenda/{event_key(market.pk, market.title)}/").status_code == 404
    assert client.get(f"/argentan/agenda/{event_key(market.pk, market.title)}/").status_code == 200


def test_a_towns_agenda_does_not_name_its_own_town_on_each_date(
    client: Client, territory_life: dict[str, Any]
) -> None:
    response = client.get("/argentan/agenda/?quand=weekend")

    assert listed(response) == ["Marché du samedi"]
    assert "agenda-town" not in response.content.decode()


def test_a_territorys_feed_holds_its_towns_events_linked_and_placed_in_their_own_town(
    client: Client, territory_life: dict[str, Any]
) -> None:
    market, fair, outside = territory_life["market"], territory_life["fair"], territory_life["outside"]

    response = client.get("/pays-argentan/agenda/agenda.ics")
    kind = client.get("/pays-argentan/agenda/types/christmas_market.ics")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="agenda-pays-argentan.ics"'
    vevents = {
        str(vevent["SUMMARY"]): vevent
        for vevent in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    }
    assert set(vevents) == {"Marché du samedi", "Foire aux santons", "Dégustation de cidre"}
    assert outside.title not in vevents
    assert str(vevents["Marché du samedi"]["URL"]) == (
        f"http://testserver/argentan/agenda/{event_key(market.pk, market.title)}/"
    )
    assert str(vevents["Foire aux santons"]["URL"]) == (
        f"http://testserver/ecouche/agenda/{event_key(fair.pk, fair.title)}/"
    )
    assert str(vevents["Foire aux santons"]["LOCATION"]) == "Centre-ville de Écouché-les-Vallées"
    assert icalendar.Calendar.from_ical(response.content)["X-WR-CALNAME"] == "Agenda de Pays d'Argentan"
    assert [
        str(vevent["SUMMARY"]) for vevent in icalendar.Calendar.from_ical(kind.content).walk("VEVENT")
    ] == ["Foire aux santons"]
    # A shop's feed and an event's file stay under their own town.
    assert client.get("/pays-argentan/agenda/commerces/epicerie-de-la-place.ics").status_code == 404
    assert client.get(f"/pays-argentan/agenda/evenements/{market.uid}.ics").status_code == 404


def calendar_links(response: Any) -> list[str]:
    """The addresses of the page's head links to calendar files."""
    return re.findall(
        r'<link rel="alternate" type="text/calendar" title="[^"]+" href="([^"]+)">', response.content.decode()
    )


def assert_calendar_file(client: Client, address: str) -> icalendar.Calendar:
    """The file at this absolute address (https or webcal) answers, as a calendar."""
    path = re.sub(r"^(?:https?|webcal)://testserver", "", address)
    assert path.startswith("/"), address
    response = client.get(path)
    assert response.status_code == 200, address
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_the_agenda_offers_its_feed_to_subscribe_and_the_feed_of_the_kind_filtered_on(
    client: Client, town_life: dict[str, Any]
) -> None:
    town = town_life["town"]

    response = client.get(agenda_url(town))
    concerts = client.get(agenda_url(town, "type=concert"))
    all_town_events = client.get(agenda_url(town, "type=ville"))

    page, text = response.content.decode(), text_of(response)
    assert "S'abonner à l'agenda" in text
    assert "Ajoutez l'agenda au calendrier de votre téléphone, à Google Agenda ou à Outlook" in text
    assert 'href="webcal://testserver/argentan/agenda/agenda.ics"' in page
    assert "<code>http://testserver/argentan/agenda/agenda.ics</code>" in page
    assert calendar_links(response) == ["http://testserver/argentan/agenda/agenda.ics"]
    assert 'title="L&#x27;agenda d&#x27;Argentan"' in page
    town_feed = assert_calendar_file(client, "webcal://testserver/argentan/agenda/agenda.ics")
    assert "Marché de Noël" in {str(vevent["SUMMARY"]) for vevent in town_feed.walk("VEVENT")}
    # Filtered on concerts: their own feed as well, in the head and to subscribe.
    assert "S'abonner seulement à « Concert »" in text_of(concerts)
    assert calendar_links(concerts) == [
        "http://testserver/argentan/agenda/agenda.ics",
        "http://testserver/argentan/agenda/types/concert.ics",
    ]
    assert 'href="webcal://testserver/argentan/agenda/types/concert.ics"' in concerts.content.decode()
    concert_feed = assert_calendar_file(client, "webcal://testserver/argentan/agenda/types/concert.ics")
    assert [str(vevent["SUMMARY"]) for vevent in concert_feed.walk("VEVENT")] == ["Concert de la chorale"]
    # « All the town's events » is no single kind: no feed of its own.
    assert "S'abonner seulement" not in text_of(all_town_events)
    assert len(calendar_links(all_town_events)) == 1


def test_an_event_page_offers_its_own_calendar_file(client: Client, town_life: dict[str, Any]) -> None:
    christmas = town_life["christmas"]

    response = client.get(event_url(christmas))

    page = response.content.decode()
    address = f"http://testserver/argentan/agenda/evenements/{christmas.uid}.ics"
    assert "Ajouter à mon agenda (.ics)" in text_of(response)
    assert f'<a href="{address}" download="evenement-{christmas.uid}.ics"' in page
    assert calendar_links(response) == [address, "http://testserver/argentan/agenda/agenda.ics"]
    calendar = assert_calendar_file(client, address)
    assert [str(vevent["SUMMARY"]) for vevent in calendar.walk("VEVENT")] == ["Marché de Noël"]


def test_a_shops_offers_link_to_the_shops_feed(client: Client, town_life: dict[str, Any]) -> None:
    bakery = town_life["bakery"]

    response = client.get(f"/argentan/commerces/{bakery.slug}/")

    page = response.content.decode()
    assert "Offres en cours" in text_of(response)
    assert "S'abonner aux offres de ce commerce dans mon agenda" in text_of(response)
    assert f'href="webcal://testserver/argentan/agenda/commerces/{bakery.slug}.ics"' in page
    calendar = assert_calendar_file(client, f"http://testserver/argentan/agenda/commerces/{bakery.slug}.ics")
    assert [str(vevent["SUMMARY"]) for vevent in calendar.walk("VEVENT")] == ["Dégustation de bûches"]


def test_a_territorys_agenda_links_to_the_territorys_feed(
    client: Client, territory_life: dict[str, Any]
) -> None:
    response = client.get("/pays-argentan/agenda/?type=christmas_market")

    page = response.content.decode()
    assert 'href="webcal://testserver/pays-argentan/agenda/agenda.ics"' in page
    assert calendar_links(response) == [
        "http://testserver/pays-argentan/agenda/agenda.ics",
        "http://testserver/pays-argentan/agenda/types/christmas_market.ics",
    ]
    feed = assert_calendar_file(client, "webcal://testserver/pays-argentan/agenda/agenda.ics")
    assert {str(vevent["SUMMARY"]) for vevent in feed.walk("VEVENT")} == {
        "Marché du samedi",
        "Foire aux santons",
        "Dégustation de cidre",
    }
    kind = assert_calendar_file(client, "http://testserver/pays-argentan/agenda/types/christmas_market.ics")
    assert [str(vevent["SUMMARY"]) for vevent in kind.walk("VEVENT")] == ["Foire aux santons"]


def test_a_closed_car_park_shows_its_state_never_spaces_to_take(
    client: Client, town_life: dict[str, Any]
) -> None:
    market = town_life["market"]
    Event.objects.filter(pk=market.pk).update(latitude=Decimal("48.744800"), longitude=Decimal("-0.020900"))
    closed_by_feed = CarParkFactory.create(town=town_life["town"], name="Parking de la Place", capacity=100)
    closed_by_hours = CarParkFactory.create(
        town=town_life["town"],
        name="Parking du théâtre",
        latitude=Decimal("48.740000"),
        capacity=80,
        opening_hours="Sa 07:00-13:00",
    )
    set_live(closed_by_feed, NOW - timedelta(minutes=3), free=40, state=State.CLOSED)
    set_live(closed_by_hours, NOW - timedelta(minutes=3), free=80)

    page = text_of(client.get(event_url(market)))

    feed_part = page[page.index("Parking de la Place") : page.index("Parking du théâtre")]
    assert "Fermé" in feed_part
    assert "places libres" not in feed_part
    hours_part = page[page.index("Parking du théâtre") : page.index("Tous les parkings")]
    assert "Fermé" in hours_part
    assert "places libres" not in hours_part
