"""Error pages as a resident meets them, in French and English: accessible, with a way back."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from centreville.accounts.tests.factories import UserFactory

from .conftest import Argentan
from .helpers import assert_accessible, screenshot, translated

pytestmark = pytest.mark.browser


def test_a_form_sent_after_its_token_expired_says_what_to_do(
    lang_page: Page, lang: str, live_server: Any
) -> None:
    page = lang_page
    page.goto("/compte/login/")
    page.context.clear_cookies(name=settings.CSRF_COOKIE_NAME)  # as when the page stayed open too long

    page.locator("input[name=login]").fill("marie@example.fr")
    page.locator("input[name=password]").fill("un-mot-de-passe")
    page.get_by_role("main").get_by_role("button", name=translated(lang, "Sign In"), exact=True).click()

    heading = translated(lang, "Le formulaire n'a pas pu être envoyé")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page).to_have_title(f"{heading} — Centre-Ville en ligne")
    back = page.get_by_role("link", name=translated(lang, "Revenez à la page précédente et rechargez-la."))
    expect(back).to_have_attribute("href", f"{live_server.url}/compte/login/")
    assert_accessible(page)
    screenshot(page, f"csrf-failure-{lang}-1280")


def test_a_page_for_merchants_tells_a_resident_why_not(
    lang_page: Page, lang: str, argentan: Argentan, live_server: Any
) -> None:
    client = Client()
    client.force_login(UserFactory.create(email="habitante@example.fr"))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}
    lang_page.context.add_cookies([cookie])  # type: ignore[list-item]

    response = lang_page.goto("/argentan/espace-commercant/commandes/")

    assert response is not None
    assert response.status == 403
    expect(lang_page.locator("html")).to_have_attribute("lang", lang)
    expect(lang_page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Accès refusé"))
    expect(lang_page.get_by_role("main")).to_contain_text("habitante@example.fr")
    assert_accessible(lang_page)
