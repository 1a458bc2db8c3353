"""Issuing invoices when orders are collected, credit notes, corrections, the mentions of each VAT regime."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from centreville.enterprises.models import Label, VatRegime
from centreville.enterprises.tests.factories import EnterpriseFactory
from centreville.invoicing.models import Immutable, Invoice, InvoiceKind, InvoiceLine
from centreville.invoicing.selectors import invoice_awaiting_correction
from centreville.invoicing.services import (
    LineCorrection,
    credit_note_issue,
    invoice_correct,
    invoice_issue_corrected,
    invoice_issue_for_order,
)
from centreville.invoicing.tests.factories import COLLECTED_AT, collected_order, issued_invoice
from centreville.lots.tests.factories import LotFactory
from centreville.wholesale.models import OrderStatus, WholesaleLine
from centreville.wholesale.signals import wholesale_order_collected
from centreville.wholesale.tests.factories import WholesaleOrderFactory

pytestmark = pytest.mark.django_db
RECOVERY = "Indemnité forfaitaire pour frais de recouvrement : 40 €"


def test_collecting_an_order_issues_its_invoice_once_with_lines_vat_and_mentions() -> None:
    # Given a collected order of 10 kg of carrots at 1.20 € and 2 bottles of cider at 3.50 € (20 %)
    producer = EnterpriseFactory.create(late_payment_rate=Decimal("15.00"), payment_terms_days=20)
    cider = LotFactory.create(
        enterprise=producer, title="Cidre brut", unit="piece", unit_price="3.5000", vat_rate="20"
    )
    order = collected_order(producer=producer, lines=[{}, {"lot": cider, "quantity": Decimal("2")}])

    # When the exchange says it was collected, twice
    wholesale_order_collected.send(sender=None, order=order, at=COLLECTED_AT)
    wholesale_order_collected.send(sender=None, order=order, at=COLLECTED_AT)

    # Then one invoice, numbered first of the seller's 2026 series, with per-rate VAT and due in 20 days
    invoice = Invoice.objects.get(order=order)
    assert invoice.number == "F2026-000001"
    assert (invoice.total_excl_vat, invoice.total_vat, invoice.total_incl_vat) == (
        Decimal("19.00"), Decimal("2.06"), Decimal("21.06"),
    )  # fmt: skip  # 12.00 × 5.5 % = 0.66; 7.00 × 20 % = 1.40
    assert invoice.snapshot["vat"] == [
        {"rate": "5.5", "base": "12.00", "vat": "0.66"},
        {"rate": "20", "base": "7.00", "vat": "1.40"},
    ]
    assert invoice.delivery_date == date(2026, 12, 11)
    assert invoice.due_date == date(2026, 12, 31)
    assert RECOVERY in invoice.snapshot["mentions"]
    assert (
        "Pénalités de retard : 15,00 % par an, exigibles dès le lendemain de l'échéance."
        in invoice.snapshot["mentions"]
    )
    assert invoice.snapshot["seller"]["siret"] == producer.siret
    assert invoice.snapshot["buyer"]["vat_number"] == order.buyer.vat_number
    assert list(InvoiceLine.objects.filter(invoice=invoice).values_list("amount_excl_vat", flat=True)) == [
        Decimal("12.00"), Decimal("7.00"),
    ]  # fmt: skip


def test_perishable_food_is_due_30_days_after_delivery_at_most() -> None:
    invoice = issued_invoice(producer=EnterpriseFactory.create(payment_terms_days=60))

    assert invoice.due_date == invoice.delivery_date + timedelta(days=30) == date(2027, 1, 10)


def test_an_order_not_collected_is_not_invoiced_and_nothing_handed_over_makes_no_invoice() -> None:
    placed = WholesaleOrderFactory.create(status=OrderStatus.READY)
    with pytest.raises(ValidationError, match="remise"):
        invoice_issue_for_order(order=placed, at=COLLECTED_AT)

    nothing = collected_order(lines=[{"delivered_quantity": Decimal("0")}])
    assert invoice_issue_for_order(order=nothing, at=COLLECTED_AT) is None
    assert not Invoice.objects.exists()


def test_an_issued_invoice_never_changes_nor_goes_away() -> None:
    invoice = issued_invoice()

    invoice.total_excl_vat = Decimal("1.00")
    with pytest.raises(Immutable):
        invoice.save()
    with pytest.raises(Immutable):
        Invoice.objects.filter(pk=invoice.pk).update(total_excl_vat=Decimal("1.00"))
    with pytest.raises(Immutable):
        invoice.delete()
    line = invoice.lines.get()
    line.unit_price = Decimal("0.5")
    with pytest.raises(Immutable):
        line.save()

    assert Invoice.objects.get(pk=invoice.pk).total_excl_vat == Decimal("12.00")


def test_a_credit_note_cancels_the_invoice_in_full_once_in_its_own_series() -> None:
    invoice = issued_invoice()

    credit_note = credit_note_issue(
        invoice=invoice, reason="  Commande refusée  à la livraison ", at=COLLECTED_AT
    )

    assert credit_note.kind == InvoiceKind.CREDIT_NOTE
    assert credit_note.number == "A2026-000001"
    assert credit_note.cancels == invoice
    assert credit_note.total_incl_vat == invoice.total_incl_vat
    assert credit_note.snapshot["mentions"][0] == (
        "Avoir annulant en totalité la facture F2026-000001 du 11/12/2026. "
        "Motif : Commande refusée à la livraison"
    )
    with pytest.raises(ValidationError, match="déjà annulée"):
        credit_note_issue(invoice=invoice, reason="Encore", at=COLLECTED_AT)
    with pytest.raises(ValidationError, match="motif"):
        credit_note_issue(invoice=issued_invoice(producer=invoice.seller), reason="   ", at=COLLECTED_AT)
    assert Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).count() == 1


def test_a_correction_is_a_credit_note_and_a_new_invoice_from_the_corrected_order() -> None:
    # Given a chicken weighed wrongly at pickup, invoiced
    chicken = LotFactory.create(
        title="Poulet fermier",
        unit="piece",
        unit_price="9.8000",
        variable_weight=True,
        estimated_weight="1.800",
    )
    order = collected_order(
        producer=chicken.enterprise,
        lines=[{"lot": chicken, "quantity": Decimal("4"), "final_weight": Decimal("3.35")}],
    )
    invoice = invoice_issue_for_order(order=order, at=COLLECTED_AT)
    assert invoice is not None
    assert invoice.total_excl_vat == Decimal("32.83")

    # When the producer corrects the weight on the order, then corrects the invoice
    WholesaleLine.objects.filter(order=order).update(final_weight=Decimal("7.35"))
    credit_note, replacement = invoice_correct(invoice=invoice, reason="Erreur de pesée", at=COLLECTED_AT)

    # Then exactly one credit note and one new invoice, which shows estimated and weighed weights
    assert replacement is not None
    assert (credit_note.number, replacement.number) == ("A2026-000001", "F2026-000002")
    assert replacement.replaces == invoice
    assert credit_note.cancels == invoice
    assert replacement.total_excl_vat == Decimal("72.03")
    assert replacement.snapshot["lines"][0]["detail"] == "4 pièce(s), poids estimé 7,2 kg, pesé 7,35 kg"
    assert Invoice.objects.filter(order=order).count() == 3
    # The order's invoice is now the replacement
    assert invoice_issue_for_order(order=order, at=COLLECTED_AT) == replacement
    with pytest.raises(ValidationError):
        invoice_correct(invoice=invoice, reason="Encore", at=COLLECTED_AT)


@pytest.mark.parametrize(
    ("regime", "vat_number", "mention", "vat"),
    [
        (VatRegime.REGISTERED, True, None, Decimal("0.66")),
        (VatRegime.FRANCHISE, False, "TVA non applicable, art. 293 B du CGI", Decimal("0.00")),
        (
            VatRegime.FLAT_RATE_FARMER,
            False,
            "Exploitant agricole au remboursement forfaitaire agricole : "
            "TVA non facturée (art. 298 quater du CGI)",
            Decimal("0.00"),
        ),
    ],
)
def test_each_vat_regime_prints_its_mention_and_charges_vat_only_when_registered(
    regime: str, vat_number: bool, mention: str | None, vat: Decimal
) -> None:
    producer = EnterpriseFactory.create(vat_regime=regime, **({} if vat_number else {"vat_number": ""}))

    invoice = issued_invoice(producer=producer)

    assert invoice.total_vat == vat
    assert invoice.total_incl_vat == Decimal("12.00") + vat
    assert RECOVERY in invoice.snapshot["mentions"]
    exemptions = [m for m in invoice.snapshot["mentions"] if "TVA non" in m]
    assert exemptions == ([mention] if mention else [])


def test_labels_are_copied_on_the_invoice_lines() -> None:
    invoice = issued_invoice(lines=[{"labels": [Label.ORGANIC, Label.LABEL_ROUGE]}])

    assert invoice.lines.get().labels == ["ab", "label_rouge"]


def test_after_a_credit_note_alone_the_order_gets_its_corrected_invoice_once_never_editing_the_old() -> None:
    # Given a chicken invoiced at the wrong weight and price, then cancelled by a credit note alone
    chicken = LotFactory.create(
        title="Poulet fermier",
        unit="piece",
        unit_price="9.8000",
        variable_weight=True,
        estimated_weight="1.800",
    )
    order = collected_order(
        producer=chicken.enterprise,
        lines=[{"lot": chicken, "quantity": Decimal("4"), "final_weight": Decimal("3.35")}],
    )
    invoice = invoice_issue_for_order(order=order, at=COLLECTED_AT)
    assert invoice is not None
    credit_note_issue(invoice=invoice, reason="Erreur de pesée", at=COLLECTED_AT)
    assert invoice_awaiting_correction(order) == invoice
    line = order.lines.get()

    # When a wrong correction is tried, then the right one
    with pytest.raises(ValidationError, match="la quantité remise va de 0 à 4"):
        invoice_issue_corrected(
            order=order,
            at=COLLECTED_AT,
            corrections=[LineCorrection(line.pk, delivered_quantity=Decimal("5"))],
        )
    corrected = invoice_issue_corrected(
        order=order,
        at=COLLECTED_AT,
        corrections=[
            LineCorrection(line.pk, delivered_quantity=Decimal("3"), final_weight=Decimal("5.4"),
                           unit_price=Decimal("9.5"))
        ],
    )  # fmt: skip

    # Then a new invoice, next in the series, replaces the cancelled one, which is unchanged
    assert corrected.number == "F2026-000002"
    assert corrected.replaces == invoice
    assert corrected.total_excl_vat == Decimal("51.30")  # 5.4 kg × 9.50 €
    assert corrected.snapshot["lines"][0]["detail"] == "3 pièce(s), poids estimé 5,4 kg, pesé 5,4 kg"
    assert Invoice.objects.get(pk=invoice.pk).total_excl_vat == Decimal("32.83")
    line.refresh_from_db()
    assert (line.delivered_quantity, line.final_weight) == (None, Decimal("3.350"))  # the order is kept
    assert invoice_awaiting_correction(order) is None
    assert invoice_issue_for_order(order=order, at=COLLECTED_AT) == corrected
    with pytest.raises(ValidationError, match="déjà une facture valide"):
        invoice_issue_corrected(order=order, at=COLLECTED_AT)
    assert Invoice.objects.filter(order=order, kind=InvoiceKind.INVOICE).count() == 2


def test_a_correction_with_everything_at_zero_issues_nothing_and_keeps_the_order_awaiting() -> None:
    order = collected_order()
    invoice = invoice_issue_for_order(order=order, at=COLLECTED_AT)
    assert invoice is not None
    credit_note_issue(invoice=invoice, reason="Refusée", at=COLLECTED_AT)

    with pytest.raises(ValidationError, match="Rien à facturer"):
        invoice_issue_corrected(
            order=order,
            at=COLLECTED_AT,
            corrections=[LineCorrection(order.lines.get().pk, delivered_quantity=Decimal("0"))],
        )

    assert invoice_awaiting_correction(order) == invoice
    assert Invoice.objects.filter(order=order).count() == 2
