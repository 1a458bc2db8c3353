"""The merchant back-office on a phone: stock, price and visibility changed from the list in three taps or
fewer, with JavaScript (htmx swaps the row) and without (the form posts and comes back to the row)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Locator, Page, expect

from centreville.accounts.models import User
from centreville.accounts.tests.factories import DEFAULT_PASSWORD
from centreville.catalogue.models import Product
from centreville.shops.tests.factories import ShopMembershipFactory

from .conftest import Argentan, NewContext
from .helpers import NARROW, assert_accessible, assert_fits, screenshot, translated

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
MAX_TAPS = 3
MIN_TARGET_PX = 44


class Taps:
    """Counts the taps a task takes."""

    def __init__(self) -> None:
        self.count = 0

    def tap(self, target: Locator) -> None:
        self.count += 1
        target.click()


def log_in(page: Page, user: User, then: str) -> None:
    page.goto(f"/compte/login/?next={then}")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.get_by_role("main").get_by_role("button", name=translated("fr", "Sign In"), exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(then) + "$"))


@pytest.fixture
def merchant(argentan: Argentan, marie: User) -> User:
    ShopMembershipFactory.create(shop=argentan.bakery, user=marie)
    return marie


def products_path(argentan: Argentan) -> str:
    return f"/argentan/espace-commercant/commerces/{argentan.bakery.slug}/produits/"


def bread(argentan: Argentan) -> Product:
    return Product.objects.get(shop=argentan.bakery, title="Pain au levain")


def test_with_javascript_the_row_changes_in_place_in_three_taps_or_fewer(
    new_context: NewContext, argentan: Argentan, merchant: User
) -> None:
    page = new_context(viewport=PHONE, has_touch=True, is_mobile=True).new_page()
    log_in(page, merchant, "/argentan/espace-commercant/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace commerçant")
    expect(page.get_by_role("heading", level=2, name="Boulangerie du Marché")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "merchant-home-360")

    page.get_by_role("link", name=re.compile("Produits, prix et stocks")).click()
    expect(page).to_have_url(re.compile(re.escape(products_path(argentan)) + "$"))
    assert_accessible(page)
    product = bread(argentan)
    row = page.locator(f"#produit-{product.pk}")
    page.evaluate("window.notReloaded = true")  # gone if the page is loaded again

    # Stock: one tap on +1.
    stock = Taps()
    stock.tap(row.get_by_role("button", name=re.compile(r"^\+1")))
    expect(row.locator(".row-saved")).to_have_text("Stock de « Pain au levain » : 6.")
    expect(row.get_by_label(re.compile("^Stock"))).to_have_value("6")
    assert stock.count <= MAX_TAPS
    assert page.evaluate("document.activeElement.id") == f"plus-{product.pk}"  # focus stays on the button

    # Stock typed: tap the field, type, tap OK.
    typed = Taps()
    typed.tap(row.get_by_label(re.compile("^Stock")))
    row.get_by_label(re.compile("^Stock")).fill("12")
    typed.tap(row.get_by_role("button", name="OK pour le stock"))
    expect(row.locator(".row-saved")).to_have_text("Stock de « Pain au levain » : 12.")
    assert typed.count <= MAX_TAPS

    # Price with a French decimal comma.
    price = Taps()
    price.tap(row.get_by_label(re.compile(r"^Prix")))
    row.get_by_label(re.compile(r"^Prix")).fill("4,50")
    price.tap(row.get_by_role("button", name="OK pour le prix"))
    expect(row.locator(".row-saved")).to_have_text("Prix de « Pain au levain » : 4,50 €.")
    assert price.count <= MAX_TAPS

    # Hide it.
    hide = Taps()
    hide.tap(row.get_by_role("button", name=re.compile("^Masquer")))
    expect(row.locator(".badge")).to_have_text("Masqué")
    expect(row.get_by_role("button", name=re.compile("^Afficher"))).to_be_visible()
    assert hide.count <= MAX_TAPS

    assert page.evaluate("window.notReloaded === true"), "the list was reloaded instead of the row swapped"
    expect(page).to_have_url(re.compile(re.escape(products_path(argentan)) + "$"))
    product.refresh_from_db()
    assert (product.stock, product.price, product.is_visible) == (12, Decimal("4.50"), False)
    assert_accessible(page)
    screenshot(page, "merchant-products-360")

    # A refused price: the error is in the row, read out, and nothing changes.
    row.get_by_label(re.compile(r"^Prix")).fill("douze")
    row.get_by_role("button", name="OK pour le prix").click()
    expect(row.get_by_role("alert")).to_have_text("Prix « douze » illisible (exemple : 12,50).")
    expect(row.get_by_label(re.compile(r"^Prix"))).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    product.refresh_from_db()
    assert product.price == Decimal("4.50")


def test_without_javascript_each_change_comes_back_to_the_row(
    new_context: NewContext, argentan: Argentan, merchant: User
) -> None:
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    log_in(page, merchant, products_path(argentan))
    product = bread(argentan)
    row = page.locator(f"#produit-{product.pk}")
    back_at_row = re.compile(re.escape(products_path(argentan)) + f"#produit-{product.pk}$")

    stock = Taps()
    stock.tap(row.get_by_role("button", name=re.compile(r"^[\u2212-]1")))
    expect(page).to_have_url(back_at_row)
    expect(row.get_by_label(re.compile("^Stock"))).to_have_value("4")
    assert stock.count <= MAX_TAPS

    price = Taps()
    price.tap(row.get_by_label(re.compile(r"^Prix")))
    row.get_by_label(re.compile(r"^Prix")).fill("3.90")
    price.tap(row.get_by_role("button", name="OK pour le prix"))
    expect(page).to_have_url(back_at_row)
    expect(row.get_by_label(re.compile(r"^Prix"))).to_have_value("3,90")
    assert price.count <= MAX_TAPS

    hide = Taps()
    hide.tap(row.get_by_role("button", name=re.compile("^Masquer")))
    expect(page).to_have_url(back_at_row)
    expect(row.locator(".badge")).to_have_text("Masqué")
    assert hide.count <= MAX_TAPS

    product.refresh_from_db()
    assert (product.stock, product.price, product.is_visible) == (4, Decimal("3.90"), False)

    # Below zero is refused with a French message, on the list itself.
    Product.objects.filter(pk=product.pk).update(stock=0)
    page.reload()
    row.get_by_role("button", name=re.compile(r"^[\u2212-]1")).click()
    expect(row.get_by_role("alert")).to_have_text("Le stock ne peut pas descendre sous 0 : il en reste 0.")
    product.refresh_from_db()
    assert product.stock == 0


def test_merchant_pages_fit_a_phone_and_have_big_tap_targets(
    new_context: NewContext, argentan: Argentan, merchant: User
) -> None:
    page = new_context(viewport=NARROW).new_page()
    log_in(page, merchant, "/argentan/espace-commercant/")
    shop = f"/argentan/espace-commercant/commerces/{argentan.bakery.slug}/"
    for path in (
        "/argentan/espace-commercant/",
        shop,
        f"{shop}produits/",
        f"{shop}produits/nouveau/",
        f"{shop}produits/importer/",
        f"{shop}fermetures/",
        "/argentan/espace-commercant/nouveau-commerce/",
    ):
        page.goto(path)
        assert_fits(page)
        small = page.evaluate(
            """(min) => [...document.querySelectorAll('main button, main select, '
                     + 'main input:not([type=hidden]):not([type=checkbox]):not([type=radio])')]
                 .filter((e) => e.offsetParent !== null && e.getBoundingClientRect().height < min)
                 .map((e) => e.outerHTML.slice(0, 80))""",
            MIN_TARGET_PX,
        )
        assert not small, f"{path}: controls under {MIN_TARGET_PX} px high: {small}"
        assert_accessible(page)
        screenshot(page, "merchant" + path.replace("/", "-") + "320")


def test_a_new_product_from_the_phone_with_a_french_price(
    new_context: NewContext, argentan: Argentan, merchant: User
) -> None:
    page = new_context(viewport=PHONE).new_page()
    log_in(page, merchant, products_path(argentan) + "nouveau/")
    expect(page.get_by_label("Prix (€)")).to_have_attribute("inputmode", "decimal")
    expect(page.locator("#id_stock")).to_have_attribute("inputmode", "numeric")

    page.get_by_label("Titre").fill("Fougasse aux olives")
    page.get_by_label("Prix (€)").fill("douze")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Prix « douze » illisible")
    assert_accessible(page)
    page.get_by_label("Prix (€)").fill("3,20")
    page.get_by_role("button", name="Enregistrer", exact=True).click()

    expect(page).to_have_url(re.compile(re.escape(products_path(argentan)) + r"#produit-\d+$"))
    expect(page.locator(".messages")).to_contain_text("« Fougasse aux olives » est enregistré.")
    product = Product.objects.get(title="Fougasse aux olives")
    assert (product.shop, product.price, product.stock) == (argentan.bakery, Decimal("3.20"), None)
