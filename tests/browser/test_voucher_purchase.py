"""A resident buys a 20 € gift card of the town on their phone, pays with the fake provider and reaches the
page of their voucher; every page passes axe-core, in French and in English."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone, translation
from playwright.sync_api import expect

from centreville.towns.tests.factories import TownFactory
from centreville.vouchers.ledger import euros
from centreville.vouchers.models import Sale, SaleStatus
from centreville.vouchers.tests.factories import ProgrammeFactory

from .conftest import NewContext
from .helpers import assert_accessible, screenshot, translated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
NOW = datetime(2026, 12, 12, 9, 30, tzinfo=UTC)


def test_a_resident_buys_a_gift_card_and_reaches_their_voucher(
    new_context: NewContext, live_server: Any, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    town = TownFactory.create(name="Argentan", slug="argentan", postcodes=["61200"])
    programme = ProgrammeFactory.create(town=town, name="Carte cadeau de Noël", slug="noel")
    context = new_context(viewport=PHONE, locale="fr-FR" if lang == "fr" else "en-GB")
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url}])
    page = context.new_page()
    with translation.override(lang):
        twenty = euros(2000)

    # The first page of a cold server compiles every template: warmed here, within the browser's timeouts.
    Client().get(f"/argentan/bons/acheter/{programme.slug}/")
    page.goto("/argentan/bons/acheter/")
    expect(page.get_by_role("heading", name=programme.name)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"{translated(lang, 'Acheter')} — {programme.name}").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(programme.name)
    assert_accessible(page)
    page.get_by_label(twenty, exact=True).check()
    page.get_by_label(translated(lang, "Nombre de bons")).fill("1")
    page.get_by_label(translated(lang, "Votre nom")).fill("Camille Martin")
    page.get_by_label(translated(lang, "Votre e-mail")).fill("camille@example.fr")
    page.get_by_label(translated(lang, "Votre code postal")).fill("61200")
    screenshot(page, f"voucher-purchase-form-{lang}")
    page.get_by_role("button", name=translated(lang, "Payer")).click()

    # The fake provider's page stands for the provider's: the resident pays there.
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Paiement d'essai"))
    assert_accessible(page)
    page.get_by_role("button", name=translated(lang, "Payer")).click()

    sale = Sale.objects.get()
    expect(page).to_have_url(f"{live_server.url}/argentan/bons/acheter/achat/{sale.token}/")
    expect(page.get_by_role("status")).to_contain_text(
        translated(lang, "Paiement reçu : vos bons sont prêts. Ils vous ont aussi été envoyés par e-mail.")
    )
    [voucher] = Sale.objects.get().vouchers
    link = page.get_by_role("link", name=translated(lang, "Bon n° %(number)s") % {"number": 1})
    expect(link).to_have_attribute("href", f"/argentan/bons/carte/{voucher.code}/")
    assert_accessible(page)
    screenshot(page, f"voucher-purchase-done-{lang}")

    sale.refresh_from_db()
    assert (sale.status, sale.amount_cents, voucher.paid_balance_cents) == (SaleStatus.PAID, 2000, 2000)
    [message] = mail.outbox
    assert f"{live_server.url}/argentan/bons/carte/{voucher.code}/" in message.body
