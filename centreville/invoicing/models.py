"""Producers' invoices under French B2B rules: immutable once issued, numbered without gaps per seller.

An invoice is written once, at issue, with a snapshot of everything it prints (both parties as they were,
lines, VAT per rate, mentions); pages, the PDF and the Factur-X XML are made from that snapshot only. A
correction never edits an invoice: a credit note cancels it in full, and a new invoice follows.

Numbering: one series per seller, per kind and per calendar year (« F2026-000042 » for invoices,
« A2026-000003 » for credit notes). Each series is continuous and chronological; keeping credit notes in
their own series means an auditor reading the invoices' numbers sees no hole where a credit note took one,
and the year in the number keeps numbers unique when each series starts again at 1 in January, as the tax
administration admits.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from centreville.core.models import TimeStampedModel


class Immutable(ValidationError):
    pass


class WrittenOnceQuerySet(models.QuerySet):
    """Bulk updates and deletes would go round `save()`: refused."""

    def update(self, **kwargs: Any) -> int:
        raise Immutable(gettext("Une pièce émise ne se modifie pas : émettez un avoir."))

    def delete(self) -> tuple[int, dict[str, int]]:
        raise Immutable(gettext("Une pièce émise ne se supprime pas : émettez un avoir."))


class WrittenOnce(models.Model):
    """A row written once: saving it again, or deleting it, is refused."""

    objects = WrittenOnceQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise Immutable(gettext("Une pièce émise ne se modifie pas : émettez un avoir."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise Immutable(gettext("Une pièce émise ne se supprime pas : émettez un avoir."))


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Facture")
    CREDIT_NOTE = "credit_note", _("Avoir")


class SequenceKind(models.TextChoices):
    INVOICE = "invoice", _("Factures")
    CREDIT_NOTE = "credit_note", _("Avoirs")
    PURCHASE_NOTE = "purchase_note", _("Bulletins d'achat")


PREFIXES = {SequenceKind.INVOICE: "F", SequenceKind.CREDIT_NOTE: "A", SequenceKind.PURCHASE_NOTE: "BA"}


def number_display(kind: str, year: int, number: int) -> str:
    return f"{PREFIXES[SequenceKind(kind)]}{year}-{number:06d}"


class NumberSequence(models.Model):
    """The last number given in one series of an enterprise; its row is locked while a number is taken."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="number_sequences"
    )
    kind = models.CharField(max_length=16, choices=SequenceKind.choices)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)
    last_dated = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("série de numéros")
        verbose_name_plural = _("séries de numéros")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "kind", "year"], name="number_sequence_once")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.kind} {self.year}: {self.last_number}"


class Invoice(WrittenOnce):
    seller = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="invoices_issued"
    )
    buyer = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="invoices_received"
    )
    kind = models.CharField(_("type"), max_length=16, choices=InvoiceKind.choices)
    order = models.ForeignKey(
        "wholesale.WholesaleOrder",
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("commande"),
    )
    # A credit note cancels one invoice in full; an invoice is cancelled at most once.
    cancels = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="cancelled_by"
    )
    # The invoice a correction replaces (itself cancelled by a credit note); replaced at most once.
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    year = models.PositiveSmallIntegerField()
    sequence_number = models.PositiveIntegerField()
    number = models.CharField(_("numéro"), max_length=20)
    issued_at = models.DateTimeField(_("émise le"))
    issue_date = models.DateField(_("date d'émission"))
    delivery_date = models.DateField(_("date de livraison"))
    due_date = models.DateField(_("échéance"))
    currency = models.CharField(max_length=3, default="EUR")
    total_excl_vat = models.DecimalField(_("total HT (€)"), max_digits=12, decimal_places=2)
    total_vat = models.DecimalField(_("TVA (€)"), max_digits=12, decimal_places=2)
    total_incl_vat = models.DecimalField(_("total TTC (€)"), max_digits=12, decimal_places=2)
    reason = models.CharField(_("motif"), max_length=300, blank=True)
    # Everything printed, as it was at issue: parties, lines, VAT per rate, mentions (services.py).
    snapshot = models.JSONField()

    class Meta:
        verbose_name = _("facture")
        verbose_name_plural = _("factures")
        ordering = ["-issued_at", "-pk"]
        indexes = [
            models.Index(fields=["seller", "-issued_at"], name="invoice_seller"),
            models.Index(fields=["buyer", "-issued_at"], name="invoice_buyer"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "kind", "year", "sequence_number"], name="invoice_number_once"
            ),
            models.UniqueConstraint(fields=["seller", "number"], name="invoice_display_number_once"),
            # One first invoice per order: issuing twice (the signal sent again) finds it.
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(kind="invoice", replaces__isnull=True),
                name="invoice_one_first_per_order",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="invoice", cancels__isnull=True)
                | models.Q(kind="credit_note", cancels__isnull=False, replaces__isnull=True),
                name="invoice_credit_note_cancels_one",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE


class InvoiceLine(WrittenOnce):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("désignation"), max_length=300)
    # In base units (kg, l, pieces): cases are unpacked, a variable-weight line counts its weighed kilograms.
    quantity = models.DecimalField(_("quantité"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("unité"), max_length=8)
    unit_price = models.DecimalField(_("prix unitaire HT (€)"), max_digits=10, decimal_places=4)
    vat_rate = models.DecimalField(_("taux de TVA (%)"), max_digits=4, decimal_places=2)
    amount_excl_vat = models.DecimalField(_("montant HT (€)"), max_digits=12, decimal_places=2)
    labels = models.JSONField(default=list)

    class Meta:
        verbose_name = _("ligne de facture")
        verbose_name_plural = _("lignes de facture")
        ordering = ["invoice", "position"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="invoice_line_position_once")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} {self.unit} × {self.title}"


class InvoiceDocument(TimeStampedModel):
    """The Factur-X PDF (PDF/A-3 with its CII XML) made once after issue and kept as it was sent.

    Kept rather than made again: the document the buyer received must stay the same bytes even when the
    layout, the fonts or the library change, and the library stamps each PDF with its time of making. It is
    kept in the database, not among uploads (served publicly by the web server).
    """

    invoice = models.OneToOneField(Invoice, on_delete=models.PROTECT, related_name="document")
    pdf = models.BinaryField()
    xml = models.BinaryField()
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("document de facture")
        verbose_name_plural = _("documents de facture")

    def __str__(self) -> str:
        return str(self.invoice_id)


class InvoicePayment(WrittenOnce):
    """A payment the buyer made; for a farmer under the « remboursement forfaitaire agricole », it comes
    with the buyer's « bulletin d'achat » (CGI, annexe II, art. 265), numbered in the buyer's series."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField(_("payé le"))
    amount = models.DecimalField(_("montant (€)"), max_digits=12, decimal_places=2)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    purchase_note_year = models.PositiveSmallIntegerField(null=True, blank=True)
    purchase_note_number = models.CharField(_("bulletin d'achat"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        ordering = ["paid_on", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive")]

    def __str__(self) -> str:
        return f"{self.invoice_id} {self.amount}"
