"""The public pages a resident uses — home, directory, shop, product, search — at 1280 and 360 px, in French
and English: axe-clean, nothing wider than the screen, and the phone's header on one line with its menu
behind a disclosure that works with the keyboard and without JavaScript."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from centreville.catalogue.tests.factories import ProductFactory, ProductVariantFactory
from centreville.search.services import rebuild_index
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopMembershipFactory
from centreville.showcase import featured

from .conftest import Argentan, NewContext
from .helpers import DESKTOP, assert_accessible, assert_fits, screenshot, translated

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 360, "height": 740}
PAGES = {
    "home": "/argentan/",
    "directory": "/argentan/commerces/",
    "shop": "/argentan/commerces/{bakery}/",
    "product": "/argentan/commerces/{bakery}/produits/{loaf}/",
    "search": "/argentan/recherche/?q=pain",
}


@pytest.fixture
def town(argentan: Argentan) -> dict[str, str]:
    """Argentan, its bakery chosen for the home, taking orders, with a product in two sizes."""
    Shop.objects.filter(pk=argentan.bakery.pk).update(
        offers_click_collect=True, opening_hours="Mo-Sa 07:00-19:30", description="Pains au levain."
    )
    argentan.bakery.refresh_from_db()
    ShopMembershipFactory.create(shop=argentan.bakery)  # someone handles its orders
    featured.featured_shop_add(town=argentan.town, shop=argentan.bakery)
    loaf = ProductFactory.create(
        shop=argentan.bakery, title="Pain de seigle", price=Decimal("3.10"), stock=None
    )
    ProductVariantFactory.create(product=loaf, label="400 g", size="400 g")
    ProductVariantFactory.create(product=loaf, label="800 g", price=Decimal("5.80"))
    rebuild_index()
    return {"bakery": argentan.bakery.slug, "loaf": loaf.slug}


def open_in(new_context: NewContext, live_server: Any, viewport: ViewportSize, lang: str) -> Page:
    context = new_context(viewport=viewport)
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    return context.new_page()


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "360"])
def test_public_pages_are_accessible_and_fit_the_screen(
    new_context: NewContext,
    live_server: Any,
    town: dict[str, str],
    lang: str,
    viewport: ViewportSize,
    name: str,
) -> None:
    page = open_in(new_context, live_server, viewport, lang)

    page.goto(PAGES[name].format(**town))

    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"{name}-{viewport['width']}-{lang}")


def test_a_phones_header_is_one_line_with_town_search_and_basket(
    new_context: NewContext, live_server: Any, town: dict[str, str]
) -> None:
    page = open_in(new_context, live_server, PHONE, "fr")
    page.goto(PAGES["shop"].format(**town))
    banner = page.get_by_role("banner")

    brand = banner.get_by_role("link", name="Argentan", exact=True).bounding_box()
    search = banner.get_by_role("link", name="Rechercher").bounding_box()
    basket = banner.get_by_role("link", name=re.compile("^Panier")).bounding_box()
    header = banner.bounding_box()
    assert brand is not None
    assert search is not None
    assert basket is not None
    assert header is not None
    assert header["height"] <= 64, f"the header takes {header['height']} px of a 740 px screen"
    assert abs(brand["y"] - basket["y"]) < 16
    assert abs(search["y"] - basket["y"]) < 16
    expect(banner.get_by_role("link", name="Commerces")).to_be_hidden()  # behind "Menu"

    # The menu: a disclosure reached with Tab, opened with Enter, its links then in the Tab order.
    menu = banner.locator("summary", has_text="Menu")
    menu.focus()
    page.keyboard.press("Enter")
    expect(banner.get_by_role("link", name="Commerces")).to_be_visible()
    page.keyboard.press("Tab")
    expect(banner.get_by_role("link", name="Accueil")).to_be_focused()
    assert_accessible(page)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(banner.get_by_role("link", name="Commerces")).to_be_hidden()


def test_the_phone_menu_opens_without_javascript(new_context: NewContext, town: dict[str, str]) -> None:
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    page.goto("/argentan/")

    page.get_by_role("banner").locator("summary", has_text="Menu").click()
    page.get_by_role("banner").get_by_role("link", name="Commerces").click()

    expect(page).to_have_url(re.compile(r"/argentan/commerces/$"))


def test_adding_from_a_shop_page_stays_there_and_counts_in_the_header(
    new_context: NewContext, live_server: Any, town: dict[str, str], lang: str
) -> None:
    page = open_in(new_context, live_server, PHONE, lang)
    page.goto(PAGES["shop"].format(**town))
    add = translated(lang, "Ajouter au panier")

    page.get_by_role("button", name=re.compile(f"^{add}.*Pain au levain")).click()

    expect(page).to_have_url(re.compile(rf"/argentan/commerces/{town['bakery']}/$"))
    expect(page.get_by_role("status")).to_contain_text("Pain au levain")
    basket = page.get_by_role("banner").get_by_role("link", name=re.compile("^" + translated(lang, "Panier")))
    expect(basket).to_contain_text("1")
    assert_accessible(page)


def test_the_favicon_is_served(page: Page, town: dict[str, str]) -> None:
    response = page.request.get("/favicon.ico")

    assert response.status == 200
    assert response.body()[:4] == b"\x00\x00\x01\x00"
