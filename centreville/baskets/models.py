"""The town basket: what someone means to reserve across the shops of one town, before checkout."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from centreville.core.models import TimeStampedModel
from centreville.towns.models import TownOwnedModel


class Basket(TownOwnedModel):
    """One basket per person and town: a signed-in person's is tied to the account, a visitor's to the
    session (which keeps the basket's id, so the basket survives the new session key given at login)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="baskets"
    )

    class Meta:
        verbose_name = _("panier")
        verbose_name_plural = _("paniers")
        constraints = [
            models.UniqueConstraint(
                fields=["town", "user"],
                condition=models.Q(user__isnull=False),
                name="basket_one_per_user_in_town",
            )
        ]
        # The retention purge finds the baskets nobody has touched for long.
        indexes = [models.Index(fields=["updated_at"], name="basket_last_touched")]

    def __str__(self) -> str:
        return f"{self.town_id}: {self.user_id or '—'}"


class BasketLine(TimeStampedModel):
    basket = models.ForeignKey(Basket, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalogue.Product", on_delete=models.CASCADE, related_name="+")
    variant = models.ForeignKey(
        "catalogue.ProductVariant", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantité"))

    class Meta:
        verbose_name = _("ligne de panier")
        verbose_name_plural = _("lignes de panier")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="basket_line_quantity_positive"),
            # NULLs are distinct in a unique index: a product without variant needs its own constraint.
            models.UniqueConstraint(
                fields=["basket", "product"],
                condition=models.Q(variant__isnull=True),
                name="basket_line_product_once",
            ),
            models.UniqueConstraint(
                fields=["basket", "product", "variant"],
                condition=models.Q(variant__isnull=False),
                name="basket_line_variant_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_id}/{self.variant_id or '—'}"
