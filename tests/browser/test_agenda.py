"""The town's agenda in a real browser at 360 px: the list by day and its filters without JavaScript, an
event's page, in French and in English, checked by axe-core."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from centreville.agenda.models import Audience, EventKind, EventStatus, PlaceKind
from centreville.agenda.tests.factories import EventFactory, OfferFactory
from centreville.towns.tests.factories import TerritoryFactory

from .conftest import Argentan, NewContext
from .helpers import assert_accessible, assert_fits, screenshot, translated

pytestmark = pytest.mark.browser

PARIS = ZoneInfo("Europe/Paris")
# Thursday 10 December 2026, 11:00 in Paris: the pages read this clock.
NOW = datetime(2026, 12, 10, 10, 0, tzinfo=UTC)
PHONE = {"width": 360, "height": 780}


@pytest.fixture
def agenda(argentan: Argentan, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    market = EventFactory.create(town=argentan.town, title="Marché du samedi", rrule="FREQ=WEEKLY;BYDAY=SA")
    christmas = EventFactory.create(
        town=argentan.town,
        title="Marché de Noël",
        kind=EventKind.CHRISTMAS_MARKET,
        place_kind=PlaceKind.CENTRE,
        venue_name="",
        starts_at=datetime(2026, 12, 19, 10, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 19, 19, 0, tzinfo=PARIS),
        audiences=[Audience.CHILDREN],
    )
    OfferFactory.create(
        shop=argentan.bakery,
        parent=christmas,
        title="Dégustation de bûches",
        kind=EventKind.TASTING,
        starts_at=datetime(2026, 12, 19, 14, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 19, 17, 0, tzinfo=PARIS),
    )
    EventFactory.create(
        town=argentan.town,
        title="Concert de la chorale",
        kind=EventKind.CONCERT,
        status=EventStatus.CANCELLED,
        starts_at=datetime(2026, 12, 15, 20, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 15, 22, 0, tzinfo=PARIS),
    )
    EventFactory.create(town=argentan.other_town, title="Marché d'Alençon")
    return {"market": market, "christmas": christmas}


def phone(new_context: NewContext, live_server: Any, lang: str, **options: Any) -> Any:
    context = new_context(viewport=PHONE, **options)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url}])
    return context.new_page()


def titles(page: Any) -> Any:
    """The listed titles, read by `expect`, which waits for the page a click leads to."""
    return expect(page.locator(".agenda-item-title"))


def test_the_agenda_filters_by_kind_and_audience_without_javascript(
    new_context: NewContext, live_server: Any, lang: str, agenda: dict[str, Any]
) -> None:
    page = phone(new_context, live_server, lang, java_script_enabled=False)
    page.goto("/argentan/agenda/")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_contain_text("Argentan")
    expect(main.get_by_role("heading", level=3)).to_have_count(4)
    titles(page).to_have_text(
        [
            "Marché du samedi",
            "Concert de la chorale",
            "Marché du samedi",
            "Marché de Noël",
            "Dégustation de bûches",
            "Marché du samedi",
        ]
    )
    expect(main).to_contain_text(translated(lang, "Annulé"))
    expect(main).not_to_contain_text("Marché d'Alençon")

    main.get_by_label(translated(lang, "Quoi")).select_option("commerces")
    main.get_by_role("button", name=translated(lang, "Afficher")).click()
    expect(page).to_have_url(re.compile(r"type=commerces"))
    titles(page).to_have_text(["Dégustation de bûches"])
    expect(main.get_by_role("link", name="Boulangerie du Marché")).to_be_visible()

    main.get_by_label(translated(lang, "Quoi")).select_option("")
    main.get_by_label(translated(lang, "Pour qui")).select_option(Audience.CHILDREN.value)
    main.get_by_role("button", name=translated(lang, "Afficher")).click()
    expect(page).to_have_url(re.compile(r"public=children"))
    expect(main.locator(".agenda-item-title")).to_have_text(["Marché de Noël"])
    main.get_by_role("link", name=translated(lang, "Retirer les filtres")).click()
    expect(main.locator(".agenda-item-title")).to_have_count(6)

    page.get_by_role("navigation", name=translated(lang, "Période")).get_by_role(
        "link", name=translated(lang, "Ce week-end")
    ).click()
    expect(page).to_have_url(re.compile(r"quand=weekend"))
    titles(page).to_have_text(["Marché du samedi"])


def test_the_agenda_and_an_event_page_fit_a_phone_and_pass_axe(
    new_context: NewContext, live_server: Any, lang: str, agenda: dict[str, Any]
) -> None:
    page = phone(new_context, live_server, lang)
    page.goto("/argentan/agenda/")
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"agenda-{lang}-360")

    page.get_by_role("main").get_by_role("link", name="Marché de Noël").first.click()
    expect(page).to_have_url(re.compile(rf"/argentan/agenda/marche-de-noel-{agenda['christmas'].pk}/$"))
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Marché de Noël")
    expect(main).to_contain_text(translated(lang, "Tout le centre-ville"))
    shops = main.get_by_role("list", name=translated(lang, "Les commerces qui participent"))
    expect(shops.get_by_role("heading", level=3)).to_have_text(["Boulangerie du Marché"])
    data = page.locator('script[type="application/ld+json"]').text_content()
    assert data is not None
    assert '"@type":"Festival"' in data
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"agenda-event-{lang}-360")

    page.goto(f"/argentan/agenda/marche-du-samedi-{agenda['market'].pk}/")
    expect(
        page.get_by_role("main")
        .get_by_role("list", name=translated(lang, "Prochaines dates"))
        .get_by_role("listitem")
    ).to_have_count(8)
    assert_accessible(page)


def test_a_territorys_agenda_names_each_town_and_leads_to_its_pages(
    new_context: NewContext, live_server: Any, lang: str, agenda: dict[str, Any], argentan: Argentan
) -> None:
    territory = TerritoryFactory.create(name="Pays d'Argentan", slug="pays-argentan")
    for town in (argentan.town, argentan.other_town):
        town.territory = territory
        town.save()
    page = phone(new_context, live_server, lang)

    page.goto("/pays-argentan/agenda/?quand=weekend")
    main = page.get_by_role("main")
    # Same hour: by title.
    titles(page).to_have_text(["Marché d'Alençon", "Marché du samedi"])
    expect(main.locator(".agenda-town")).to_have_text(["Alençon", "Argentan"])
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"agenda-territory-{lang}-360")

    main.get_by_role("link", name="Marché du samedi").click()
    expect(page).to_have_url(re.compile(rf"/argentan/agenda/marche-du-samedi-{agenda['market'].pk}/$"))


def calendar_answer(page: Any, address: str) -> str:
    """The calendar file at `address` (https or webcal), fetched as a calendar application would."""
    response = page.request.get(re.sub(r"^webcal://", "http://", address))
    assert response.status == 200, address
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    body: str = response.text()
    assert body.startswith("BEGIN:VCALENDAR")
    return body


def test_the_agenda_an_event_and_a_shop_lead_to_their_calendar_files(
    new_context: NewContext, live_server: Any, lang: str, agenda: dict[str, Any], argentan: Argentan
) -> None:
    page = phone(new_context, live_server, lang)
    page.goto("/argentan/agenda/?type=concert")
    main = page.get_by_role("main")
    subscribe = main.get_by_role("region", name=translated(lang, "S'abonner à l'agenda"))
    expect(subscribe).to_contain_text(
        translated(
            lang,
            "Ajoutez l'agenda au calendrier de votre téléphone, à Google Agenda ou à Outlook : "
            "il se met à jour tout seul.",
        )
    )
    whole = subscribe.get_by_role("link", name=translated(lang, "S'abonner à tout l'agenda"))
    expect(whole).to_have_attribute("href", re.compile(r"^webcal://.+/argentan/agenda/agenda\.ics$"))
    assert "Marché de Noël" in calendar_answer(page, whole.get_attribute("href") or "")
    expect(subscribe.locator("code").first).to_have_text(f"{live_server.url}/argentan/agenda/agenda.ics")
    concerts = subscribe.get_by_role(
        "link",
        name=translated(lang, "S'abonner seulement à « %(kind)s »") % {"kind": translated(lang, "Concert")},
    )
    concert_file = calendar_answer(page, concerts.get_attribute("href") or "")
    assert "Concert de la chorale" in concert_file
    assert "Marché de Noël" not in concert_file
    head_links = page.locator('head link[rel="alternate"][type="text/calendar"]')
    expect(head_links).to_have_count(2)
    for address in head_links.evaluate_all("links => links.map(link => link.href)"):
        calendar_answer(page, address)
    assert_fits(page)
    assert_accessible(page)

    page.goto(f"/argentan/agenda/marche-de-noel-{agenda['christmas'].pk}/")
    with page.expect_download() as download:
        page.get_by_role("main").get_by_role(
            "link", name=translated(lang, "Ajouter à mon agenda (.ics)")
        ).click()
    assert download.value.suggested_filename == f"evenement-{agenda['christmas'].uid}.ics"
    saved = download.value.path()
    with open(saved, encoding="utf-8") as file:
        assert "SUMMARY:Marché de Noël" in file.read()
    expect(page.locator('head link[rel="alternate"][type="text/calendar"]')).to_have_count(2)
    assert_accessible(page)

    page.goto(f"/argentan/commerces/{argentan.bakery.slug}/")
    offers = page.get_by_role(
        "link", name=translated(lang, "S'abonner aux offres de ce commerce dans mon agenda")
    )
    expect(offers).to_have_attribute(
        "href", re.compile(rf"^webcal://.+/commerces/{argentan.bakery.slug}\.ics$")
    )
    assert "Dégustation de bûches" in calendar_answer(page, offers.get_attribute("href") or "")
    assert_fits(page)
    assert_accessible(page)
