"""Buyers' payments; for farmers under the remboursement forfaitaire agricole, a « bulletin d'achat » at each
payment and a yearly statement; a buyer's statement of purchases with its EGalim shares."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from centreville.enterprises.models import Label, VatRegime
from centreville.enterprises.tests.factories import BuyerFactory, EnterpriseFactory
from centreville.invoicing.documents import purchase_note_pdf, yearly_statement_pdf
from centreville.invoicing.mentions import party
from centreville.invoicing.models import InvoicePayment
from centreville.invoicing.selectors import purchase_statement, yearly_purchases
from centreville.invoicing.services import credit_note_issue, payment_record
from centreville.invoicing.tests.factories import COLLECTED_AT, issued_invoice

pytestmark = pytest.mark.django_db
LATER = datetime(2026, 12, 20, 10, 0, tzinfo=UTC)


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def test_each_payment_to_a_flat_rate_farmer_comes_with_a_numbered_purchase_note() -> None:
    # Given a farmer under the remboursement forfaitaire agricole, and a buyer with two of its invoices
    farmer = EnterpriseFactory.create(
        vat_regime=VatRegime.FLAT_RATE_FARMER, vat_number="", name="GAEC du Pré"
    )
    buyer = BuyerFactory.create()
    first = issued_invoice(producer=farmer, buyer=buyer)
    second = issued_invoice(producer=farmer, buyer=buyer)

    # When the buyer pays the first in two goes and the second at once
    payments = [
        payment_record(invoice=first, paid_on=date(2026, 12, 15), amount=Decimal("5.00"), by=None, at=LATER),
        payment_record(invoice=first, paid_on=date(2026, 12, 18), amount=Decimal("7.00"), by=None, at=LATER),
        payment_record(
            invoice=second, paid_on=date(2026, 12, 19), amount=Decimal("12.00"), by=None, at=LATER
        ),
    ]

    # Then each has its bulletin, numbered in the buyer's series, telling date, nature and value
    assert [p.purchase_note_number for p in payments] == ["BA2026-000001", "BA2026-000002", "BA2026-000003"]
    note = _text(purchase_note_pdf(payment=payments[0]))
    assert "Bulletin d'achat BA2026-000001" in note
    assert "15/12/2026" in note
    assert "GAEC du Pré" in note
    assert farmer.siret in note
    assert "Carottes" in note
    assert "5,00 €" in note
    # And the yearly statement adds the year's payments up
    year_payments, total = yearly_purchases(buyer=buyer, seller=farmer, year=2026)
    assert total == Decimal("24.00")
    assert len(year_payments) == 3
    statement = _text(
        yearly_statement_pdf(
            year=2026,
            seller=first.snapshot["seller"],
            buyer=party(buyer),
            payments=year_payments,
            total=total,
        )
    )
    assert "Attestation annuelle d'achats 2026" in statement
    assert "24,00 €" in statement


def test_a_registered_sellers_payment_has_no_purchase_note() -> None:
    payment = payment_record(
        invoice=issued_invoice(), paid_on=date(2026, 12, 12), amount=Decimal("12.66"), by=None, at=LATER
    )

    assert payment.purchase_note_number == ""


@pytest.mark.parametrize(
    ("paid_on", "amount", "message"),
    [
        (date(2026, 12, 12), Decimal("0"), "positif"),
        (date(2026, 12, 21), Decimal("1"), "futur"),
        (date(2026, 12, 1), Decimal("1"), "avant la facture"),
        (date(2026, 12, 12), Decimal("12.67"), "reste à payer est de 12.66"),
    ],
)
def test_a_wrong_payment_is_refused_in_french_and_records_nothing(
    paid_on: date, amount: Decimal, message: str
) -> None:
    invoice = issued_invoice()

    with pytest.raises(ValidationError, match=message):
        payment_record(invoice=invoice, paid_on=paid_on, amount=amount, by=None, at=LATER)

    assert not InvoicePayment.objects.exists()


def test_a_cancelled_invoice_is_not_paid() -> None:
    invoice = issued_invoice()
    credit_note_issue(invoice=invoice, reason="Annulée", at=COLLECTED_AT)

    with pytest.raises(ValidationError, match="pas une facture à payer"):
        payment_record(invoice=invoice, paid_on=date(2026, 12, 12), amount=Decimal("1"), by=None, at=LATER)


def test_a_canteens_statement_gives_its_purchases_by_producer_and_label_and_its_egalim_shares() -> None:
    # Given a canteen buying organic carrots (12 €), Label Rouge chicken (30 €), plain apples (18 €)
    canteen = BuyerFactory.create(buyer_category="canteen")
    farm = EnterpriseFactory.create(name="Ferme bio")
    poultry = EnterpriseFactory.create(name="Volailles du bocage")
    issued_invoice(producer=farm, buyer=canteen, lines=[{"labels": [Label.ORGANIC]}])
    issued_invoice(
        producer=poultry, buyer=canteen, lines=[{"labels": [Label.LABEL_ROUGE], "unit_price": Decimal("3")}]
    )
    plain = issued_invoice(producer=farm, buyer=canteen, lines=[{"unit_price": Decimal("1.8")}])
    # and an invoice cancelled, which counts for nothing
    cancelled = issued_invoice(producer=poultry, buyer=canteen, lines=[{"labels": [Label.ORGANIC]}])
    credit_note_issue(invoice=cancelled, reason="Erreur", at=COLLECTED_AT)

    statement = purchase_statement(buyer=canteen, start=date(2026, 12, 1), end=date(2026, 12, 31))

    assert statement.total == Decimal("60.00")
    assert statement.by_producer == [
        ("Ferme bio", Decimal("30.00")),
        ("Volailles du bocage", Decimal("30.00")),
    ]
    assert statement.by_label == [
        ("Label Rouge", Decimal("30.00")),
        ("Agriculture biologique (AB)", Decimal("12.00")),
    ]
    assert (statement.quality, statement.quality_share) == (Decimal("42.00"), Decimal("70.0"))
    assert (statement.organic, statement.organic_share) == (Decimal("12.00"), Decimal("20.0"))
    assert plain.total_excl_vat == Decimal("18.00")
    assert purchase_statement(buyer=canteen, start=date(2027, 1, 1), end=date(2027, 1, 31)).organic_share == 0
