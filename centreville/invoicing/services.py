"""Issuing invoices and credit notes, recording payments.

Locks, always in this order: the order's row (`WholesaleOrder`), then the invoice's row, then the seller's
number series (credit notes' before invoices'), then the buyer's series of purchase notes. The series' row
stays locked until the transaction commits, so a number is given only to a row that is written with it:
no gap, no duplicate, and numbers follow issue times.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from centreville.enterprises.models import Enterprise, VatRegime
from centreville.lots.models import Unit
from centreville.wholesale.models import OrderStatus, WholesaleLine, WholesaleOrder

from .amounts import OrderedLine, Totals, invoice_totals
from .mentions import VAT_CATEGORY, due_date, invoice_mentions, party, vat_exemption
from .models import (
    Invoice,
    InvoiceDocument,
    InvoiceKind,
    InvoiceLine,
    InvoicePayment,
    NumberSequence,
    SequenceKind,
    number_display,
)
from .selectors import invoice_awaiting_correction

UNIT_LABELS = {Unit.KILOGRAM: "kg", Unit.LITRE: "l", Unit.PIECE: "pièce"}


def number_take(*, enterprise: Enterprise, kind: str, on: date) -> tuple[int, str]:
    """The next number of an enterprise's series for `kind` and the year of `on`, under the series' lock;
    a piece dated before the series' last one is refused, so that numbers follow dates.

    Call inside a transaction that writes the numbered row: the lock is held until it commits.
    """
    sequence, _created = NumberSequence.objects.get_or_create(enterprise=enterprise, kind=kind, year=on.year)
    sequence = NumberSequence.objects.select_for_update().get(pk=sequence.pk)
    if sequence.last_dated and on < sequence.last_dated:
        raise ValidationError(
            gettext("Une pièce ne peut être datée avant la précédente de sa série (%(date)s).")
            % {"date": sequence.last_dated.strftime("%d/%m/%Y")}
        )
    sequence.last_number += 1
    sequence.last_dated = on
    sequence.save(update_fields=["last_number", "last_dated"])
    return sequence.last_number, number_display(kind, on.year, sequence.last_number)


@dataclass(frozen=True)
class LineCorrection:
    """What a corrected invoice bills for one order line, where it differs from the order: the quantity
    handed over (selling units), the weighed kilograms of a variable-weight line, the unit price excl. VAT.
    None keeps the order's value."""

    line_id: int
    delivered_quantity: Decimal | None = None
    final_weight: Decimal | None = None
    unit_price: Decimal | None = None


def _corrected(line: WholesaleLine, correction: LineCorrection | None) -> OrderedLine:
    delivered, weight, price = line.delivered_quantity, line.final_weight, line.unit_price
    if correction is not None:
        if correction.delivered_quantity is not None:
            if not 0 <= correction.delivered_quantity <= line.quantity:
                raise ValidationError(
                    gettext("« %(title)s » : la quantité remise va de 0 à %(ordered)s.")
                    % {"title": line.title, "ordered": f"{line.quantity.normalize():f}"}
                )
            delivered = correction.delivered_quantity
        if correction.final_weight is not None:
            if not line.variable_weight:
                raise ValidationError(
                    gettext("« %(title)s » n'est pas vendu au poids pesé.") % {"title": line.title}
                )
            if correction.final_weight <= 0:
                raise ValidationError(
                    gettext("« %(title)s » : indiquez le poids pesé en kilos.") % {"title": line.title}
                )
            weight = correction.final_weight
        if correction.unit_price is not None:
            if correction.unit_price < 0:
                raise ValidationError(
                    gettext("« %(title)s » : le prix unitaire ne peut être négatif.") % {"title": line.title}
                )
            price = correction.unit_price
    return OrderedLine(
        title=line.title,
        unit=line.unit,
        quantity=line.quantity,
        delivered_quantity=delivered,
        case_size=line.case_size,
        unit_price=price,
        vat_rate=Decimal(line.vat_rate),
        variable_weight=line.variable_weight,
        estimated_weight=line.estimated_weight,
        final_weight=weight,
        labels=tuple(line.labels or ()),
    )


def _ordered_lines(order: WholesaleOrder, corrections: Sequence[LineCorrection] = ()) -> list[OrderedLine]:
    lines = list(order.lines.order_by("pk"))
    by_line = {correction.line_id: correction for correction in corrections}
    if not by_line.keys() <= {line.pk for line in lines}:
        raise ValidationError(gettext("Cette ligne n'est pas dans la commande."))
    return [_corrected(line, by_line.get(line.pk)) for line in lines]


