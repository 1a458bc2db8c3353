"""The showcase in a real browser: the directory with and without JavaScript, its map, shop and product pages.

Map tiles never load here (every host but 127.0.0.1 is unresolvable): the map must work without them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from centreville.catalogue.models import Product
from centreville.catalogue.photos import product_photo_add
from centreville.catalogue.tests.factories import ProductFactory, ProductVariantFactory
from centreville.core.tests.samples import valid_upload
from centreville.shops.models import PaymentMethod, Shop
from centreville.shops.photos import shop_photo_add
from centreville.shops.tests.factories import ShopFactory, TradeCategoryFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

from .conftest import NewContext
from .helpers import NARROW, assert_accessible, assert_fits, screenshot, translated

pytestmark = pytest.mark.browser

# Listens before any page script runs (an init script is not subject to the page's CSP).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@dataclass(frozen=True)
class Showcase:
    town: Town
    bakery: Shop
    bookshop: Shop
    florist: Shop
    elsewhere: Shop
    bread: Product


def at(lat: str, lng: str) -> dict[str, Decimal]:
    return {"latitude": Decimal(lat), "longitude": Decimal(lng)}


@pytest.fixture
def showcase() -> Showcase:
    """Argentan with three placed shops (one without services), and a shop in Alençon that never shows."""
    town = TownFactory.create(
        name="Argentan", slug="argentan", latitude=Decimal("48.7445"), longitude=Decimal("-0.0203")
    )
    other = TownFactory.create(name="Alençon", slug="alencon")
    bread = TradeCategoryFactory.create(name="Boulangerie", slug="boulangerie")
    books = TradeCategoryFactory.create(name="Librairie", slug="librairie")
    flowers = TradeCategoryFactory.create(name="Fleuriste", slug="fleuriste")
    bakery = ShopFactory.create(
        town=town,
        name="Boulangerie du Marché",
        category=bread,
        description="Pains au levain et viennoiseries pur beurre.",
        opening_hours="Mo-Sa 07:00-19:30",
        phone="02 33 36 12 34",
        website="https://boulangerie.example/",
        offers_click_collect=True,
        accessible_entrance=True,
        payment_methods=[PaymentMethod.CASH, PaymentMethod.CARD],
        **at("48.7447", "-0.0199"),
    )
    bookshop = ShopFactory.create(
        town=town,
        name="Librairie des Halles",
        category=books,
        offers_click_collect=True,
        **at("48.7440", "-0.0210"),
    )
    florist = ShopFactory.create(
        town=town, name="Au Jardin d'Ambre", category=flowers, **at("48.7452", "-0.0190")
    )
    elsewhere = ShopFactory.create(
        town=other, name="Fromagerie d'Alençon", category=bread, **at("48.43", "0.09")
    )
    shop_photo_add(shop=bakery, upload=valid_upload((800, 600)), alt_text="La vitrine de la boulangerie")
    product = ProductFactory.create(
        shop=bakery, title="Pain au levain", slug="pain-au-levain", price=Decimal("4.20"), stock=None
    )
    product_photo_add(product=product, upload=valid_upload((600, 600)), alt_text="Un pain au levain tranché")
    ProductVariantFactory.create(product=product, label="500 g", price=Decimal("4.20"), stock=3)
    ProductVariantFactory.create(product=product, label="1 kg", price=Decimal("7.80"), stock=0)
    ProductFactory.create(shop=bakery, title="Croissant", price=Decimal("1.20"))
    return Showcase(town, bakery, bookshop, florist, elsewhere, product)


def watch(page: Page) -> list[str]:
    """Script errors and CSP violations of the page, as they happen."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: problems.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.add_init_script(CSP_LISTENER)
    return problems


def csp_violations(page: Page) -> list[str]:
    violations: list[str] = page.evaluate("window.__cspViolations || []")
    return violations


def cards(page: Page) -> Any:
    return page.get_by_role("main").locator(".shop-card h3")


