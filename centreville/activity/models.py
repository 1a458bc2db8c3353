"""Platform activity counted per day, without tracking anyone: no visitor id, no IP, no cookie."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Metric(models.TextChoices):
    SHOP_VIEW = "shop_view", _("Visites de la page du commerce")
    PRODUCT_VIEW = "product_view", _("Visites des pages produits")
    QR_SCAN = "qr_scan", _("Scans de QR code")
    SEARCH = "search", _("Recherches")
    # A merchant changed the shop's page, products, photos or closures: tells which shops are kept up.
    MERCHANT_UPDATE = "merchant_update", _("Mises à jour par le commerçant")


class DailyCount(models.Model):
    """How many times something happened on one day, for a town or for one of its shops."""

    town = models.ForeignKey("towns.Town", on_delete=models.CASCADE, related_name="daily_counts")
    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.CASCADE, null=True, blank=True, related_name="daily_counts"
    )
    day = models.DateField(_("jour"))
    metric = models.CharField(_("mesure"), max_length=20, choices=Metric.choices)
    count = models.PositiveIntegerField(_("nombre"), default=0)

    class Meta:
        verbose_name = _("compte du jour")
        verbose_name_plural = _("comptes du jour")
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "day", "metric"],
                condition=models.Q(shop__isnull=False),
                name="daily_count_shop",
            ),
            models.UniqueConstraint(
                fields=["town", "day", "metric"],
                condition=models.Q(shop__isnull=True),
                name="daily_count_town",
            ),
        ]
        indexes = [models.Index(fields=["town", "metric", "day"], name="daily_count_town_metric_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.metric} = {self.count}"
