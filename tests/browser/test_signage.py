"""Photos, QR codes and posters in a browser: a merchant's steps without JavaScript, accessibility, 320 px."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import BrowserContext, FilePayload, Page, expect

from centreville.accounts.models import User
from centreville.core.tests.samples import jpeg_bytes, valid_upload
from centreville.shops.models import ShopPhoto
from centreville.shops.photos import shop_photo_add
from centreville.shops.tests.factories import ShopMembershipFactory

from .conftest import Argentan, NewContext
from .helpers import NARROW, assert_accessible, assert_fits, screenshot

pytestmark = pytest.mark.browser


def logged_in(context: BrowserContext, live_server: Any, user: User) -> Page:
    """A page of `context` with `user`'s session, as if they had logged in."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context.new_page()


@pytest.fixture
def baker(argentan: Argentan) -> User:
    user: User = ShopMembershipFactory.create(shop=argentan.bakery, user__email="baker@example.fr").user
    return user


def file(name: str, data: bytes) -> FilePayload:
    """A file as the phone's picker would hand it over, claiming to be a JPEG whatever it holds."""
    return {"name": name, "mimeType": "image/jpeg", "buffer": data}


def photos_path(argentan: Argentan) -> str:
    return f"/argentan/espace-commercant/commerces/{argentan.bakery.slug}/photos/"


def test_a_merchant_adds_orders_and_removes_photos_without_javascript(
    new_context: NewContext, live_server: Any, argentan: Argentan, baker: User
) -> None:
    page = logged_in(new_context(java_script_enabled=False), live_server, baker)
    page.goto(photos_path(argentan))
    main = page.get_by_role("main")

    for alt_text in ("La vitrine et ses baguettes", "Le four à pain"):
        page.get_by_label(re.compile(r"^Photo\b")).set_input_files(files=file("vitrine.jpg", jpeg_bytes()))
        page.get_by_label("Que montre la photo ?").last.fill(alt_text)
        main.get_by_role("button", name="Ajouter la photo").click()
        expect(page.get_by_role("status")).to_contain_text("La photo est ajoutée.")

    photos = main.get_by_role("list", name=re.compile("Photos en ligne"))
    expect(photos.get_by_role("img")).to_have_count(2)
    expect(photos.get_by_role("img").nth(1)).to_have_attribute("alt", "Le four à pain")

    photos.get_by_role("button", name="Monter la photo 2").click()
    expect(photos.get_by_role("img").first).to_have_attribute("alt", "Le four à pain")

    photos.get_by_role("link", name="Retirer la photo 2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retirer cette photo ?")
    page.get_by_role("button", name="Oui, retirer la photo").click()
    expect(page.get_by_role("status")).to_contain_text("La photo est retirée.")
    assert list(ShopPhoto.objects.values_list("alt_text", flat=True)) == ["Le four à pain"]


def test_a_refused_file_is_explained_next_to_the_field(
    context: BrowserContext, live_server: Any, argentan: Argentan, baker: User
) -> None:
    page = logged_in(context, live_server, baker)
    page.goto(photos_path(argentan))

    page.get_by_label(re.compile(r"^Photo\b")).set_input_files(files=file("vitrine.jpg", b"<?php echo 1; ?>"))
    page.get_by_label("Que montre la photo ?").last.fill("La vitrine")
    page.get_by_role("main").get_by_role("button", name="Ajouter la photo").click()

    expect(page.get_by_role("alert")).to_contain_text("n'est pas une photo au format JPEG, PNG ou WebP")
    expect(page.get_by_label("Que montre la photo ?").last).to_have_value("La vitrine")
    assert_accessible(page)
    assert not ShopPhoto.objects.exists()


@pytest.mark.parametrize("viewport", ["desktop", "narrow"])
def test_photo_and_print_pages_are_accessible_and_fit_small_screens(
    new_context: NewContext, live_server: Any, argentan: Argentan, baker: User, viewport: str
) -> None:
    first = shop_photo_add(shop=argentan.bakery, upload=valid_upload(), alt_text="La vitrine")
    shop_photo_add(
        shop=argentan.bakery, upload=valid_upload((300, 500)), alt_text="Le comptoir des viennoiseries"
    )
    context = new_context(viewport=NARROW) if viewport == "narrow" else new_context()
    page = logged_in(context, live_server, baker)

    for path, name in (
        (photos_path(argentan), "photos"),
        (f"/argentan/qr/{argentan.bakery.slug}/imprimer/", "qr-print"),
        (f"{photos_path(argentan)}{first.pk}/retirer/", "photo-remove"),
    ):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        if viewport == "narrow":
            assert_fits(page)
        assert_accessible(page)
        screenshot(page, f"{name}-{viewport}")


def test_the_print_page_shows_the_code_and_offers_the_poster(
    context: BrowserContext, live_server: Any, argentan: Argentan, baker: User
) -> None:
    page = logged_in(context, live_server, baker)
    page.goto(f"/argentan/qr/{argentan.bakery.slug}/imprimer/")

    code = page.get_by_role("img", name="QR code menant à la page de Boulangerie du Marché")
    expect(code).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth", code.element_handle()) > 0  # the SVG really loads
    with page.expect_download() as download:
        page.get_by_role("link", name="Affiche A4 à imprimer").click()
    assert download.value.suggested_filename == f"affiche-argentan-{argentan.bakery.slug}.pdf"
