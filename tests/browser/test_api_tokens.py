"""The personal API tokens page in the account space, in French and English, by keyboard only: make a
token (its key shown once, focused), see it listed, revoke it after confirming."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from centreville.accounts.models import User
from centreville.api.models import ApiToken
from centreville.api.services import api_token_user

from .conftest import NewContext
from .helpers import assert_accessible, assert_fits, screenshot, signed_in, translated

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def tab_to(page: Page, selector: str, *, limit: int = 40) -> None:
    """Press Tab until the element matching `selector` has the focus; fail if it never does."""
    for _press in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    pytest.fail(f"{selector} cannot be reached with the Tab key")


def test_make_see_and_revoke_a_token_with_the_keyboard(
    new_context: NewContext, live_server: Any, marie: User, lang: str
) -> None:
    page = signed_in(new_context(), live_server, marie, lang)
    page.goto("/compte/espace/")
    tab_to(page, "a[href='/compte/espace/jetons/']")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Mes jetons d'API"))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("main")).to_contain_text(translated(lang, "Vous n'avez pas encore de jeton."))
    assert_accessible(page)

    # Make one: the name, then Enter
    tab_to(page, "input[name=name]")
    page.keyboard.type("Téléphone de la boutique")
    page.keyboard.press("Enter")

    key_field = page.get_by_label(translated(lang, "Clé du jeton"))
    expect(key_field).to_be_focused()  # the key, to copy at once
    key = key_field.input_value()
    assert api_token_user(key, now=ApiToken.objects.get().created_at) == marie
    expect(page.get_by_role("heading", name=translated(lang, "Vos jetons"))).to_be_visible()
    card = page.locator(".token-list li").first
    expect(card.get_by_role("heading", level=3)).to_have_text("Téléphone de la boutique")
    expect(card).to_contain_text(translated(lang, "Actif"))
    expect(card).to_contain_text(translated(lang, "jamais"))
    assert_accessible(page)
    screenshot(page, f"api-tokens-created-{lang}-1280")

    # The key is shown once: not after a reload
    page.goto("/compte/espace/jetons/")
    assert key not in page.content()

    # Revoke it: the link names the token, a confirmation, then the list says so
    revoke = page.get_by_role("link", name=f"{translated(lang, 'Révoquer')} ")
    expect(revoke).to_have_count(1)
    tab_to(page, ".token-list a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Téléphone de la boutique")
    assert_accessible(page)
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Téléphone de la boutique")
    expect(page.locator(".token-list li").first).to_contain_text(translated(lang, "Révoqué"))
    expect(page.locator(".token-list a")).to_have_count(0)
    assert_accessible(page)
    assert ApiToken.objects.get().revoked


def test_a_refused_name_is_said_and_the_page_fits_a_phone(
    new_context: NewContext, live_server: Any, marie: User, lang: str
) -> None:
    page = signed_in(new_context(viewport=PHONE), live_server, marie, lang)
    page.goto("/compte/espace/jetons/")

    page.get_by_role("button", name=translated(lang, "Créer le jeton")).click()

    field = page.get_by_label(translated(lang, "Nom du jeton"))
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert")).to_contain_text(translated(lang, "Ce champ est obligatoire."))
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"api-tokens-error-{lang}-360")
    assert not ApiToken.objects.exists()
