"""The town's parking page in a real browser, on a phone (360 px): French and English, axe-clean, each
state in words, the map drawn from the same data, and the table there without JavaScript.

Map tiles never load here (every host but 127.0.0.1 is unresolvable): the map must work without them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from centreville.parking.demo import demo_parking
from centreville.parking.models import CarPark
from centreville.parking.states import State

from .conftest import Argentan, NewContext
from .helpers import assert_accessible, assert_fits, screenshot, translated

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
# Both demo car parks are open by their hours on a Tuesday at 11:00 in Argentan; on Sunday Saint-Germain
# (Mo-Sa 07:00-20:00) is closed. The live server runs in this process: it reads the same clock.
TUESDAY_MORNING = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)
SUNDAY = datetime(2026, 12, 13, 10, 0, tzinfo=UTC)


def _demo_at(town: Any, at: datetime, monkeypatch: pytest.MonkeyPatch) -> list[CarPark]:
    """The demo's two car parks with four hours of readings up to `at`, the clock set at `at`; the page
    rendered once in the server's process (its templates compiled) so that the browser's first visit is
    not the slowest."""
    monkeypatch.setattr(timezone, "now", lambda: at)
    car_parks = demo_parking(town, at)
    assert Client().get("/argentan/stationnement/").status_code == 200
    return car_parks


@pytest.fixture
def car_parks(argentan: Argentan, monkeypatch: pytest.MonkeyPatch) -> list[CarPark]:
    return _demo_at(argentan.town, TUESDAY_MORNING, monkeypatch)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_parking_page_on_a_phone(
    new_context: NewContext, live_server: Any, car_parks: list[CarPark], lang: str
) -> None:
    context = new_context(viewport=PHONE)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url}])
    page = context.new_page()

    page.goto("/argentan/stationnement/")

    heading = translated(lang, "Places libres, parking par parking")
    table = page.get_by_role("table", name=translated(lang, "Places libres dans chaque parking"))
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(table).to_be_visible()
    for car_park in car_parks:
        row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=car_park.name))
        expect(row).to_contain_text(translated(lang, State(car_park.live_state).label))
        expect(row).to_contain_text(translated(lang, "sur %(capacity)s") % {"capacity": car_park.capacity})
    # Nothing wider than the phone's screen but the table, which scrolls in its own region.
    assert_fits(page)
    # The map, drawn from the same car parks: one named pin each.
    page.locator("#carte-titre").scroll_into_view_if_needed()
    expect(page.locator("#carte.map-ready")).to_be_visible()
    expect(page.locator("#carte .map-pin")).to_have_count(len(car_parks))
    assert_accessible(page)
    screenshot(page, f"parking-{lang}")


def test_the_table_is_there_without_javascript(new_context: NewContext, car_parks: list[CarPark]) -> None:
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()

    page.goto("/argentan/stationnement/")

    table = page.get_by_role("table", name="Places libres dans chaque parking")
    expect(table).to_be_visible()
    expect(table.get_by_role("rowheader")).to_have_count(2)
    expect(table).to_contain_text("Parking de la Place du Marché")
    expect(page.get_by_text("La carte a besoin de JavaScript.")).to_be_visible()
    expect(page.locator("#carte")).to_be_hidden()
    screenshot(page, "parking-no-js")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_car_park_closed_by_its_hours_says_closed_in_grey(
    new_context: NewContext, live_server: Any, argentan: Argentan, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    market, saint_germain = _demo_at(argentan.town, SUNDAY, monkeypatch)
    assert saint_germain.live_state != State.CLOSED  # its feed still counts free spaces on Sunday
    context = new_context(viewport=PHONE)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url}])
    page = context.new_page()

    page.goto("/argentan/stationnement/")

    table = page.get_by_role("table", name=translated(lang, "Places libres dans chaque parking"))
    closed = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=saint_germain.name))
    expect(closed.locator(".parking-state.parking-grey")).to_have_text(translated(lang, State.CLOSED.label))
    opened = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=market.name))
    expect(opened.locator(".parking-state")).to_have_text(translated(lang, State(market.live_state).label))
    card = page.locator(f"#parking-{saint_germain.pk}")
    expect(card).to_contain_text(translated(lang, "fermé en ce moment selon ses horaires"))
    assert_accessible(page)
