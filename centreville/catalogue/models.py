"""Products that shops show and sell."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from centreville.core.models import TownOwnedModel


class Product(TownOwnedModel):
    shop = models.ForeignKey(
        "shops.Shop", verbose_name=_("commerce"), on_delete=models.CASCADE, related_name="products"
    )
    title = models.CharField(_("titre"), max_length=160)
    slug = models.SlugField(_("adresse"), max_length=180)
    description = models.TextField(_("description"), blank=True)
    # Euros as a decimal: prices are never floats.
    price = models.DecimalField(_("prix (€)"), max_digits=10, decimal_places=2)
    stock = models.IntegerField(
        _("stock"), null=True, blank=True, help_text=_("Laisser vide pour « sur demande ».")
    )
    is_visible = models.BooleanField(_("visible"), default=True)

    class Meta:
        verbose_name = _("produit")
        verbose_name_plural = _("produits")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "slug"], name="product_slug_unique_in_shop"),
            models.CheckConstraint(condition=models.Q(price__gte=0), name="product_price_not_negative"),
            models.CheckConstraint(
                condition=models.Q(stock__isnull=True) | models.Q(stock__gte=0),
                name="product_stock_not_negative",
            ),
        ]
        indexes = [
            # A town's visible products, newest first (home page).
            models.Index(
                fields=["town", "-updated_at"],
                condition=models.Q(is_visible=True),
                name="product_town_visible_recent",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.shop_id and self.town_id and self.shop.town_id != self.town_id:
            raise ValidationError(gettext("Un produit appartient à la ville de son commerce."))
