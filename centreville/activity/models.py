"""Platform activity counted per day, without tracking anyone: no visitor id, no IP, no cookie."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Metric(models.TextChoices):
    SHOP_VIEW = "shop_view", _("Visites de la page du commerce")
    PRODUCT_VIEW = "product_view", _("Visites des pages produits")
    QR_SCAN = "qr_scan", _("Scans de QR code")
    SEARCH = "search", _("Recherches")
    # A search that found nothing: its words are kept apart, per town and day (SearchWithoutResult).
    SEARCH_NO_RESULT = "search_no_result", _("Recherches sans résultat")
    # A merchant changed the shop's page, products, photos or closures: tells which shops are kept up.
    MERCHANT_UPDATE = "merchant_update", _("Mises à jour par le commerçant")


class DailyCount(models.Model):
    """How many times something happened on one day, for a town, one of its shops or one of their products.

    Each event is counted in exactly one row: a product page's visit in the product's row (which names its
    shop too), so that a shop's figures are the sum of its rows. A town's figures are kept apart, added up as
    the rows are written (TownDailyTotal).
    """

    town = models.ForeignKey("towns.Town", on_delete=models.CASCADE, related_name="daily_counts")
    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.CASCADE, null=True, blank=True, related_name="daily_counts"
    )
    # Named by string: products sit above activity, which never imports them.
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, null=True, blank=True, related_name="daily_counts"
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
                condition=models.Q(shop__isnull=False, product__isnull=True),
                name="daily_count_shop",
            ),
            models.UniqueConstraint(
                fields=["town", "day", "metric"],
                condition=models.Q(shop__isnull=True),
                name="daily_count_town",
            ),
            models.UniqueConstraint(
                fields=["product", "day", "metric"],
                condition=models.Q(product__isnull=False),
                name="daily_count_product",
            ),
            models.CheckConstraint(
                condition=models.Q(product__isnull=True) | models.Q(shop__isnull=False),
                name="daily_count_product_has_shop",
            ),
        ]
        indexes = [models.Index(fields=["town", "metric", "day"], name="daily_count_town_metric_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.metric} = {self.count}"


class TownDailyTotal(models.Model):
    """How many times something happened on one day in a town, its shops and their products together.

    Added to whenever a DailyCount of the town is, so that the town's figures over a year read a few hundred
    rows, not every shop's and product's. It keeps the counts of shops and products deleted since: the
    town's past stays as it was.
    """

    town = models.ForeignKey("towns.Town", on_delete=models.CASCADE, related_name="daily_totals")
    day = models.DateField(_("jour"))
    metric = models.CharField(_("mesure"), max_length=20, choices=Metric.choices)
    count = models.PositiveIntegerField(_("nombre"), default=0)

    class Meta:
        verbose_name = _("total du jour de la ville")
        verbose_name_plural = _("totaux du jour de la ville")
        constraints = [
            models.UniqueConstraint(fields=["town", "metric", "day"], name="town_daily_total_once")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.metric} = {self.count}"


class SearchWithoutResult(models.Model):
    """The words of searches that found nothing in a town on one day, and how many times they were searched.

    Only the normalised words (lower case, no accents, at most MAX_QUERY_CHARS characters) and a count: no
    person, no address, no cookie, no moment finer than the day. Words that look like an e-mail address or
    a telephone number are not kept (the search is still counted under Metric.SEARCH_NO_RESULT).
    """

    MAX_QUERY_CHARS = 100

    town = models.ForeignKey("towns.Town", on_delete=models.CASCADE, related_name="searches_without_result")
    day = models.DateField(_("jour"))
    query = models.CharField(_("recherche"), max_length=MAX_QUERY_CHARS)
    count = models.PositiveIntegerField(_("nombre"), default=0)

    class Meta:
        verbose_name = _("recherche sans résultat")
        verbose_name_plural = _("recherches sans résultat")
        constraints = [
            models.UniqueConstraint(fields=["town", "day", "query"], name="search_without_result_once")
        ]
        indexes = [models.Index(fields=["town", "day"], name="search_without_result_day")]

    def __str__(self) -> str:
        return f"{self.day} « {self.query} » × {self.count}"
