"""A producer's invoices in a browser: the list, an invoice with its mentions, its PDF downloaded;
accessible in French and English, and on a 320 px phone."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from centreville.enterprises.tests.factories import EnterpriseFactory, EnterpriseMemberFactory
from centreville.invoicing.models import Invoice
from centreville.invoicing.tests.factories import issued_invoice
from centreville.lots.tests.factories import LotFactory

from .conftest import NewContext
from .helpers import NARROW, assert_accessible, screenshot, signed_in, translated

pytestmark = pytest.mark.browser


def test_a_producer_opens_an_invoice_and_downloads_its_pdf(
    new_context: NewContext, live_server: Any, lang: str
) -> None:
    # Given a farm with an invoice of carrots and a weighed chicken
    farm = EnterpriseFactory.create(name="Ferme du Pré")
    chicken = LotFactory.create(
        enterprise=farm, title="Poulet fermier", unit="piece", unit_price="9.8000", variable_weight=True,
        estimated_weight="1.800",
    )  # fmt: skip
    invoice = issued_invoice(
        producer=farm, lines=[{}, {"lot": chicken, "quantity": 4, "final_weight": "7.35"}]
    )
    member = EnterpriseMemberFactory.create(enterprise=farm).user
    page = signed_in(new_context(viewport=NARROW), live_server, member, lang)

    # When the producer opens its invoices, then the first one
    page.goto(f"/pro/{farm.slug}/factures/")
    assert_accessible(page)
    page.get_by_role("link", name=invoice.number).click()

    # Then it shows its number, lines with the weighed weight, and the mandatory mentions
    expect(page.get_by_role("heading", level=1)).to_contain_text(invoice.number)
    expect(page.get_by_text("poids estimé 7,2 kg, pesé 7,35 kg")).to_be_visible()
    expect(page.get_by_text("Indemnité forfaitaire pour frais de recouvrement : 40 €")).to_be_visible()
    assert_accessible(page)
    screenshot(page, f"invoice-{lang}")

    # And on the phone each line reads down the screen: its amount in view, its unit price with cents
    lines = page.locator("table.stack-on-phone")
    amount = lines.locator("td").filter(has_text=re.compile(r"^\s*12[,.]00\s€\s*$"))
    box = amount.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= NARROW["width"]
    assert page.evaluate(
        "(el) => el.scrollWidth <= el.clientWidth", page.locator(".table-scroll").element_handle()
    )
    expect(lines.locator("td").filter(has_text=re.compile(r"^\s*1[,.]20\s€\s*$"))).to_be_visible()

    # And its PDF downloads under the invoice's number
    with page.expect_download() as download:
        page.get_by_role("link", name=translated(lang, "Télécharger le PDF (Factur-X)")).click()
    assert download.value.suggested_filename == f"{invoice.number}.pdf"


def test_a_producer_cancels_an_invoice_then_issues_the_corrected_one_from_the_orders_invoices(
    new_context: NewContext, live_server: Any, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a farm's invoice of 10 kg of carrots at 1,20 €, a few days after it was issued
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 12, 14, 9, 0, tzinfo=UTC))
    farm = EnterpriseFactory.create(name="Ferme du Pré")
    invoice = issued_invoice(producer=farm)
    member = EnterpriseMemberFactory.create(enterprise=farm).user
    page = signed_in(new_context(viewport=NARROW), live_server, member, lang)
    main = page.get_by_role("main")

    # When the producer issues a credit note alone
    page.goto(f"/pro/{farm.slug}/factures/{invoice.number}/")
    main.get_by_label(translated(lang, "Motif de l'avoir")).fill("Prix erroné")
    main.get_by_role("button", name=translated(lang, "Émettre un avoir")).click()

    # Then the credit note's page says the order has no valid invoice and leads to its corrected one
    expect(page.get_by_role("heading", level=1)).to_contain_text("A2026-000001")
    assert_accessible(page)
    main.get_by_role("link", name=translated(lang, "Émettre la facture corrigée")).click()
    assert_accessible(page)
    screenshot(page, f"invoice-corrected-{lang}")
    price = main.locator(f"[name=price_{invoice.order.lines.get().pk}]")
    expect(price).to_have_value("1,2" if lang == "fr" else "1.2")
    price.fill("1,1" if lang == "fr" else "1.1")
    main.get_by_role("button", name=translated(lang, "Émettre la facture corrigée")).click()

    # And the corrected invoice replaces the cancelled one, which is unchanged
    expect(page.get_by_role("heading", level=1)).to_contain_text("F2026-000002")
    corrected = Invoice.objects.get(replaces=invoice)
    assert corrected.total_excl_vat == Decimal("11.00")
    assert Invoice.objects.get(pk=invoice.pk).total_excl_vat == Decimal("12.00")
