"""The merchant's back-office in a browser: the shop's menu to its QR code and poster, photos added while
creating a product, hiding the shop only once confirmed, and the product list on a phone. French and English,
axe-clean, at 1280 and 360 px."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import FilePayload, expect

from centreville.accounts.models import User
from centreville.catalogue.models import Product, ProductPhoto
from centreville.catalogue.tests.factories import ProductFactory
from centreville.core.tests.samples import jpeg_bytes, two_halves
from centreville.shops.models import Shop, ShopStatus
from centreville.shops.tests.factories import ShopMembershipFactory

from .conftest import Argentan, NewContext
from .helpers import assert_accessible, assert_fits, screenshot, signed_in, translated

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": PHONE}


@pytest.fixture
def baker(argentan: Argentan) -> User:
    user: User = ShopMembershipFactory.create(shop=argentan.bakery, user__email="baker@example.fr").user
    return user


def shop_path(argentan: Argentan) -> str:
    return f"/argentan/espace-commercant/commerces/{argentan.bakery.slug}/"


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_shop_menu_leads_to_the_qr_code_and_poster(
    new_context: NewContext, live_server: Any, argentan: Argentan, baker: User, lang: str, viewport: str
) -> None:
    page = signed_in(new_context(viewport=VIEWPORTS[viewport]), live_server, baker, lang)
    page.goto(shop_path(argentan))

    offer = page.get_by_role("link", name=translated(lang, "Mon QR code et mon affiche"))
    expect(offer).to_be_visible()
    menu = page.get_by_role("navigation", name=re.compile(translated(lang, "Gérer").split(" ")[0]))
    link = menu.get_by_role("link", name=translated(lang, "QR code et affiche"))
    expect(link).to_have_accessible_description(translated(lang, "À coller en vitrine ou près de la caisse."))
    assert_accessible(page)
    assert_fits(page)
    screenshot(page, f"shop-form-{lang}-{viewport}")

    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Boulangerie du Marché")
    expect(page.get_by_role("heading", name=translated(lang, "Où le mettre"))).to_be_visible()
    expect(menu.get_by_role("link", name=translated(lang, "QR code et affiche"))).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page)
    assert_fits(page)
    screenshot(page, f"shop-print-{lang}-{viewport}")


def photo_file(name: str = "comte.jpg", size: tuple[int, int] = (800, 600)) -> FilePayload:
    return {"name": name, "mimeType": "image/jpeg", "buffer": jpeg_bytes(two_halves(size))}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_merchant_creates_a_product_with_its_photo_from_a_phone(
    new_context: NewContext, live_server: Any, argentan: Argentan, baker: User, lang: str
) -> None:
    page = signed_in(new_context(viewport=PHONE, has_touch=True, is_mobile=True), live_server, baker, lang)
    page.goto(f"{shop_path(argentan)}produits/nouveau/")
    assert_accessible(page)
    screenshot(page, f"product-create-{lang}-phone")

    page.get_by_label(re.compile("^" + re.escape(translated(lang, "Titre")))).fill("Comté 18 mois")
    page.get_by_label(re.compile("^" + re.escape(translated(lang, "Prix (€)")))).fill("24,90")
    library = page.get_by_label(translated(lang, "Photos du produit"))
    expect(library).to_have_attribute("accept", "image/*")
    expect(page.get_by_label(translated(lang, "Ou prenez la photo maintenant"))).to_have_attribute(
        "capture", "environment"
    )
    library.set_input_files(files=[photo_file(), photo_file("meule.jpg", (600, 800))])
    page.get_by_label(translated(lang, "Que montrent les photos ?")).fill("Une meule de comté entamée")
    page.get_by_role("button", name=translated(lang, "Enregistrer"), exact=True).click()

    expect(page.get_by_role("status").first).to_contain_text("Comté 18 mois")
    product = Product.objects.get(shop=argentan.bakery, title="Comté 18 mois")
    assert (
        list(ProductPhoto.objects.filter(product=product).values_list("alt_text", flat=True))
        == ["Une meule de comté entamée"] * 2
    )
    assert_accessible(page)


def test_without_javascript_a_refused_photo_keeps_everything_typed(
    new_context: NewContext, live_server: Any, argentan: Argentan, baker: User
) -> None:
    page = signed_in(new_context(viewport=PHONE, java_script_enabled=False), live_server, baker)
    page.goto(f"{shop_path(argentan)}produits/nouveau/")

    page.get_by_label("Titre").fill("Comté 18 mois")
    page.get_by_label("Prix (€)").fill("24,90")
    page.get_by_label("Description").fill("Affiné en cave.")
    refused: FilePayload = {"name": "vitrine.jpg", "mimeType": "image/jpeg", "buffer": b"<?php echo 1; ?>"}
    page.get_by_label("Photos du produit").set_input_files(files=[refused])
    page.get_by_role("button", name="Enregistrer", exact=True).click()

    expect(page.get_by_role("alert").first).to_contain_text(
        "« vitrine.jpg » : Ce fichier n'est pas une photo au format JPEG, PNG ou WebP."
    )
    expect(page.get_by_label("Titre")).to_have_value("Comté 18 mois")
    expect(page.get_by_label("Prix (€)")).to_have_value("24,90")
    expect(page.get_by_label("Description")).to_have_value("Affiné en cave.")
    assert not Product.objects.filter(title="Comté 18 mois").exists()

    page.get_by_role("button", name="Enregistrer", exact=True).click()  # no photo this time
    expect(page.get_by_role("status").first).to_contain_text("« Comté 18 mois » est enregistré.")
    assert Product.objects.filter(title="Comté 18 mois").exists()


def test_without_javascript_hiding_the_shop_asks_first(
    new_context: NewContext, live_server: Any, argentan: Argentan, baker: User
) -> None:
    page = signed_in(new_context(viewport=PHONE, java_script_enabled=False), live_server, baker)
    page.goto("/argentan/espace-commercant/")

    page.get_by_role("button", name="Masquer mon commerce").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Masquer « Boulangerie du Marché » ?")
    assert Shop.objects.get(pk=argentan.bakery.pk).status == ShopStatus.PUBLISHED

    page.get_by_role("link", name="Non, le garder en ligne").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace commerçant")
    assert Shop.objects.get(pk=argentan.bakery.pk).status == ShopStatus.PUBLISHED

    page.get_by_role("button", name="Masquer mon commerce").click()
    page.get_by_role("button", name="Oui, masquer mon commerce").click()
    expect(page.get_by_role("status")).to_contain_text("est masqué")
    assert Shop.objects.get(pk=argentan.bakery.pk).status == ShopStatus.HIDDEN


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_hiding_confirmation_is_accessible(
    new_context: NewContext, live_server: Any, argentan: Argentan, baker: User, lang: str, viewport: str
) -> None:
    page = signed_in(new_context(viewport=VIEWPORTS[viewport]), live_server, baker, lang)
    page.goto("/argentan/espace-commercant/")

    page.get_by_role("button", name=translated(lang, "Masquer mon commerce")).click()

    expect(page.get_by_role("button", name=translated(lang, "Oui, masquer mon commerce"))).to_be_visible()
    assert_accessible(page)
    assert_fits(page)
    screenshot(page, f"hide-confirm-{lang}-{viewport}")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_on_a_phone_the_first_product_shows_on_the_first_screen(
    new_context: NewContext, live_server: Any, argentan: Argentan, baker: User, lang: str
) -> None:
    for n in range(3):
        ProductFactory.create(shop=argentan.bakery, title=f"Baguette {n}")
    page = signed_in(new_context(viewport=PHONE, has_touch=True, is_mobile=True), live_server, baker, lang)
    page.goto(f"{shop_path(argentan)}produits/")

    screenshot(page, f"product-list-{lang}-phone")
    first = page.locator(".product-row").first
    box = first.bounding_box()
    assert box is not None
    # Its title row (44 px) is on the first screen, without scrolling.
    assert box["y"] + 44 < PHONE["height"], f"the first product starts {box['y']:.0f} px down"
    expect(page.get_by_role("navigation", name=translated(lang, "Afficher"))).to_contain_text("(4)")
    assert_accessible(page)
    assert_fits(page)