def _snapshot(
    *,
    kind: str,
    number: str,
    order: WholesaleOrder,
    issue: date,
    delivery: date,
    due: date,
    totals: Totals,
    seller: dict[str, Any],
    buyer: dict[str, Any],
    mentions: list[str],
    cancels: Invoice | None = None,
    reason: str = "",
) -> dict[str, Any]:
    regime = seller["vat_regime"]
    return {
        "kind": str(kind),
        "title": gettext("Avoir") if kind == InvoiceKind.CREDIT_NOTE else gettext("Facture"),
        "number": number,
        "issue_date": issue.isoformat(),
        "delivery_date": delivery.isoformat(),
        "due_date": due.isoformat(),
        "currency": "EUR",
        "order_reference": order.reference,
        "seller": seller,
        "buyer": buyer,
        "vat_category": VAT_CATEGORY[VatRegime(regime)],
        "vat_exemption": vat_exemption(regime),
        "lines": [
            {
                "position": position,
                "title": line.title,
                "detail": line.detail,
                "quantity": str(line.quantity),
                "unit": line.unit,
                "unit_label": UNIT_LABELS.get(Unit(line.unit), line.unit)
                if line.unit in Unit.values
                else line.unit,
                "unit_price": str(line.unit_price),
                "vat_rate": str(line.vat_rate),
                "amount": str(line.amount),
                "labels": list(line.labels),
            }
            for position, line in enumerate(totals.lines, start=1)
        ],
        "vat": [
            {"rate": str(rate.rate), "base": str(rate.base), "vat": str(rate.vat)} for rate in totals.rates
        ],
        "totals": {
            "excl_vat": str(totals.excl_vat),
            "vat": str(totals.vat),
            "incl_vat": str(totals.incl_vat),
        },
        "mentions": mentions,
        "cancels": None
        if cancels is None
        else {"number": cancels.number, "issue_date": cancels.issue_date.isoformat()},
        "reason": reason,
    }


def _write(invoice: Invoice, totals: Totals) -> Invoice:
    invoice.full_clean()
    invoice.save()
    InvoiceLine.objects.bulk_create(
        [
            InvoiceLine(
                invoice=invoice,
                position=position,
                title=(f"{line.title} ({line.detail})" if line.detail else line.title)[:300],
                quantity=line.quantity,
                unit=line.unit,
                unit_price=line.unit_price,
                vat_rate=line.vat_rate,
                amount_excl_vat=line.amount,
                labels=list(line.labels),
            )
            for position, line in enumerate(totals.lines, start=1)
        ]
    )
    return invoice


def _issue_invoice(
    *,
    order: WholesaleOrder,
    at: datetime,
    replaces: Invoice | None,
    corrections: Sequence[LineCorrection] = (),
) -> Invoice | None:
    seller, buyer = order.producer, order.buyer
    totals = invoice_totals(_ordered_lines(order, corrections), charges_vat=seller.charges_vat)
    if not totals.lines:
        return None  # nothing was handed over: nothing to invoice
    issue = timezone.localdate(at)
    delivery = timezone.localdate(order.collected_at or at)
    due = due_date(delivery_date=delivery, payment_terms_days=seller.payment_terms_days)
    sequence_number, number = number_take(enterprise=seller, kind=SequenceKind.INVOICE, on=issue)
    invoice = Invoice(
        seller=seller,
        buyer=buyer,
        kind=InvoiceKind.INVOICE,
        order=order,
        replaces=replaces,
        year=issue.year,
        sequence_number=sequence_number,
        number=number,
        issued_at=at,
        issue_date=issue,
        delivery_date=delivery,
        due_date=due,
        total_excl_vat=totals.excl_vat,
        total_vat=totals.vat,
        total_incl_vat=totals.incl_vat,
        snapshot=_snapshot(
            kind=InvoiceKind.INVOICE,
            number=number,
            order=order,
            issue=issue,
            delivery=delivery,
            due=due,
            totals=totals,
            seller=party(seller),
            buyer=party(buyer),
            mentions=invoice_mentions(seller=seller, due=due),
        ),
    )
    return _write(invoice, totals)


