"""Reading invoices: a producer's and a buyer's lists, a buyer's statement of purchases with its EGalim
shares, a farmer's payments over a year."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet

from centreville.enterprises.models import EGALIM_QUALITY_LABELS, Enterprise, Label
from centreville.wholesale.models import WholesaleOrder

from .amounts import to_cents
from .models import Invoice, InvoiceKind, InvoiceLine, InvoicePayment


def invoices_of_seller(seller: Enterprise) -> QuerySet[Invoice]:
    return (
        Invoice.objects.filter(seller=seller)
        .select_related("buyer")
        .annotate(is_cancelled=Exists(Invoice.objects.filter(cancels=OuterRef("pk"))))
        .defer("snapshot")
        .order_by("-issued_at", "-pk")
    )


def invoice_awaiting_correction(order: WholesaleOrder) -> Invoice | None:
    """The order's latest invoice when a credit note cancelled it and no invoice replaces it yet: the
    order then has no valid invoice, and a corrected one may be issued."""
    latest = Invoice.objects.filter(order=order, kind=InvoiceKind.INVOICE).order_by("-pk").first()
    if latest is None or not Invoice.objects.filter(cancels=latest).exists():
        return None
    return latest


def order_invoices(order: WholesaleOrder) -> list[Invoice]:
    """Every invoice and credit note of an order, the first issued first."""
    return list(Invoice.objects.filter(order=order).defer("snapshot").order_by("issued_at", "pk"))


def invoices_of_buyer(buyer: Enterprise) -> QuerySet[Invoice]:
    return (
        Invoice.objects.filter(buyer=buyer)
        .select_related("seller")
        .annotate(is_cancelled=Exists(Invoice.objects.filter(cancels=OuterRef("pk"))))
        .defer("snapshot")
        .order_by("-issued_at", "-pk")
    )


def _share(part: Decimal, whole: Decimal) -> Decimal:
    return Decimal("0.0") if not whole else (part * 100 / whole).quantize(Decimal("0.1"))


@dataclass
class PurchaseStatement:
    """A buyer's purchases excluding VAT over a period, from invoices not cancelled."""

    start: date
    end: date
    total: Decimal = Decimal("0.00")
    by_producer: list[tuple[str, Decimal]] = field(default_factory=list)
    by_label: list[tuple[str, Decimal]] = field(default_factory=list)
    quality: Decimal = Decimal("0.00")  # EGalim « durables et de qualité », organic included
    organic: Decimal = Decimal("0.00")

    @property
    def quality_share(self) -> Decimal:
        return _share(self.quality, self.total)

    @property
    def organic_share(self) -> Decimal:
        return _share(self.organic, self.total)


def purchase_statement(*, buyer: Enterprise, start: date, end: date) -> PurchaseStatement:
    """By producer and by label, with the EGalim shares by spend excluding VAT: lines carrying a quality
    label (`EGALIM_QUALITY_LABELS`) and organic lines. A cancelled invoice counts for nothing; its
    replacement counts."""
    lines = (
        InvoiceLine.objects.filter(
            invoice__buyer=buyer,
            invoice__kind=InvoiceKind.INVOICE,
            invoice__issue_date__gte=start,
            invoice__issue_date__lte=end,
        )
        .exclude(Exists(Invoice.objects.filter(cancels=OuterRef("invoice_id"))))
        .values_list("invoice__seller__name", "amount_excl_vat", "labels")
    )
    statement = PurchaseStatement(start=start, end=end)
    producers: dict[str, Decimal] = defaultdict(Decimal)
    labels: dict[str, Decimal] = defaultdict(Decimal)
    for producer, amount, line_labels in lines:
        statement.total += amount
        producers[producer] += amount
        for label in line_labels or ():
            labels[label] += amount
        if EGALIM_QUALITY_LABELS.intersection(line_labels or ()):
            statement.quality += amount
        if Label.ORGANIC in (line_labels or ()):
            statement.organic += amount
    statement.by_producer = sorted(producers.items(), key=lambda item: (-item[1], item[0]))
    names = dict(Label.choices)
    statement.by_label = sorted(
        ((str(names.get(code, code)), to_cents(amount)) for code, amount in labels.items()),
        key=lambda item: (-item[1], item[0]),
    )
    return statement


def purchase_notes_of_buyer(buyer: Enterprise) -> QuerySet[InvoicePayment]:
    return (
        InvoicePayment.objects.filter(invoice__buyer=buyer)
        .exclude(purchase_note_number="")
        .select_related("invoice__seller")
        .order_by("-paid_on", "-pk")
    )


def yearly_purchases(
    *, buyer: Enterprise, seller: Enterprise, year: int
) -> tuple[list[InvoicePayment], Decimal]:
    """The payments a buyer made in `year` to a farmer under the remboursement forfaitaire agricole."""
    payments = list(
        InvoicePayment.objects.filter(invoice__buyer=buyer, invoice__seller=seller, paid_on__year=year)
        .exclude(purchase_note_number="")
        .select_related("invoice")
        .order_by("paid_on", "pk")
    )
    return payments, sum((payment.amount for payment in payments), Decimal("0.00"))


def flat_rate_farmers_paid(buyer: Enterprise) -> list[tuple[Enterprise, int]]:
    """(farmer, year) pairs a buyer has bulletins for, newest year first."""
    pairs = (
        InvoicePayment.objects.filter(invoice__buyer=buyer)
        .exclude(purchase_note_number="")
        .values_list("invoice__seller_id", "paid_on__year")
        .distinct()
    )
    sellers = Enterprise.objects.in_bulk({seller_id for seller_id, _year in pairs})
    return sorted(((sellers[seller_id], year) for seller_id, year in pairs), key=lambda p: (-p[1], p[0].name))
