"""The platform's public pages in a real browser: content, keyboard use, small screens, languages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from centreville.towns.models import Town

from .conftest import Argentan, NewContext
from .helpers import NARROW, assert_accessible, assert_fits, screenshot, translated

pytestmark = pytest.mark.browser


def test_town_list_leads_to_each_town(lang_page: Page, lang: str, argentan: Argentan) -> None:
    page = lang_page
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    towns = page.get_by_role("main").get_by_role("list", name=translated(lang, "Villes"))
    expect(towns.get_by_role("heading", level=3)).to_have_text(["Alençon", "Argentan"])
    assert_accessible(page)

    towns.get_by_role("link", name="Argentan", exact=True).click()
    expect(page).to_have_url(re.compile(r"/argentan/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Argentan")


def test_town_home_shows_only_what_is_published_there(lang_page: Page, lang: str, argentan: Argentan) -> None:
    page = lang_page
    page.goto("/argentan/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page).to_have_title(re.compile("^Argentan — "))
    main = page.get_by_role("main")
    shops = main.get_by_role("list", name=translated(lang, "Commerces à découvrir"))
    expect(shops.get_by_role("heading", level=3)).to_have_count(2)
    products = main.get_by_role("list", name=translated(lang, "Produits à découvrir"))
    expect(products.get_by_role("heading", level=3)).to_have_count(2)
    for text in argentan.shown:
        expect(main).to_contain_text(text)
    for text in argentan.hidden:
        expect(main).not_to_contain_text(text)
    nav = page.get_by_role("navigation", name=re.compile("Argentan"))
    expect(nav.get_by_role("link", name=translated(lang, "Accueil"))).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page)
    screenshot(page, f"town-home-{lang}-1280")

    main.get_by_role("link", name="Boulangerie du Marché").first.click()
    expect(page).to_have_url(re.compile(f"/argentan/commerces/{argentan.bakery.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Boulangerie du Marché")
    expect(page.get_by_role("main")).to_contain_text("Pain au levain")
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/", "/argentan/", "/compte/login/", "/compte/signup/"])
def test_pages_fit_a_320px_screen(new_context: NewContext, argentan: Argentan, path: str) -> None:
    page = new_context(viewport=NARROW).new_page()
    page.goto(path)
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, "320-" + (path.strip("/").replace("/", "-") or "towns"))


def test_footer_links_switch_to_english_and_back(page: Page, argentan: Argentan) -> None:
    page.goto("/argentan/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    page.get_by_role("navigation", name="Langue").get_by_role("link", name="English").click()

    expect(page).to_have_url(re.compile(r"/argentan/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    language_nav = page.get_by_role("navigation", name=translated("en", "Langue"))
    expect(language_nav.get_by_role("link", name="English")).to_have_attribute("aria-current", "true")
    heading = translated("en", "Le centre-ville %(de_name)s") % {"de_name": "Argentan"}
    assert heading == "Argentan town centre", "the English catalogue is missing or not compiled"
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    # What the shops wrote stays French, and says so (the shop is listed once more under "open now" in
    # its opening hours: look in the list that is there at any hour).
    discover = page.get_by_role("list", name=translated("en", "Commerces à découvrir"))
    expect(discover.get_by_role("heading", name="Boulangerie du Marché")).to_have_attribute("lang", "fr")
    assert_accessible(page)

    # The choice sticks: the next page comes in English too, including allauth's own words.
    page.get_by_role("link", name=translated("en", "Se connecter")).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign In")

    page.get_by_role("navigation", name=translated("en", "Langue")).get_by_role(
        "link", name="Français"
    ).click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")


@pytest.mark.parametrize("path", ["/", "/argentan/", "/compte/login/"])
def test_skip_link_comes_first_and_moves_focus_to_content(
    context: BrowserContext, argentan: Argentan, path: str
) -> None:
    page = context.new_page()
    page.goto(path)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()
    # The next Tab goes on from the content, not from the top of the page.
    page.keyboard.press("Tab")
    focused_in_main = page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert focused_in_main, f"Tab after the skip link leaves <main> on {path}"


@pytest.mark.parametrize("colour", ["#7a7a7a", "#ffd500", "#8b0000"], ids=["grey", "yellow", "dark-red"])
def test_any_town_colour_keeps_the_header_readable(page: Page, argentan: Argentan, colour: str) -> None:
    # Mid-grey is the hard case: black text is chosen, and only just reaches 4.5:1 on the colour itself.
    Town.objects.filter(pk=argentan.town.pk).update(brand_colour=colour)
    page.goto("/argentan/")
    assert_accessible(page)
