"""Click & Collect orders: one order per shop, its lines, and every step of its life."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from centreville.core.models import TimeStampedModel, TownOwnedModel


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("Passée")
    ACCEPTED = "accepted", _("Acceptée")
    REFUSED = "refused", _("Refusée")
    READY = "ready", _("Prête")
    COLLECTED = "collected", _("Retirée")
    CANCELLED = "cancelled", _("Annulée")
    EXPIRED = "expired", _("Expirée")


class Order(TownOwnedModel):
    """What one customer reserved in one shop; orders of one basket share its reference."""

    shop = models.ForeignKey("shops.Shop", on_delete=models.PROTECT, related_name="orders")
    reference = models.CharField(_("référence"), max_length=20, unique=True)
    basket_reference = models.CharField(_("référence du panier"), max_length=20, db_index=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.PLACED
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="orders"
    )
    customer_name = models.CharField(_("nom"), max_length=120)
    customer_contact = models.CharField(_("téléphone ou e-mail"), max_length=200)

    class Meta:
        verbose_name = _("commande")
        verbose_name_plural = _("commandes")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=OrderStatus.values), name="order_status_known"
            )
        ]
        indexes = [models.Index(fields=["shop", "status", "-created_at"], name="order_shop_status_recent")]

    def __str__(self) -> str:
        return self.reference


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalogue.Product", on_delete=models.PROTECT, related_name="order_lines")
    variant = models.ForeignKey(
        "catalogue.ProductVariant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order_lines",
    )
    # What the customer saw when ordering, kept even if the product changes later.
    title = models.CharField(_("article"), max_length=250)
    unit_price = models.DecimalField(_("prix unitaire (€)"), max_digits=10, decimal_places=2)
    quantity = models.PositiveIntegerField(_("quantité"))

    class Meta:
        verbose_name = _("ligne de commande")
        verbose_name_plural = _("lignes de commande")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="order_line_quantity_positive"),
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=0), name="order_line_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.title}"


class OrderEvent(TimeStampedModel):
    """One step of an order's life: who moved it from which status to which, when and why."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("ancien statut"), max_length=12, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(_("nouveau statut"), max_length=12, choices=OrderStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("motif"), blank=True)

    class Meta:
        verbose_name = _("étape de commande")
        verbose_name_plural = _("étapes de commande")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status or '—'} → {self.to_status}"
