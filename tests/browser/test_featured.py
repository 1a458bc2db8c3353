"""The town manager's « mise en avant » in a real browser, in French and English, on a computer and a phone:
choose a shop and a product, reorder, and see the town's home lead with them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from centreville.accounts.models import Role, User
from centreville.accounts.tests.factories import TownRoleFactory

from .conftest import Argentan, NewContext
from .helpers import DESKTOP, assert_accessible, screenshot, signed_in, translated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def manager(argentan: Argentan) -> User:
    return TownRoleFactory.create(
        town=argentan.town, role=Role.MANAGER, user__email="manager@argentan.example"
    ).user


@pytest.mark.parametrize("viewport", [DESKTOP, {"width": 360, "height": 740}], ids=["1280", "360"])
def test_the_manager_puts_a_shop_and_a_product_forward(
    new_context: NewContext,
    live_server: Any,
    argentan: Argentan,
    manager: User,
    lang: str,
    viewport: dict[str, int],
) -> None:
    page = signed_in(new_context(viewport=viewport), live_server, manager, lang)
    page.goto("/argentan/gestion/mise-en-avant/")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(translated(lang, "Mise en avant sur l'accueil"))
    assert_accessible(page)

    main.get_by_label(translated(lang, "Commerce à mettre en avant")).select_option(
        label="Librairie des Halles (Librairie)"
    )
    main.get_by_role("button", name=translated(lang, "Mettre en avant"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Librairie des Halles")
    chosen_shops = main.get_by_role(
        "list", name=translated(lang, "Commerces mis en avant (%(max)s au plus)") % {"max": 12}
    )
    expect(chosen_shops).to_contain_text("Librairie des Halles")

    main.get_by_label(translated(lang, "Chercher un produit par son nom")).fill("pain")
    main.get_by_role("button", name=translated(lang, "Chercher"), exact=True).click()
    main.get_by_role(
        "button", name=re.compile(translated(lang, "Mettre en avant") + ".*Pain au levain")
    ).click()
    expect(page.get_by_role("status")).to_contain_text("Pain au levain")
    assert_accessible(page)
    screenshot(page, f"featured-{viewport['width']}-{lang}")

    page.goto("/argentan/")
    shops = page.get_by_role("main").get_by_role("list", name=translated(lang, "Commerces à découvrir"))
    expect(shops.get_by_role("heading", level=3).first).to_have_text("Librairie des Halles")
    products = page.get_by_role("main").get_by_role("list", name=translated(lang, "Produits à découvrir"))
    expect(products.get_by_role("heading", level=3).first).to_have_text("Pain au levain")
