"""The town's settings history in a browser: a change made on the settings page, then read on the history
page it links to; French and English, axe-clean, at 1280 and 360 px."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils.text import capfirst
from playwright.sync_api import expect

from centreville.accounts.models import Role, User
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.catalogue.models import Product
from centreville.catalogue.services import product_set_price

from .conftest import Argentan, NewContext
from .helpers import assert_accessible, assert_fits, screenshot, signed_in, translated
from .test_merchant_backoffice import VIEWPORTS

pytestmark = pytest.mark.browser


@pytest.fixture
def manager(argentan: Argentan) -> User:
    user: User = TownRoleFactory.create(
        town=argentan.town,
        role=Role.MANAGER,
        user__first_name="Claire",
        user__last_name="Martin",
        user__email="claire.martin@argentan.example",
    ).user
    return user


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_manager_reads_who_changed_the_settings(
    new_context: NewContext,
    live_server: Any,
    argentan: Argentan,
    manager: User,
    lang: str,
    viewport: str,
) -> None:
    # A price changed by an import, outside any request: nobody is named.
    product_set_price(product=Product.objects.get(title="Pain au levain"), price=Decimal("4.50"))
    page = signed_in(new_context(viewport=VIEWPORTS[viewport]), live_server, manager, lang)
    page.goto("/argentan/gestion/")

    page.locator("#id_allow_chains").check()
    page.locator("#id_contact_email").fill("mairie@argentan.example")
    page.get_by_role("button", name=translated(lang, "Enregistrer")).click()
    expect(page.get_by_role("status")).to_contain_text(
        translated(lang, "Les réglages de la ville sont enregistrés.")
    )
    page.get_by_role("link", name=translated(lang, "Historique des réglages")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Historique des réglages"))
    latest = page.get_by_role("listitem").filter(has=page.get_by_role("heading", level=2)).first
    expect(latest.get_by_role("heading", level=2)).to_contain_text("Argentan")
    expect(latest).to_contain_text("Claire Martin (claire.martin@argentan.example)")
    changes = latest.locator(".history-changes > div")
    expect(changes.locator("dt")).to_have_text(
        [
            capfirst(translated(lang, "e-mail de contact")),
            capfirst(translated(lang, "accepter les chaînes et franchises")),
        ]
    )
    before, after = translated(lang, "avant :"), translated(lang, "après :")
    expect(changes.locator("dd")).to_have_text(
        [
            f"{before} {translated(lang, '(vide)')} → {after} mairie@argentan.example",
            f"{before} {translated(lang, 'non')} → {after} {translated(lang, 'oui')}",
        ]
    )
    price = page.get_by_role("listitem").filter(has_text="Pain au levain")
    expect(price).to_contain_text(translated(lang, "la plateforme (import ou tâche automatique)"))
    expect(price.locator("dd")).to_contain_text("4,20 → " if lang == "fr" else "4.20 → ")
    expect(price.locator("dd")).to_contain_text("4,50" if lang == "fr" else "4.50")
    assert "Alençon" not in page.locator("main").inner_text()
    assert_accessible(page)
    assert_fits(page)
    screenshot(page, f"settings-history-{lang}-{viewport}")
