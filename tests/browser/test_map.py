"""The directory's map in a real browser: loaded only when wanted, every shop of the filters on it, and
usable with a keyboard (RGAA 10.7), a mouse and a finger (RGAA 10.13).

Map tiles never load here (every host but 127.0.0.1 is unresolvable): the map must work without them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from centreville.shops.models import Shop
from centreville.shops.selectors import DIRECTORY_PAGE_SIZE
from centreville.shops.tests.factories import ShopFactory, TradeCategoryFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

from .conftest import NewContext
from .helpers import assert_accessible, screenshot, translated

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
# Leaflet's files and the map's data: what the page must not fetch until the map is wanted.
MAP_REQUESTS = re.compile(r"leaflet|carte\.geojson")


@dataclass(frozen=True)
class Grid:
    town: Town
    shops: list[Shop]


@pytest.fixture
def grid() -> Grid:
    """Argentan with more placed shops than a directory page shows, spread over the town centre."""
    town = TownFactory.create(
        name="Argentan", slug="argentan", latitude=Decimal("48.7445"), longitude=Decimal("-0.0203")
    )
    trade = TradeCategoryFactory.create(name="Boutique", slug="boutique")
    shops = [
        ShopFactory.create(
            town=town,
            name=f"Commerce {row}{column}",
            category=trade,
            opening_hours="24/7",
            latitude=Decimal("48.7400") + Decimal("0.0018") * row,
            longitude=Decimal("-0.0260") + Decimal("0.0024") * column,
        )
        for row in range(5)
        for column in range(6)
    ]
    return Grid(town, shops)


@dataclass(frozen=True)
class Cluster:
    north: Shop
    middle: Shop
    west: Shop
    east: Shop


@pytest.fixture
def cluster() -> Cluster:
    """Four shops close together: a preview above the middle one would hide the one just north of it."""
    town = TownFactory.create(
        name="Argentan", slug="argentan", latitude=Decimal("48.7445"), longitude=Decimal("-0.0203")
    )

    def shop(name: str, lat: str, lng: str) -> Shop:
        return ShopFactory.create(
            town=town, name=name, opening_hours="24/7", latitude=Decimal(lat), longitude=Decimal(lng)
        )

    return Cluster(
        north=shop("Au Nord", "48.74472", "-0.02030"),
        middle=shop("Au Milieu", "48.74450", "-0.02030"),
        west=shop("À l'Ouest", "48.74450", "-0.02150"),
        east=shop("À l'Est", "48.74450", "-0.01910"),
    )


def open_map(page: Page) -> None:
    page.goto("/argentan/commerces/")
    expect(page.locator("#carte.map-ready")).to_be_visible()
    page.locator("#carte").scroll_into_view_if_needed()


def pin_boxes(page: Page) -> list[dict[str, Any]]:
    """Each pin: its name, whether it is in the Tab order and exposed, and where it is against the map."""
    boxes: list[dict[str, Any]] = page.evaluate(
        """() => {
            const map = document.getElementById("carte").getBoundingClientRect();
            return [...document.querySelectorAll("#carte .map-pin")].map((pin) => {
                const box = pin.getBoundingClientRect();
                const tipX = box.left + box.width / 2, tipY = box.bottom;
                return {
                    name: pin.textContent.split(" — ")[0],
                    tabbable: pin.tabIndex === 0 && !pin.closest("[inert]"),
                    inside: tipX >= map.left && tipX <= map.right && tipY >= map.top && tipY <= map.bottom,
                    box: {left: box.left, top: box.top, right: box.right, bottom: box.bottom},
                };
            });
        }"""
    )
    return boxes


def preview_box(page: Page) -> dict[str, float]:
    box: dict[str, float] = page.evaluate(
        """() => {
            const box = document.querySelector("#carte .map-preview").getBoundingClientRect();
            return {left: box.left, top: box.top, right: box.right, bottom: box.bottom};
        }"""
    )
    return box


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


def focused(page: Page) -> str:
    name: str = page.evaluate(
        "document.activeElement.classList.contains('map-pin') ? document.activeElement.textContent : ''"
    )
    return name.split(" — ")[0]


def test_the_map_shows_every_shop_of_the_filters_not_only_the_page(page: Page, grid: Grid) -> None:
    open_map(page)

    expect(page.locator("#carte .map-pin")).to_have_count(len(grid.shops))
    expect(page.get_by_role("main").locator(".shop-card")).to_have_count(DIRECTORY_PAGE_SIZE)


def test_pins_outside_the_visible_map_leave_the_tab_order_and_come_back(
    lang_page: Page, lang: str, grid: Grid
) -> None:
    page = lang_page
    open_map(page)
    assert all(pin["tabbable"] and pin["inside"] for pin in pin_boxes(page))

    zoom_in = page.get_by_role("button", name=translated(lang, "Zoomer"), exact=True)
    for _ in range(2):
        zoom_in.click()
        page.wait_for_timeout(400)  # Leaflet's zoom animation
    pins = pin_boxes(page)
    inside = {pin["name"] for pin in pins if pin["inside"]}
    assert 0 < len(inside) < len(grid.shops) / 2
    assert {pin["name"] for pin in pins if pin["tabbable"]} == inside

    # A keyboard walk from the map reaches the visible pins, each once, and nothing outside the map.
    page.locator("#carte").focus()
    reached = []
    for _ in range(len(grid.shops) + 2):
        page.keyboard.press("Tab")
        name = focused(page)
        if not name:
            break
        reached.append(name)
        expect(page.locator("#carte .map-preview")).to_contain_text(name)
    assert sorted(reached) == sorted(inside)

    zoom_out = page.get_by_role("button", name=translated(lang, "Dézoomer"))
    for _ in range(2):
        zoom_out.click()
        page.wait_for_timeout(400)
    assert all(pin["tabbable"] for pin in pin_boxes(page))
    assert_accessible(page)


def test_a_preview_stays_under_the_pointer_and_closes_with_escape(page: Page, cluster: Cluster) -> None:
    open_map(page)
    pin = page.locator("#carte .map-pin", has_text="Au Milieu")
    preview = page.locator("#carte .map-preview")

    # Hovered: the preview opens; the pointer can move onto it, and it stays.
    pin.hover()
    expect(preview).to_contain_text("Au Milieu")
    box = preview_box(page)
    page.mouse.move((box["left"] + box["right"]) / 2, (box["top"] + box["bottom"]) / 2, steps=5)
    page.wait_for_timeout(800)
    expect(preview).to_be_visible()
    page.keyboard.press("Escape")
    expect(preview).to_have_count(0)

    # Focused: Escape closes it and the focus stays on the pin.
    page.locator("#carte").focus()
    while focused(page) != "Au Milieu":
        page.keyboard.press("Tab")
    expect(preview).to_contain_text("Au Milieu")
    page.keyboard.press("Escape")
    expect(preview).to_have_count(0)
    assert focused(page) == "Au Milieu"

    # The pointer leaving both the pin and the preview closes it.
    pin.hover()
    expect(preview).to_be_visible()
    page.mouse.move(5, 5)
    expect(preview).to_have_count(0)


def test_a_preview_covers_no_other_pin(page: Page, cluster: Cluster) -> None:
    open_map(page)
    pins = pin_boxes(page)

    for pin in pins:
        page.locator("#carte .map-pin", has_text=pin["name"]).hover()
        expect(page.locator("#carte .map-preview")).to_contain_text(pin["name"])
        box = preview_box(page)
        covered = [other["name"] for other in pins if other is not pin and overlap(box, other["box"])]
        assert covered == [], f"the preview of {pin['name']} covers {covered}"
        page.mouse.move(5, 5)
        expect(page.locator("#carte .map-preview")).to_have_count(0)
    # Above "Au Milieu" is "Au Nord": its preview went to another side.
    page.locator("#carte .map-pin", has_text="Au Milieu").hover()
    assert page.locator("#carte .map-preview").get_attribute("data-side") != "top"


def test_on_a_phone_the_map_loads_when_wanted_and_a_first_tap_previews(
    new_context: NewContext, grid: Grid
) -> None:
    context = new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/argentan/commerces/")
    page.wait_for_load_state("networkidle")

    assert not [url for url in requested if MAP_REQUESTS.search(url)]
    see_map = page.get_by_role("link", name="Voir la carte")
    box = see_map.bounding_box()
    assert box is not None
    assert box["y"] < PHONE["height"], "the way to the map is on the first screen"
    see_map.tap()
    expect(page.locator("#carte.map-ready")).to_be_in_viewport()
    assert [url for url in requested if "leaflet" in url]

    pin = page.locator("#carte .map-pin:not([tabindex='-1'])").first
    name = (pin.text_content() or "").split(" — ")[0]
    pin.tap()
    preview = page.locator("#carte .map-preview")
    expect(preview).to_contain_text(name)
    expect(page).to_have_url(re.compile(r"/argentan/commerces/(#carte-titre)?$"))
    preview.get_by_role("link", name=re.compile("Voir la page du commerce")).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, PHONE], ids=["1280", "360"])
def test_directory_with_its_map_is_accessible(
    new_context: NewContext, lang: str, grid: Grid, viewport: dict[str, int], live_server: Any
) -> None:
    context = new_context(viewport=viewport)
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()
    page.goto("/argentan/commerces/")
    page.locator("#carte-titre").scroll_into_view_if_needed()
    expect(page.locator("#carte.map-ready")).to_be_visible()
    page.locator("#carte .map-pin").first.hover()
    expect(page.locator("#carte .map-preview")).to_be_visible()

    assert_accessible(page)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, f"directory-{viewport['width']}-{lang}")