def test_directory_filters_and_list_work_without_javascript(
    new_context: NewContext, showcase: Showcase
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/argentan/commerces/")

    expect(cards(page)).to_have_text(["Au Jardin d'Ambre", "Boulangerie du Marché", "Librairie des Halles"])
    expect(page.get_by_role("main")).not_to_contain_text("Alençon")
    expect(page.get_by_text("La carte a besoin de JavaScript")).to_be_visible()
    expect(page.locator("#carte")).to_be_hidden()

    page.get_by_label("Métier").select_option("boulangerie")
    page.get_by_label("Click & Collect (retrait en boutique)").check()
    page.get_by_role("button", name="Afficher les commerces").click()

    expect(page).to_have_url(re.compile(r"/argentan/commerces/\?metier=boulangerie&retrait=on$"))
    expect(cards(page)).to_have_text(["Boulangerie du Marché"])
    expect(page.get_by_label("Click & Collect (retrait en boutique)")).to_be_checked()
    page.get_by_role("link", name="Retirer les filtres").click()
    expect(cards(page)).to_have_count(3)


def test_directory_map_shows_a_marker_per_shop_and_leads_to_the_shop(
    lang_page: Page, lang: str, showcase: Showcase
) -> None:
    page = lang_page
    problems = watch(page)
    page.goto("/argentan/commerces/")

    map_region = page.get_by_role("region", name=re.compile(translated(lang, "Carte des commerces")[:20]))
    expect(map_region).to_be_visible()
    expect(page.locator("#carte.leaflet-container.map-ready")).to_be_visible()
    pins = page.locator("#carte .map-pin")
    expect(pins).to_have_count(3)
    expect(cards(page)).to_have_count(3)  # the list is still there, whole
    assert_accessible(page)
    screenshot(page, f"directory-map-{lang}")

    # Keyboard: from the map, Tab reaches the markers, each a link named after its shop.
    page.locator("#carte").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.textContent]")
    assert focused[0] == "map-pin", focused
    expect(page.locator(".leaflet-tooltip")).to_contain_text(focused[1].split(" — ")[0])
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/argentan/commerces/[a-z0-9-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(focused[1].split(" — ")[0])

    assert problems == []
    assert csp_violations(page) == []


def test_directory_map_needs_no_tiles_and_its_zoom_buttons_are_named(page: Page, showcase: Showcase) -> None:
    tile_requests: list[str] = []
    page.on("requestfailed", lambda request: tile_requests.append(request.url))
    page.goto("/argentan/commerces/")

    expect(page.locator("#carte .map-pin")).to_have_count(3)
    expect(page.get_by_role("button", name="Zoomer", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Dézoomer")).to_be_visible()
    page.get_by_role("button", name="Zoomer", exact=True).click()
    expect(page.locator("#carte .map-pin")).to_have_count(3)
    assert all("openstreetmap.org" in url for url in tile_requests)


def test_shop_page_in_french_and_english(lang_page: Page, lang: str, showcase: Showcase) -> None:
    page = lang_page
    problems = watch(page)
    page.goto("/argentan/commerces/")
    page.get_by_role("main").get_by_role("link", name="Boulangerie du Marché", exact=True).click()

    expect(page).to_have_url(re.compile(f"/argentan/commerces/{showcase.bakery.slug}/$"))
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Boulangerie du Marché")
    expect(main.get_by_role("img", name="La vitrine de la boulangerie")).to_be_visible()
    hours = main.get_by_role("table", name=translated(lang, "Horaires des sept prochains jours"))
    expect(hours.get_by_role("row")).to_have_count(8)
    expect(hours).not_to_contain_text("Mo-Sa")
    expect(main.get_by_role("link", name="02 33 36 12 34")).to_have_attribute("href", "tel:+33233361234")
    expect(main.get_by_role("link", name="https://boulangerie.example/")).to_have_attribute("rel", "noopener")
    expect(main.locator(".opening").first).to_have_text(
        re.compile(r"^(Ouvert|Fermé)" if lang == "fr" else r"^(Open|Closed)")
    )
    products = main.get_by_role("list", name=translated(lang, "Produits"))
    expect(products.get_by_role("heading", level=3)).to_have_text(["Croissant", "Pain au levain"])
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content() or "")
    assert data["@type"] == "LocalBusiness"  # "boulangerie" is no trade of the taxonomy: no finer type
    assert data["name"] == "Boulangerie du Marché"
    assert data["telephone"] == "+33233361234"
    assert_accessible(page)
    screenshot(page, f"shop-{lang}")
    assert problems == []
    assert csp_violations(page) == []


def test_product_page_in_french_and_english(lang_page: Page, lang: str, showcase: Showcase) -> None:
    page = lang_page
    problems = watch(page)
    page.goto(f"/argentan/commerces/{showcase.bakery.slug}/")
    page.get_by_role("main").get_by_role("link", name="Pain au levain").click()

    expect(page).to_have_url(
        re.compile(f"/argentan/commerces/{showcase.bakery.slug}/produits/pain-au-levain/$")
    )
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Pain au levain")
    expect(main.get_by_role("img", name="Un pain au levain tranché")).to_be_visible()
    variants = main.get_by_role("table", name=translated(lang, "Variantes"))
    expect(variants.get_by_role("row")).to_have_count(3)
    expect(variants).to_contain_text("7,80" if lang == "fr" else "7.80")
    expect(main).to_contain_text("Boulangerie du Marché")
    expect(main.get_by_role("list", name=translated(lang, "Du même commerce"))).to_contain_text("Croissant")
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content() or "")
    assert data["@type"] == "Product"
    assert [offer["price"] for offer in data["offers"]] == ["4.20", "7.80"]
    assert_accessible(page)
    screenshot(page, f"product-{lang}")
    assert problems == []
    assert csp_violations(page) == []


def test_town_home_shows_open_shops_and_leads_to_the_directory(page: Page, showcase: Showcase) -> None:
    page.goto("/argentan/")

    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Ouverts en ce moment")).to_be_visible()
    main.get_by_role("link", name="Boulangerie", exact=True).click()
    expect(page).to_have_url(re.compile(r"/argentan/commerces/\?metier=boulangerie$"))
    expect(cards(page)).to_have_text(["Boulangerie du Marché"])
    assert_accessible(page)


@pytest.mark.parametrize(
    "path",
    [
        "/argentan/commerces/",
        "/argentan/commerces/{shop}/",
        "/argentan/commerces/{shop}/produits/pain-au-levain/",
    ],
)
def test_showcase_pages_fit_a_320px_screen(new_context: NewContext, showcase: Showcase, path: str) -> None:
    page = new_context(viewport=NARROW).new_page()
    page.goto(path.format(shop=showcase.bakery.slug))

    assert_fits(page)
    assert_accessible(page)


def test_a_shop_of_another_town_is_not_found_here(context: BrowserContext, showcase: Showcase) -> None:
    page = context.new_page()

    response = page.goto(f"/argentan/commerces/{showcase.elsewhere.slug}/")

    assert response is not None
    assert response.status == 404
