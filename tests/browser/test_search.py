"""Searching a town in a real browser: the form, a corrected typo, facets, pages and results, with and
without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from centreville.catalogue.tests.factories import ProductFactory
from centreville.search.services import rebuild_index
from centreville.shops.models import Shop

from .conftest import Argentan, NewContext
from .helpers import NARROW, assert_accessible, assert_fits, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def indexed(argentan: Argentan) -> Argentan:
    """Argentan with 24 loaves more in its bakery (two pages of bread), indexed."""
    Shop.objects.filter(pk=argentan.bakery.pk).update(description="Pains et viennoiseries cuits sur place.")
    for number in range(24):
        ProductFactory.create(shop=argentan.bakery, title=f"Pain de campagne n° {number + 1}")
    rebuild_index()
    return argentan


def test_search_a_misspelt_word_then_narrow_down_and_open_a_shop(page: Page, indexed: Argentan) -> None:
    page.goto("/argentan/recherche/")
    assert_accessible(page)
    search_box = page.get_by_label("Rechercher un commerce ou un produit")
    search_box.fill("boulangrie")
    page.get_by_role("button", name="Rechercher").click()

    expect(page).to_have_url(re.compile(r"/argentan/recherche/\?q=boulangrie$"))
    main = page.get_by_role("main")
    expect(main).to_contain_text("Résultats pour « boulangerie »")
    results = main.get_by_role("list", name="1 résultat")
    expect(results.get_by_role("heading", level=3)).to_have_text(["Boulangerie du Marché"])
    assert_accessible(page)
    screenshot(page, "search-corrected")

    search_box.fill("pain")
    search_box.press("Enter")
    expect(main.get_by_role("heading", name="26 résultats")).to_be_visible()
    types = main.get_by_role("list", name="Type")
    expect(types.get_by_role("link", name="Tous les types")).to_have_attribute("aria-current", "true")
    types.get_by_role("link", name=re.compile(r"^Commerces")).click()

    expect(page).to_have_url(re.compile(r"type=commerce"))
    expect(types.get_by_role("link", name=re.compile(r"^Commerces \(1\)"))).to_have_attribute(
        "aria-current", "true"
    )
    expect(main.get_by_role("heading", name="1 résultat")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "search-facet")

    main.get_by_role("link", name="Boulangerie du Marché").click()
    expect(page).to_have_url(re.compile(f"/argentan/commerces/{indexed.bakery.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Boulangerie du Marché")


def test_the_search_page_works_without_javascript(new_context: NewContext, indexed: Argentan) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/argentan/recherche/")
    page.get_by_label("Rechercher un commerce ou un produit").fill("pains")
    page.keyboard.press("Enter")

    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="26 résultats")).to_be_visible()
    expect(main).to_contain_text("Résultats 1 à 20 sur 26")
    pages = main.get_by_role("navigation", name="Pages de résultats")
    expect(pages.get_by_role("link", name="Page 1", exact=True)).to_have_attribute("aria-current", "page")
    pages.get_by_role("link", name="Page suivante").click()

    expect(page).to_have_url(re.compile(r"page=2"))
    expect(main).to_contain_text("Résultats 21 à 26 sur 26")
    main.get_by_role("list", name="Type").get_by_role("link", name=re.compile(r"^Produits")).click()
    expect(page).to_have_url(re.compile(r"\?q=pains&type=produit$"))
    expect(main.get_by_role("heading", name="25 résultats")).to_be_visible()
    # Nothing hidden, nothing from another town
    for text in indexed.hidden:
        expect(main).not_to_contain_text(text)


def test_the_search_page_fits_a_320px_screen(new_context: NewContext, indexed: Argentan) -> None:
    page = new_context(viewport=NARROW).new_page()
    page.goto("/argentan/recherche/?q=pain")
    expect(page.get_by_role("main").get_by_role("heading", name="26 résultats")).to_be_visible()
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, "search-320")


def test_a_too_long_query_is_explained(page: Page, indexed: Argentan) -> None:
    page.goto("/argentan/recherche/?q=" + "pain+" * 50)
    error = page.get_by_role("alert")
    expect(error).to_have_text("Votre recherche est trop longue : 200 caractères au plus.")
    expect(page.get_by_label("Rechercher un commerce ou un produit")).to_have_attribute(
        "aria-invalid", "true"
    )
    assert_accessible(page)
