"""The town's parking page in a real browser, on a phone (360 px): French and English, axe-clean, each
state in words, the map drawn from the same data, and the table there without JavaScript.

Map tiles never load here (every host but 127.0.0.1 is unresolvable): the map must work without them.
"""

from __future__ import annotations

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
from .helpers import assert_accessible, screenshot, translated

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def car_parks(argentan: Argentan) -> list[CarPark]:
    """The demo's two car parks with four hours of readings up to now; the page rendered once in the
    server's process (its templates compiled) so that the browser's first visit is not the slowest."""
    car_parks = demo_parking(argentan.town, timezone.now())
    assert Client().get("/argentan/stationnement/").status_code == 200
    return car_parks


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
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
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
