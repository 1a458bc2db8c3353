"""A canteen on a 360 px phone makes a standing order from the empty form: it chooses the farm, types a
quantity under the lot's minimum and is told so, then sets the lots, Tuesday and the farm's pickup place,
sees the next hand-overs ahead and changes the quantity. French and English, axe-clean, on a fixed clock."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from centreville.enterprises.models import BuyerCategory
from centreville.wholesale.models import HandOver, StandingOrder
from centreville.wholesale.tests.scenario import AT, scenario

from .conftest import NewContext
from .helpers import assert_accessible, assert_fits, screenshot, signed_in, translated

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def _fits_and_is_accessible(page: Page) -> None:
    assert_fits(page)
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_canteen_creates_a_standing_order_from_the_empty_form(
    new_context: NewContext, live_server: Any, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: AT)  # Monday 7 December 2026, 9:00 in Paris
    given = scenario()
    given.buyer.name = "Cantine du collège"
    given.buyer.buyer_category = BuyerCategory.CANTEEN
    given.buyer.save()
    page = signed_in(new_context(viewport=PHONE, is_mobile=True), live_server, given.buyer_user, lang)

    page.goto(f"/pro/{given.buyer.slug}/commandes-regulieres/")
    _fits_and_is_accessible(page)
    page.get_by_role("link", name=translated(lang, "Nouvelle commande régulière")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Nouvelle commande régulière"))
    _fits_and_is_accessible(page)
    page.get_by_label(translated(lang, "Producteur")).select_option(given.farm.slug)
    page.get_by_role("button", name=translated(lang, "Continuer")).click()

    expect(page.get_by_label("Carottes")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Camembert")
    _fits_and_is_accessible(page)
    page.get_by_label("Carottes").fill("2")  # the carrots go by 5 at least
    page.get_by_label(translated(lang, "Jour de remise, chaque semaine")).select_option("2")
    page.get_by_label(translated(lang, "Lieu de remise")).select_option(f"farm|{given.place.pk}")
    page.get_by_role("button", name=translated(lang, "Enregistrer la commande régulière")).click()

    expect(page.get_by_role("alert").first).to_contain_text("Carottes")
    assert not StandingOrder.objects.exists()
    expect(page.get_by_label("Carottes")).to_have_value("2")
    _fits_and_is_accessible(page)
    screenshot(page, f"standing-order-form-error-{lang}")
    page.get_by_label("Carottes").fill("12")
    page.get_by_role("button", name=translated(lang, "Enregistrer la commande régulière")).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Ferme des Sources")
    standing = StandingOrder.objects.get()
    assert (standing.buyer, standing.weekday, standing.hand_over) == (given.buyer, 2, HandOver.FARM)
    assert standing.lines.get().quantity == Decimal("12")
    main = page.locator("main")
    expect(main).to_contain_text("Carottes")
    tuesday, monday = (translated(lang, name) for name in ("mardi", "lundi"))
    expect(main).to_contain_text(f"{tuesday} 8")
    expect(main).to_contain_text(f"{tuesday} 15")
    expect(main).to_contain_text(f"{monday} 7")
    _fits_and_is_accessible(page)
    screenshot(page, f"standing-order-created-{lang}")

    page.get_by_role("link", name=translated(lang, "Changer les lots et les quantités")).click()
    expect(page.get_by_label("Carottes")).to_have_value("12")
    _fits_and_is_accessible(page)
    page.get_by_label("Carottes").fill("15")
    page.get_by_role("button", name=translated(lang, "Enregistrer les lots")).click()

    expect(page.get_by_role("status")).to_contain_text(
        translated(lang, "Les lots de la commande régulière sont changés.")
    )
    assert standing.lines.get().quantity == Decimal("15")
    expect(main).to_contain_text("15 × Carottes")
