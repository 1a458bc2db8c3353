"""A town voucher pays a Click & Collect basket: a guest on a phone fills a basket at two shops taking part in
the town's gift card, types its code at checkout, reads what it pays in the review, confirms, and finds
both orders « Payé par bon d'achat », in French and English, axe-clean."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from centreville.orders.models import Order
from centreville.payments.models import Payment
from centreville.vouchers import codes, services
from centreville.vouchers.models import Voucher
from centreville.vouchers.services import Beneficiary
from centreville.vouchers.tests.factories import ProgrammeFactory

from .conftest import Argentan, NewContext, Stall
from .helpers import assert_accessible, translated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
# A Tuesday of December, mid-morning in Argentan: the gift card is on sale, the shops open round the clock.
NOW = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
IBAN = "FR7630006000011234567890189"


def gift_card(argentan: Argentan, stalls: list[Stall]) -> Voucher:
    """A 50 € gift card of Argentan's Christmas operation, which the first two shops take."""
    programme = ProgrammeFactory.create(town=argentan.town, name="Carte cadeau de Noël d'Argentan")
    for stall in stalls[:2]:
        services.participation_join(programme=programme, shop=stall.shop, iban=IBAN, at=NOW)
    beneficiary = Beneficiary(kind="person", key="camille@example.fr", name="Camille Martin")
    return services.vouchers_issue(
        programme=programme, beneficiary=beneficiary, face_value_cents=5000, at=NOW
    )[0]


def add_to_basket(page: Page, stall: Stall, lang: str) -> None:
    page.goto(f"/argentan/commerces/{stall.shop.slug}/produits/{stall.product.slug}/")
    page.get_by_role("button", name=translated(lang, "Ajouter au panier")).click()
    expect(page.get_by_role("status")).to_contain_text(stall.product.title)


def test_a_guest_pays_a_basket_at_two_shops_with_a_gift_card(
    new_context: NewContext,
    live_server: Any,
    argentan: Argentan,
    stalls: list[Stall],
    lang: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    voucher = gift_card(argentan, stalls)
    context = new_context(viewport=PHONE, locale="fr-FR" if lang == "fr" else "en-GB")
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()

    # Given a basket at the cheese shop (collected in the shop) and the grocery (collected from a locker)
    cheese, grocery = stalls[0], stalls[1]
    for stall in (cheese, grocery):
        add_to_basket(page, stall, lang)
    page.get_by_role("banner").get_by_role("link", name=re.compile("^" + translated(lang, "Panier"))).click()
    page.get_by_role("link", name=translated(lang, "Commander")).click()

    # When the guest fills the checkout on their phone and types the gift card's code, as printed, in
    # lower case
    page.get_by_label(translated(lang, "Votre nom")).fill("Camille Martin")
    page.get_by_label(translated(lang, "Téléphone mobile")).fill("06 12 34 56 78")
    cheese_section = page.get_by_role("region", name=cheese.shop.name)
    cheese_section.get_by_label(translated(lang, "Créneau de retrait")).select_option(index=1)
    grocery_section = page.get_by_role("region", name=grocery.shop.name)
    grocery_section.get_by_label(translated(lang, "Retrait en consigne"), exact=True).check()
    grocery_section.get_by_label(translated(lang, "Choisir la consigne")).select_option(index=1)
    page.get_by_label(translated(lang, "Code d'un bon d'achat ou d'une carte cadeau")).fill(
        codes.code_display(voucher.code).lower()
    )
    assert_accessible(page)
    page.get_by_role("button", name=translated(lang, "Vérifier ma commande")).click()

    # Then the review shows what the card pays for each order and that nothing is left to pay
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Vérifiez votre commande"))
    for stall in (cheese, grocery):
        expect(page.get_by_role("region", name=stall.shop.name)).to_contain_text(
            translated(lang, "Payé par le bon d'achat")
        )
    card = page.get_by_role("region", name=translated(lang, "Bon d'achat"))
    expect(card).to_contain_text(codes.code_display(voucher.code))
    expect(card).to_contain_text("37")  # 50 € less the two articles at 6,50 €
    expect(
        page.get_by_text(translated(lang, "Rien à payer : le bon d'achat paie toute la commande."))
    ).to_be_visible()
    assert not Order.objects.exists()
    assert_accessible(page)

    # And once confirmed, both orders are paid by the card, with no online payment
    page.get_by_role("button", name=translated(lang, "Confirmer la commande")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Suivi de votre commande"))
    expect(page.get_by_text(translated(lang, "Payé par bon d'achat"), exact=True)).to_have_count(2)
    assert_accessible(page)
    orders = list(Order.objects.order_by("shop_id"))
    assert [order.voucher_paid for order in orders] == [Decimal("6.50"), Decimal("6.50")]
    assert not Payment.objects.exists()
    voucher.refresh_from_db()
    assert voucher.balance_cents == 3700
