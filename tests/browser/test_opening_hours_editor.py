"""A merchant sets the shop's opening hours day by day on a phone, by touch or keyboard, and sees them on the
public page; the raw expression stays for the rare cases. French and English, axe-clean, 360 and 1280 px."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from centreville.accounts.models import User
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopMembershipFactory

from .conftest import Argentan, NewContext
from .helpers import assert_accessible, assert_fits, screenshot, signed_in, translated
from .test_merchant_backoffice import PHONE, VIEWPORTS

pytestmark = pytest.mark.browser


@pytest.fixture
def baker(argentan: Argentan) -> User:
    user: User = ShopMembershipFactory.create(shop=argentan.bakery, user__email="baker@example.fr").user
    return user


def edit_path(argentan: Argentan) -> str:
    return f"/argentan/espace-commercant/commerces/{argentan.bakery.slug}/"


def day(page: Page, lang: str, name: str) -> Locator:
    return page.get_by_role("group", name=translated(lang, name).capitalize(), exact=True)


def label(lang: str, text: str) -> re.Pattern[str]:
    return re.compile("^" + re.escape(translated(lang, text)))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_merchant_sets_the_hours_day_by_day_on_a_phone(
    new_context: NewContext, live_server: Any, argentan: Argentan, baker: User, lang: str
) -> None:
    page = signed_in(new_context(viewport=PHONE, has_touch=True, is_mobile=True), live_server, baker, lang)
    page.goto(edit_path(argentan))
    assert_accessible(page)
    assert_fits(page)

    monday = day(page, lang, "lundi")
    monday.get_by_label(translated(lang, "Ouvert"), exact=True).check()
    monday.get_by_label(label(lang, "Ouverture")).fill("08:00")
    monday.get_by_label(label(lang, "Fermeture")).first.fill("12:00")
    monday.get_by_label(label(lang, "Réouverture (facultatif)")).fill("14:00")
    monday.get_by_label(label(lang, "Fermeture")).last.fill("18:30")
    # Tuesday to Friday: « same as the day before », the first by touch, the others by keyboard.
    day(page, lang, "mardi").get_by_label(translated(lang, "Comme la veille")).check()
    for name in ("mercredi", "jeudi", "vendredi"):
        group = day(page, lang, name)
        group.get_by_label(translated(lang, "Ouvert"), exact=True).focus()
        page.keyboard.press("ArrowRight")
        expect(group.get_by_label(translated(lang, "Comme la veille"))).to_be_checked()
        expect(group.get_by_label(label(lang, "Ouverture"))).to_be_hidden()  # no times for a copied day
    saturday = day(page, lang, "samedi")
    expect(saturday.get_by_label(label(lang, "Ouverture"))).to_be_hidden()  # saved as the same as Friday
    saturday.get_by_label(translated(lang, "Ouvert"), exact=True).check()
    expect(saturday.get_by_label(label(lang, "Ouverture"))).to_be_visible()
    saturday.get_by_label(label(lang, "Ouverture")).fill("09:00")
    saturday.get_by_label(label(lang, "Fermeture")).first.fill("13:00")
    page.get_by_label(translated(lang, "Fermé les jours fériés")).check()
    screenshot(page, f"hours-editor-{lang}-phone")

    page.get_by_role("button", name=translated(lang, "Enregistrer"), exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("Boulangerie du Marché")
    shop = Shop.objects.get(pk=argentan.bakery.pk)
    assert shop.opening_hours == "Mo-Fr 08:00-12:00,14:00-18:30; Sa 09:00-13:00; PH off"

    page.goto(f"/argentan/commerces/{shop.slug}/")
    hours = page.locator("table.hours")
    expect(hours).to_contain_text("18:30")
    expect(hours).to_contain_text("13:00")
    assert_accessible(page)


def test_a_mistake_is_explained_beside_the_day_and_nothing_is_lost(
    new_context: NewContext, live_server: Any, argentan: Argentan, baker: User
) -> None:
    page = signed_in(new_context(viewport=PHONE), live_server, baker)
    page.goto(edit_path(argentan))

    page.get_by_role("textbox", name=re.compile(r"^Nom\W*$")).fill("Boulangerie du Marché et fils")
    wednesday = day(page, "fr", "mercredi")
    wednesday.get_by_label("Ouvert", exact=True).check()
    wednesday.get_by_label(label("fr", "Ouverture")).fill("14:00")
    wednesday.get_by_label(label("fr", "Fermeture")).first.fill("12:00")
    page.get_by_role("button", name="Enregistrer", exact=True).click()

    expect(page.get_by_role("alert").first).to_contain_text(
        "Mercredi : la fermeture (12:00) ne vient pas après"
    )
    expect(page.get_by_role("textbox", name=re.compile(r"^Nom\W*$"))).to_have_value(
        "Boulangerie du Marché et fils"
    )
    expect(day(page, "fr", "mercredi").get_by_label(label("fr", "Ouverture"))).to_have_value("14:00")
    expect(day(page, "fr", "mercredi").get_by_label(label("fr", "Fermeture")).first).to_have_attribute(
        "aria-invalid", "true"
    )
    assert_accessible(page)
    assert Shop.objects.get(pk=argentan.bakery.pk).opening_hours == "Tu-Sa 09:00-12:30,14:00-19:00"


def test_without_javascript_the_table_still_works(
    new_context: NewContext, live_server: Any, argentan: Argentan, baker: User
) -> None:
    page = signed_in(new_context(viewport=PHONE, java_script_enabled=False), live_server, baker)
    page.goto(edit_path(argentan))

    sunday = day(page, "fr", "dimanche")
    sunday.get_by_label("Ouvert", exact=True).check()
    sunday.get_by_label(label("fr", "Ouverture")).fill("09:00")
    sunday.get_by_label(label("fr", "Fermeture")).first.fill("12:30")
    page.get_by_role("button", name="Enregistrer", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("sont enregistrées")
    assert Shop.objects.get(pk=argentan.bakery.pk).opening_hours == (
        "Tu-Sa 09:00-12:30,14:00-19:00; Su 09:00-12:30"
    )


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_hours_a_table_cannot_show_keep_the_raw_field_and_say_why(
    new_context: NewContext, live_server: Any, argentan: Argentan, baker: User, lang: str, viewport: str
) -> None:
    Shop.objects.filter(pk=argentan.bakery.pk).update(
        opening_hours="Mo-Fr 09:00-18:00; week 01-26 Sa 09:00-12:00"
    )
    page = signed_in(new_context(viewport=VIEWPORTS[viewport]), live_server, baker, lang)
    page.goto(edit_path(argentan))

    expect(page.locator("#horaires-tableau-indisponible")).to_contain_text(
        translated(lang, "des numéros de semaine")
    )
    raw = page.get_by_label(translated(lang, "Horaires au format OpenStreetMap"))
    expect(raw).to_be_visible()
    expect(raw).to_have_value("Mo-Fr 09:00-18:00; week 01-26 Sa 09:00-12:00")
    expect(page.get_by_role("group", name=translated(lang, "lundi").capitalize(), exact=True)).to_have_count(
        0
    )
    assert_accessible(page)
    assert_fits(page)
    screenshot(page, f"hours-raw-{lang}-{viewport}")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_shop_form_with_its_table_is_accessible_on_a_wide_screen(
    new_context: NewContext, live_server: Any, argentan: Argentan, baker: User, lang: str
) -> None:
    page = signed_in(new_context(), live_server, baker, lang)
    page.goto(edit_path(argentan))

    expect(day(page, lang, "mardi").get_by_label(label(lang, "Ouverture"))).to_have_value("09:00")
    assert_accessible(page)
    screenshot(page, f"hours-editor-{lang}-desktop")


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_town_sets_a_relay_points_hours_day_by_day(
    new_context: NewContext, live_server: Any, argentan: Argentan, lang: str, viewport: str
) -> None:
    from centreville.accounts.models import Role
    from centreville.accounts.tests.factories import TownRoleFactory
    from centreville.fulfilment.models import RelayPoint

    manager = TownRoleFactory.create(town=argentan.town, role=Role.MANAGER).user
    page = signed_in(new_context(viewport=VIEWPORTS[viewport]), live_server, manager, lang)
    page.goto("/argentan/gestion/retrait-livraison/points-relais/nouveau/")
    assert_accessible(page)
    assert_fits(page)

    page.get_by_label(re.compile("^" + re.escape(translated(lang, "nom").capitalize()))).first.fill("Presse")
    page.get_by_label(re.compile("^" + re.escape(translated(lang, "adresse").capitalize()))).first.fill(
        "1 place"
    )
    monday = day(page, lang, "lundi")
    monday.get_by_label(translated(lang, "Ouvert"), exact=True).check()
    monday.get_by_label(label(lang, "Ouverture")).fill("07:00")
    monday.get_by_label(label(lang, "Fermeture")).first.fill("19:30")
    for name in ("mardi", "mercredi", "jeudi", "vendredi", "samedi"):
        day(page, lang, name).get_by_label(translated(lang, "Comme la veille")).check()
    screenshot(page, f"relay-hours-{lang}-{viewport}")
    page.get_by_role("button", name=translated(lang, "Enregistrer"), exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("Presse")
    assert RelayPoint.objects.get(name="Presse").opening_hours == "Mo-Sa 07:00-19:30"
