"""Town vouchers: programmes, vouchers, the ledger of their movements and the merchants' statements.

Amounts are whole cents (integers), so that every sum is exact. A voucher holds two pots: the share paid by
its buyer and the town's share (a top-up, a free voucher); each has its own expiry. A voucher's balances are
only ever changed with a `Movement` row written in the same transaction, under a lock on the voucher
(`ledger.py`), and each movement keeps the balances it left: the ledger can be checked against the vouchers
at any date (`accounts.py`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from centreville.core.models import TimeStampedModel
from centreville.towns.models import TownOwnedModel


class ProgrammeKind(models.TextChoices):
    GIFT_CARD = "gift_card", _("Carte cadeau")
    TOP_UP = "top_up", _("Bon abondé par la ville")
    FREE = "free", _("Bon offert par la ville")


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("En préparation")
    OPEN = "open", _("Ouvert")
    CLOSED = "closed", _("Clos")


class Programme(TimeStampedModel):
    """An operation of a town or a territory: its kind, amounts, dates, budget, caps and eligibility."""

    town = models.ForeignKey(
        "towns.Town", on_delete=models.PROTECT, null=True, blank=True, related_name="voucher_programmes"
    )
    territory = models.ForeignKey(
        "towns.Territory", on_delete=models.PROTECT, null=True, blank=True, related_name="voucher_programmes"
    )
    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("adresse"), max_length=60)
    kind = models.CharField(_("nature"), max_length=12, choices=ProgrammeKind.choices)
    status = models.CharField(
        _("état"), max_length=8, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    # Who holds the money and reimburses the merchants: the town, its CCAS, a merchants' association.
    holder_name = models.CharField(_("porteur de l'opération"), max_length=160)
    holder_siret = models.CharField(_("SIRET du porteur"), max_length=14, blank=True)
    # Where the money of the cards sold online lands: the holder's account at the payment provider (Stripe:
    # acct_…); empty, it stays on the platform's account, which pays the holder back.
    holder_payment_account = models.CharField(_("compte de paiement du porteur"), max_length=64, blank=True)
    # Gift cards and free vouchers: the amounts on offer. Top-ups: what the resident pays, what they get.
    face_values_cents = models.JSONField(_("valeurs proposées (centimes)"), default=list, blank=True)
    top_up_paid_cents = models.PositiveIntegerField(_("payé par le bénéficiaire (centimes)"), default=0)
    top_up_value_cents = models.PositiveIntegerField(_("valeur du bon abondé (centimes)"), default=0)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin des émissions"))
    # The town's share is spent by this day at the latest; what a buyer paid stays valid this many months.
    town_share_valid_until = models.DateField(_("part de la ville valable jusqu'au"), null=True, blank=True)
    paid_share_validity_months = models.PositiveSmallIntegerField(
        _("validité de la part payée (mois)"), default=12, validators=[MinValueValidator(1)]
    )
    budget_cents = models.PositiveBigIntegerField(_("budget de la ville (centimes)"), null=True, blank=True)
    cap_per_person_cents = models.PositiveIntegerField(_("plafond par personne"), null=True, blank=True)
    cap_per_household_cents = models.PositiveIntegerField(_("plafond par foyer"), null=True, blank=True)
    cap_per_company_cents = models.PositiveIntegerField(_("plafond par entreprise"), null=True, blank=True)
    eligible_postcodes = models.JSONField(_("codes postaux éligibles"), default=list, blank=True)
    invitation_only = models.BooleanField(_("sur invitation seulement"), default=False)
    # Set while the worker gives the invitations their vouchers (`invitations.invitations_issue_queue`).
    invitations_queued_at = models.DateTimeField(
        _("émission des invitations lancée le"), null=True, blank=True
    )
    chains_excluded = models.BooleanField(_("chaînes et franchises exclues"), default=True)
    rules = models.TextField(_("règlement accepté par les commerçants"), blank=True)

    class Meta:
        verbose_name = _("opération de bons d'achat")
        verbose_name_plural = _("opérations de bons d'achat")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(town__isnull=False, territory__isnull=True)
                | Q(town__isnull=True, territory__isnull=False),
                name="voucher_programme_one_space",
            ),
            models.UniqueConstraint(
                fields=["town", "slug"],
                condition=Q(town__isnull=False),
                name="voucher_programme_slug_in_town",
            ),
            models.UniqueConstraint(
                fields=["territory", "slug"],
                condition=Q(territory__isnull=False),
                name="voucher_programme_slug_in_territory",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ProgrammeKind.values), name="voucher_programme_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProgrammeStatus.values), name="voucher_programme_status_known"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="voucher_programme_dates"
            ),
            models.CheckConstraint(
                condition=~Q(kind="top_up") | Q(top_up_value_cents__gt=models.F("top_up_paid_cents")),
                name="voucher_programme_top_up_adds",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Participation(TimeStampedModel):
    """A shop that accepts a programme's vouchers, and where its reimbursements go."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="participations")
    shop = models.ForeignKey("shops.Shop", on_delete=models.PROTECT, related_name="voucher_participations")
    rules_accepted_at = models.DateTimeField(_("règlement accepté le"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    iban = models.CharField(_("IBAN"), max_length=34)
    is_active = models.BooleanField(_("accepte les bons"), default=True)

    class Meta:
        verbose_name = _("commerce participant")
        verbose_name_plural = _("commerces participants")
        constraints = [
            models.UniqueConstraint(fields=["programme", "shop"], name="voucher_participation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.shop} — {self.programme}"


class Invitation(TimeStampedModel):
    """A household (or person) the town invites to a programme given on invitation; used once."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="invitations")
    reference = models.CharField(_("référence du foyer"), max_length=60)
    name = models.CharField(_("nom"), max_length=160)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    used_at = models.DateTimeField(_("utilisée le"), null=True, blank=True)
    # Why the last issue gave this household no voucher (the budget spent, a postcode not eligible…).
    refusal = models.TextField(_("motif du refus"), blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["programme", "reference"], name="voucher_invitation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.name}"


class BeneficiaryKind(models.TextChoices):
    PERSON = "person", _("Personne")
    HOUSEHOLD = "household", _("Foyer")
    COMPANY = "company", _("Entreprise")


class VoucherStatus(models.TextChoices):
    ACTIVE = "active", _("Valable")
    CANCELLED = "cancelled", _("Annulé")


class Voucher(TimeStampedModel):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="vouchers")
    # Sixteen symbols, the last one a check symbol; stored without separators (`codes.py`).
    code = models.CharField(_("code"), max_length=16, unique=True)
    beneficiary_kind = models.CharField(_("bénéficiaire"), max_length=10, choices=BeneficiaryKind.choices)
    # What the caps count by: a person's e-mail, a household's reference, a company's SIREN.
    beneficiary_key = models.CharField(_("identifiant du bénéficiaire"), max_length=254)
    beneficiary_name = models.CharField(_("nom du bénéficiaire"), max_length=160, blank=True)
    issued_at = models.DateTimeField(_("émis le"))
    paid_issued_cents = models.PositiveIntegerField(_("part payée émise"))
    town_issued_cents = models.PositiveIntegerField(_("part de la ville émise"))
    paid_balance_cents = models.PositiveIntegerField(_("solde de la part payée"))
    town_balance_cents = models.PositiveIntegerField(_("solde de la part de la ville"))
    paid_expires_at = models.DateTimeField(_("part payée valable jusqu'au"))
    town_expires_at = models.DateTimeField(_("part de la ville valable jusqu'au"))
    status = models.CharField(
        _("état"), max_length=10, choices=VoucherStatus.choices, default=VoucherStatus.ACTIVE
    )
    # The time of its latest movement: the next one is never dated before it (`ledger.py`).
    moved_at = models.DateTimeField(_("dernier mouvement le"))
    # The sale or the distribution it comes from (a payment's reference, an invitation, a batch).
    origin = models.CharField(_("origine"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("bon d'achat")
        verbose_name_plural = _("bons d'achat")
        indexes = [
            models.Index(fields=["programme", "beneficiary_key"], name="voucher_beneficiary"),
            # The expiry task looks for pots past their date that still hold money.
            models.Index(
                fields=["town_expires_at"],
                condition=Q(town_balance_cents__gt=0),
                name="voucher_town_to_expire",
            ),
            models.Index(
                fields=["paid_expires_at"],
                condition=Q(paid_balance_cents__gt=0),
                name="voucher_paid_to_expire",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(paid_balance_cents__lte=models.F("paid_issued_cents"))
                & Q(town_balance_cents__lte=models.F("town_issued_cents")),
                name="voucher_balance_within_issued",
            ),
            models.CheckConstraint(
                condition=Q(paid_issued_cents__gt=0) | Q(town_issued_cents__gt=0), name="voucher_not_empty"
            ),
            models.CheckConstraint(condition=Q(status__in=VoucherStatus.values), name="voucher_status_known"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def balance_cents(self) -> int:
        return self.paid_balance_cents + self.town_balance_cents


class MovementKind(models.TextChoices):
    ISSUE = "issue", _("Émission")
    SPEND = "spend", _("Achat")
    SPEND_REFUND = "spend_refund", _("Achat annulé, recrédité")
    EXPIRY = "expiry", _("Expiration")
    CANCELLATION = "cancellation", _("Annulation du bon")


# The sign of each kind's amounts: what it does to a balance.
CREDITS = (MovementKind.ISSUE, MovementKind.SPEND_REFUND)


class Movement(models.Model):
    """One change of a voucher's balances. Amounts are signed (a spend is negative); written once."""

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="movements")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(_("nature"), max_length=12, choices=MovementKind.choices)
    at = models.DateTimeField(_("date"))
    paid_cents = models.IntegerField(_("part payée"))
    town_cents = models.IntegerField(_("part de la ville"))
    paid_balance_after = models.PositiveIntegerField(_("solde payé après"))
    town_balance_after = models.PositiveIntegerField(_("solde ville après"))
    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.PROTECT, null=True, blank=True, related_name="voucher_movements"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # An order's reference online, a receipt number at the counter, a reason for a cancellation.
    reference = models.CharField(_("référence"), max_length=200, blank=True)
    refund_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="refunds"
    )
    statement = models.ForeignKey(
        "Statement", on_delete=models.PROTECT, null=True, blank=True, related_name="movements"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mouvement")
        verbose_name_plural = _("mouvements")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["programme", "at"], name="voucher_movement_programme_at"),
            models.Index(fields=["shop", "at"], name="voucher_movement_shop_at"),
            models.Index(fields=["voucher", "at"], name="voucher_movement_voucher_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MovementKind.values), name="voucher_movement_kind_known"
            ),
            models.CheckConstraint(
                condition=(Q(kind__in=CREDITS) & Q(paid_cents__gte=0, town_cents__gte=0))
                | (~Q(kind__in=CREDITS) & Q(paid_cents__lte=0, town_cents__lte=0)),
                name="voucher_movement_sign",
            ),
            models.CheckConstraint(
                condition=~Q(paid_cents=0, town_cents=0), name="voucher_movement_not_empty"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["spend", "spend_refund"]) | Q(shop__isnull=False),
                name="voucher_movement_spend_has_shop",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.paid_cents + self.town_cents} c"

    @property
    def amount_cents(self) -> int:
        return self.paid_cents + self.town_cents


class StatementStatus(models.TextChoices):
    DUE = "due", _("À rembourser")
    PAID = "paid", _("Remboursé")


class Statement(TimeStampedModel):
    """What a programme owes a shop for a month's spends (net of the spends given back)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="statements")
    shop = models.ForeignKey("shops.Shop", on_delete=models.PROTECT, related_name="voucher_statements")
    month = models.DateField(_("mois"))
    number = models.CharField(_("numéro"), max_length=40, unique=True)
    amount_cents = models.IntegerField(_("montant (centimes)"))
    spends = models.PositiveIntegerField(_("achats"))
    iban = models.CharField(_("IBAN"), max_length=34)
    made_at = models.DateTimeField(_("établi le"))
    status = models.CharField(
        _("état"), max_length=4, choices=StatementStatus.choices, default=StatementStatus.DUE
    )
    paid_at = models.DateTimeField(_("remboursé le"), null=True, blank=True)
    transfer_reference = models.CharField(_("référence du virement"), max_length=120, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("relevé de remboursement")
        verbose_name_plural = _("relevés de remboursement")
        ordering = ["-month", "shop__name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "shop", "month"], name="voucher_statement_once"),
            models.CheckConstraint(
                condition=Q(status__in=StatementStatus.values), name="voucher_statement_status"
            ),
            models.CheckConstraint(
                condition=Q(status="due", paid_at__isnull=True)
                | Q(status="paid", paid_at__isnull=False) & ~Q(transfer_reference=""),
                name="voucher_statement_paid_with_reference",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class SaleBuyerKind(models.TextChoices):
    PERSON = "person", _("Particulier")
    COMPANY = "company", _("Entreprise")


class SaleStatus(models.TextChoices):
    PENDING = "pending", _("En attente du paiement")
    PAID = "paid", _("Payée, bons émis")
    FAILED = "failed", _("Paiement échoué ou abandonné")
    CANCELLED = "cancelled", _("Annulée")
    # Paid, but the programme's rules refused the vouchers meanwhile: the money goes back to the buyer.
    REFUNDED = "refunded", _("Remboursée")


class Sale(TownOwnedModel):
    """Vouchers bought online by a person or a company (`sales.py`): paid at the payment provider first, then
    issued once, with `Voucher.origin` = the sale's reference. A company's sale has an invoice."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="sales")
    reference = models.CharField(_("référence"), max_length=20, unique=True)
    # The buyer's private link to the sale, its vouchers and its invoice.
    token = models.CharField(max_length=43, unique=True)
    buyer_kind = models.CharField(_("acheteur"), max_length=8, choices=SaleBuyerKind.choices)
    buyer_name = models.CharField(_("nom"), max_length=160)
    email = models.EmailField(_("e-mail"))
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    company_siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    billing_address = models.TextField(_("adresse de facturation"), blank=True)
    language = models.CharField(_("langue"), max_length=8, default="fr")
    face_value_cents = models.PositiveIntegerField(_("valeur de chaque bon (centimes)"))
    count = models.PositiveIntegerField(_("nombre de bons"), validators=[MinValueValidator(1)])
    amount_cents = models.PositiveIntegerField(_("montant payé (centimes)"))
    status = models.CharField(
        _("état"), max_length=10, choices=SaleStatus.choices, default=SaleStatus.PENDING
    )
    payment = models.OneToOneField(
        "payments.Payment", on_delete=models.PROTECT, null=True, blank=True, related_name="voucher_sale"
    )
    paid_at = models.DateTimeField(_("payée le"), null=True, blank=True)
    # Why the vouchers were not issued after the payment (the buyer is refunded).
    refusal = models.TextField(_("motif du refus"), blank=True)
    invoice_number = models.CharField(_("numéro de facture"), max_length=30, blank=True)
    # What the invoice prints (holder, buyer, date, amounts), written once with its number.
    invoice = models.JSONField(_("facture"), default=dict, blank=True)

    class Meta:
        verbose_name = _("vente de bons en ligne")
        verbose_name_plural = _("ventes de bons en ligne")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(buyer_kind__in=SaleBuyerKind.values), name="voucher_sale_buyer_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SaleStatus.values), name="voucher_sale_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(buyer_kind="company") | ~Q(company_siret=""), name="voucher_sale_company_siret"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def vouchers(self) -> models.QuerySet[Voucher]:
        """The vouchers this sale issued (their `origin` is its reference)."""
        return Voucher.objects.filter(programme_id=self.programme_id, origin=self.reference).order_by("pk")


class SaleInvoiceSequence(models.Model):
    """The last invoice number a programme holder gave in a year; its row is locked while one is taken, so
    numbers have no gap."""

    # The holder's SIRET, or its name when it has none.
    holder_key = models.CharField(max_length=160)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("série de factures de bons")
        verbose_name_plural = _("séries de factures de bons")
        constraints = [
            models.UniqueConstraint(fields=["holder_key", "year"], name="voucher_sale_invoice_sequence_once")
        ]

    def __str__(self) -> str:
        return f"{self.holder_key} {self.year}: {self.last_number}"
