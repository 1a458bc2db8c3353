"""Online payment of a basket: one charge for the basket, one share per shop's order, refunds, events.

Pay at pickup needs none of this; these rows exist only for baskets the customer chose to pay online.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from centreville.core.models import TimeStampedModel
from centreville.towns.models import TownOwnedModel


class ProviderName(models.TextChoices):
    FAKE = "fake", _("Paiement d'essai")
    STRIPE = "stripe", _("Stripe Connect")


class ShopPaymentAccount(TimeStampedModel):
    """The account at the payment provider where a shop receives its share of online payments."""

    shop = models.OneToOneField("shops.Shop", on_delete=models.CASCADE, related_name="payment_account")
    provider = models.CharField(
        _("prestataire"), max_length=10, choices=ProviderName.choices, default=ProviderName.STRIPE
    )
    account_id = models.CharField(
        _("identifiant du compte"),
        max_length=64,
        help_text=_("Par exemple acct_… : créé quand le commerçant connecte son compte depuis son espace."),
    )
    charges_enabled = models.BooleanField(_("prêt à recevoir des paiements"), default=False)
    # What the provider last said of the account (on the merchant's return and by its webhook).
    details_submitted = models.BooleanField(_("informations envoyées"), default=False)
    requirements_due = models.JSONField(_("informations demandées"), default=list, blank=True)
    pending_verification = models.JSONField(_("informations en vérification"), default=list, blank=True)
    disabled_reason = models.CharField(_("motif de blocage"), max_length=100, blank=True)
    status_checked_at = models.DateTimeField(_("état vérifié le"), null=True, blank=True)

    class Meta:
        verbose_name = _("compte de paiement d'un commerce")
        verbose_name_plural = _("comptes de paiement des commerces")

    def __str__(self) -> str:
        return f"{self.shop} ({self.account_id})"


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    PAID = "paid", _("Payé")
    FAILED = "failed", _("Échoué ou abandonné")
    REFUNDED = "refunded", _("Remboursé")
    PARTIALLY_REFUNDED = "partially_refunded", _("Remboursé en partie")


class PaymentPurpose(models.TextChoices):
    # A basket's orders: one share per shop's order, each sent to its shop.
    ORDERS = "orders", _("Commandes d'un panier")
    # A town's gift cards or vouchers: no order, the whole amount goes to one payee (or the platform).
    VOUCHER_SALE = "voucher_sale", _("Vente de bons d'achat")


class Payment(TownOwnedModel):
    """One charge at one provider: for the orders of one basket, or for one sale paid to one payee."""

    # The basket's reference, or the sale's for a payment without orders.
    basket_reference = models.CharField(_("référence du panier"), max_length=20, db_index=True)
    purpose = models.CharField(
        _("objet"), max_length=12, choices=PaymentPurpose.choices, default=PaymentPurpose.ORDERS
    )
    # What the customer reads on the provider's page, for a payment without orders.
    description = models.CharField(_("libellé"), max_length=200, blank=True)
    # Where the whole amount goes at the provider (Stripe: a connected account, acct_…) for a payment without
    # orders; empty: the platform's own account.
    payee_account_id = models.CharField(_("compte bénéficiaire"), max_length=64, blank=True)
    provider = models.CharField(_("prestataire"), max_length=10, choices=ProviderName.choices)
    # The provider's id for this charge (Stripe: the Checkout Session), the key every event refers to.
    provider_reference = models.CharField(_("référence chez le prestataire"), max_length=255, unique=True)
    # Known once paid (Stripe: the PaymentIntent), needed for transfers and refunds.
    charge_reference = models.CharField(_("référence du paiement"), max_length=255, blank=True, db_index=True)
    amount = models.DecimalField(
        _("montant (€)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    currency = models.CharField(_("devise"), max_length=3, default="eur")
    status = models.CharField(
        _("état"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    amount_refunded = models.DecimalField(
        _("montant remboursé (€)"), max_digits=10, decimal_places=2, default=Decimal("0.00")
    )
    redirect_url = models.CharField(_("page de paiement"), max_length=2000)
    return_url = models.CharField(_("retour après paiement"), max_length=2000)
    cancel_url = models.CharField(_("retour après abandon"), max_length=2000)

    class Meta:
        verbose_name = _("paiement en ligne")
        verbose_name_plural = _("paiements en ligne")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=PaymentStatus.values), name="payment_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_refunded__gte=0, amount_refunded__lte=models.F("amount")),
                name="payment_refund_within_amount",
            ),
            models.CheckConstraint(
                condition=models.Q(purpose__in=PaymentPurpose.values), name="payment_purpose_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.basket_reference} — {self.amount} € ({self.get_status_display()})"


class PaymentShare(models.Model):
    """The part of a payment that belongs to one shop's order, and the transfer that sent it there."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="shares")
    order = models.OneToOneField("orders.Order", on_delete=models.PROTECT, related_name="payment_share")
    amount = models.DecimalField(_("montant (€)"), max_digits=10, decimal_places=2)
    # Empty until the money has been sent to the shop's account.
    transfer_reference = models.CharField(_("référence du virement"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("part d'un commerce")
        verbose_name_plural = _("parts des commerces")

    def __str__(self) -> str:
        return f"{self.order_id}: {self.amount} €"


class Refund(models.Model):
    """Money given back for one order, or for a whole payment without orders; recorded first, sent to the
    provider once recorded."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    order = models.OneToOneField(
        "orders.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="refund"
    )
    amount = models.DecimalField(_("montant (€)"), max_digits=10, decimal_places=2)
    # Empty until the provider has confirmed the refund.
    provider_reference = models.CharField(_("référence chez le prestataire"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("remboursement")
        verbose_name_plural = _("remboursements")
        ordering = ["created_at", "pk"]
        constraints = [
            # A payment without orders is given back whole, once.
            models.UniqueConstraint(
                fields=["payment"], condition=models.Q(order__isnull=True), name="refund_whole_payment_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id or self.payment.basket_reference}: {self.amount} €"


class WebhookEvent(models.Model):
    """Every event a provider sent, once: the unique key is what makes a replay do nothing."""

    provider = models.CharField(_("prestataire"), max_length=10, choices=ProviderName.choices)
    event_id = models.CharField(_("identifiant de l'événement"), max_length=255)
    type = models.CharField(_("type"), max_length=100)
    provider_reference = models.CharField(_("référence du paiement"), max_length=255, blank=True)
    received_at = models.DateTimeField(_("reçu le"), auto_now_add=True)
    # False when the event changed nothing (unknown payment, a state it may not undo, a type we ignore).
    processed = models.BooleanField(_("pris en compte"), default=False)
    # Why an event was not applied when someone must look (a payment for another amount or currency).
    problem = models.TextField(_("problème"), blank=True)
    payload = models.JSONField(_("contenu"), default=dict, blank=True)

    class Meta:
        verbose_name = _("événement du prestataire")
        verbose_name_plural = _("événements du prestataire")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_once"),
        ]
        # The retention purge finds the oldest events.
        indexes = [models.Index(fields=["received_at"], name="webhook_event_received")]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id} ({self.type})"