def _locked_order(order_id: int) -> WholesaleOrder:
    return WholesaleOrder.objects.select_for_update().select_related("producer", "buyer").get(pk=order_id)


def invoice_issue_for_order(*, order: WholesaleOrder, at: datetime) -> Invoice | None:
    """The order's invoice, issued once when it is collected: a second call returns the order's latest
    invoice. None when nothing was handed over."""
    with transaction.atomic(), translation.override("fr"):
        order = _locked_order(order.pk)
        existing = Invoice.objects.filter(order=order, kind=InvoiceKind.INVOICE).order_by("-pk").first()
        if existing is not None:
            return existing
        if order.status != OrderStatus.COLLECTED:
            raise ValidationError(gettext("Une commande est facturée quand elle a été remise."))
        return _issue_invoice(order=order, at=at, replaces=None)


def _clean_reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": gettext("Indiquez le motif de l'avoir.")})
    if len(reason) > 300:
        raise ValidationError({"reason": gettext("Le motif tient en 300 caractères au plus.")})
    return reason


def _issue_credit_note(*, invoice: Invoice, reason: str, at: datetime) -> Invoice:
    if invoice.kind != InvoiceKind.INVOICE:
        raise ValidationError(gettext("Seule une facture s'annule par un avoir."))
    if Invoice.objects.filter(cancels=invoice).exists():
        raise ValidationError(
            gettext("La facture %(number)s est déjà annulée par un avoir.") % {"number": invoice.number}
        )
    issue = timezone.localdate(at)
    if issue < invoice.issue_date:
        raise ValidationError(gettext("Un avoir ne peut être daté avant la facture qu'il annule."))
    sequence_number, number = number_take(enterprise=invoice.seller, kind=SequenceKind.CREDIT_NOTE, on=issue)
    snapshot = dict(invoice.snapshot)
    cancelled = gettext(
        "Avoir annulant en totalité la facture %(number)s du %(date)s. Motif : %(reason)s"
    ) % {
        "number": invoice.number,
        "date": invoice.issue_date.strftime("%d/%m/%Y"),
        "reason": reason,
    }
    exemption = invoice.snapshot["vat_exemption"]
    mentions = [cancelled, exemption] if exemption else [cancelled]
    snapshot.update(
        kind=str(InvoiceKind.CREDIT_NOTE),
        title=gettext("Avoir"),
        number=number,
        issue_date=issue.isoformat(),
        due_date=issue.isoformat(),
        mentions=mentions,
        cancels={"number": invoice.number, "issue_date": invoice.issue_date.isoformat()},
        reason=reason,
    )
    credit_note = Invoice(
        seller=invoice.seller,
        buyer=invoice.buyer,
        kind=InvoiceKind.CREDIT_NOTE,
        order=invoice.order,
        cancels=invoice,
        year=issue.year,
        sequence_number=sequence_number,
        number=number,
        issued_at=at,
        issue_date=issue,
        delivery_date=invoice.delivery_date,
        due_date=issue,
        total_excl_vat=invoice.total_excl_vat,
        total_vat=invoice.total_vat,
        total_incl_vat=invoice.total_incl_vat,
        reason=reason,
        snapshot=snapshot,
    )
    credit_note.full_clean()
    credit_note.save()
    InvoiceLine.objects.bulk_create(
        [
            InvoiceLine(
                invoice=credit_note,
                position=line.position,
                title=line.title,
                quantity=line.quantity,
                unit=line.unit,
                unit_price=line.unit_price,
                vat_rate=line.vat_rate,
                amount_excl_vat=line.amount_excl_vat,
                labels=line.labels,
            )
            for line in invoice.lines.all()
        ]
    )
    return credit_note


def credit_note_issue(*, invoice: Invoice, reason: str, at: datetime) -> Invoice:
    """A credit note cancelling `invoice` in full, with the reason it prints."""
    reason = _clean_reason(reason)
    with transaction.atomic(), translation.override("fr"):
        _locked_order(invoice.order_id)
        invoice = Invoice.objects.select_for_update().select_related("seller").get(pk=invoice.pk)
        return _issue_credit_note(invoice=invoice, reason=reason, at=at)


