"""What the platform itself sees of each shop's online presence."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ShopSignals(models.Model):
    """One published shop's signals, as the periodic task last computed them (`shop_signals.py`): a page
    without photo or opening hours, products not updated for a while, orders left unanswered. The
    self-diagnostic and the town's follow-up of its merchants read them."""

    shop = models.OneToOneField(
        "shops.Shop", on_delete=models.CASCADE, primary_key=True, related_name="support_signals"
    )
    town = models.ForeignKey("towns.Town", on_delete=models.CASCADE, related_name="+")
    computed_at = models.DateTimeField(_("calculé le"))
    has_photo = models.BooleanField(_("a une photo"))
    has_opening_hours = models.BooleanField(_("a ses horaires"))
    products = models.PositiveIntegerField(_("produits en ligne"))
    stale_products = models.PositiveIntegerField(_("produits non mis à jour depuis 60 jours"))
    unanswered_orders = models.PositiveIntegerField(_("commandes restées sans réponse"))

    class Meta:
        verbose_name = _("signaux d'un commerce")
        verbose_name_plural = _("signaux des commerces")
        indexes = [models.Index(fields=["town", "computed_at"], name="shop_signals_town")]

    def __str__(self) -> str:
        return f"{self.shop_id} @ {self.computed_at:%Y-%m-%d %H:%M}"

    @property
    def count(self) -> int:
        """How many things the platform sees to improve."""
        return (
            (not self.has_photo)
            + (not self.has_opening_hours)
            + (self.stale_products > 0)
            + (self.unanswered_orders > 0)
        )