def invoice_correct(
    *, invoice: Invoice, reason: str, at: datetime, corrections: Sequence[LineCorrection] = ()
) -> tuple[Invoice, Invoice | None]:
    """Correct an invoice the only lawful way: a credit note cancelling it, then a new invoice made from
    the order's lines with `corrections` applied (quantities handed over, weighed kilograms, prices); the
    order itself is not changed. The new invoice is None when nothing is left to invoice."""
    reason = _clean_reason(reason)
    with transaction.atomic(), translation.override("fr"):
        order = _locked_order(invoice.order_id)
        invoice = Invoice.objects.select_for_update().select_related("seller").get(pk=invoice.pk)
        credit_note = _issue_credit_note(invoice=invoice, reason=reason, at=at)
        return credit_note, _issue_invoice(order=order, at=at, replaces=invoice, corrections=corrections)


def invoice_issue_corrected(
    *, order: WholesaleOrder, at: datetime, corrections: Sequence[LineCorrection] = ()
) -> Invoice:
    """The corrected invoice of an order whose invoice a credit note cancelled: a new invoice, numbered
    next in the seller's series, replacing the cancelled one and made from the order's lines with
    `corrections` applied. Refused while the order has a valid invoice."""
    with transaction.atomic(), translation.override("fr"):
        order = _locked_order(order.pk)
        cancelled = invoice_awaiting_correction(order)
        if cancelled is None:
            raise ValidationError(
                gettext(
                    "La commande %(reference)s a déjà une facture valide : "
                    "pour la corriger, émettez d'abord un avoir."
                )
                % {"reference": order.reference}
            )
        invoice = _issue_invoice(order=order, at=at, replaces=cancelled, corrections=corrections)
        if invoice is None:
            raise ValidationError(gettext("Rien à facturer : toutes les quantités remises sont à zéro."))
        return invoice


def invoice_document_store(*, invoice: Invoice) -> InvoiceDocument:
    """Make the invoice's Factur-X PDF once and keep it; made already, the kept one is returned."""
    from .documents import facturx_pdf

    with transaction.atomic(), translation.override("fr"):
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        kept = InvoiceDocument.objects.filter(invoice=invoice).first()
        if kept is not None:
            return kept
        pdf, xml = facturx_pdf(invoice.snapshot)
        return InvoiceDocument.objects.create(invoice=invoice, pdf=pdf, xml=xml, size=len(pdf))


def invoice_document_store_later(invoice: Invoice) -> None:
    """After the issuing transaction commits: the numbering lock is not held while a PDF is drawn."""
    transaction.on_commit(partial(invoice_document_store, invoice=invoice), robust=True)


def payment_record(
    *, invoice: Invoice, paid_on: date, amount: Decimal, by: Any, at: datetime
) -> InvoicePayment:
    """The buyer records a payment of an invoice; a farmer under the remboursement forfaitaire agricole
    gets its « bulletin d'achat », numbered in the buyer's series."""
    with transaction.atomic(), translation.override("fr"):
        _locked_order(invoice.order_id)
        invoice = Invoice.objects.select_for_update().select_related("buyer").get(pk=invoice.pk)
        if invoice.kind != InvoiceKind.INVOICE or Invoice.objects.filter(cancels=invoice).exists():
            raise ValidationError(gettext("Cette pièce n'est pas une facture à payer."))
        if amount is None or amount <= 0:
            raise ValidationError({"amount": gettext("Le montant payé est positif.")})
        if paid_on > timezone.localdate(at):
            raise ValidationError({"paid_on": gettext("Un paiement ne se date pas dans le futur.")})
        if paid_on < invoice.issue_date:
            raise ValidationError({"paid_on": gettext("Un paiement ne se date pas avant la facture.")})
        already = sum((payment.amount for payment in invoice.payments.all()), Decimal("0"))
        if already + amount > invoice.total_incl_vat:
            raise ValidationError(
                {
                    "amount": gettext("Le reste à payer est de %(left)s €.")
                    % {"left": invoice.total_incl_vat - already}
                }
            )
        payment = InvoicePayment(
            invoice=invoice, paid_on=paid_on, amount=amount, recorded_at=at, recorded_by=by
        )
        if invoice.snapshot["seller"]["vat_regime"] == VatRegime.FLAT_RATE_FARMER:
            _number, display = number_take(
                enterprise=invoice.buyer, kind=SequenceKind.PURCHASE_NOTE, on=paid_on
            )
            payment.purchase_note_year = paid_on.year
            payment.purchase_note_number = display
        payment.full_clean()
        payment.save()
        return payment
