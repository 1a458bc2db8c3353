"""The rules of trade the town manages: its « dimanches du maire » and the braderie declarations.

French law lets the mayor allow shops to open on at most 12 Sundays a year, listed by decree before the
year starts (Code du travail, L3132-26); a sale « au déballage » (braderie, vide-grenier of traders) is
declared to the mayor at least 15 days ahead and may take place at most two months a year on one site
(Code de commerce, L310-2). `agenda/trade_rules.py` checks both when they are written.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from centreville.core.models import TimeStampedModel
from centreville.towns.models import TownOwnedModel

__all__ = [
    "BraderieDeclaration",
    "DeclarationStatus",
    "SundayOpening",
    "SundayOpeningShop",
]


class SundayOpening(TownOwnedModel):
    """A Sunday on which the mayor allows the shops to open."""

    date = models.DateField(_("dimanche"))
    decree = models.CharField(
        _("arrêté"),
        max_length=150,
        blank=True,
        help_text=_("Référence de l'arrêté municipal, par exemple « 2026-154 »."),
    )
    note = models.CharField(
        _("occasion"), max_length=150, blank=True, help_text=_("Par exemple « Soldes d'hiver ».")
    )

    class Meta:
        verbose_name = _("dimanche du maire")
        verbose_name_plural = _("dimanches du maire")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["town", "date"], name="sunday_opening_once")]

    def __str__(self) -> str:
        return self.date.isoformat()


class SundayOpeningShop(TimeStampedModel):
    """A shop that opens on one of the town's Sundays."""

    sunday = models.ForeignKey(SundayOpening, on_delete=models.CASCADE, related_name="shops")
    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="sunday_openings")
    hours = models.CharField(
        _("horaires"), max_length=60, blank=True, help_text=_("Par exemple « 10:00-18:00 ».")
    )

    class Meta:
        verbose_name = _("ouverture d'un commerce un dimanche du maire")
        verbose_name_plural = _("ouvertures des commerces les dimanches du maire")
        constraints = [models.UniqueConstraint(fields=["sunday", "shop"], name="sunday_opening_shop_once")]


class DeclarationStatus(models.TextChoices):
    RECEIVED = "received", _("Reçue")
    ACCEPTED = "accepted", _("Acceptée")
    REFUSED = "refused", _("Refusée")


class BraderieDeclaration(TownOwnedModel):
    """A declaration of a sale « au déballage » to the mayor: who, where, when, what is sold."""

    declarant_name = models.CharField(_("déclarant"), max_length=150)
    shop = models.ForeignKey(
        "shops.Shop",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commerce"),
    )
    # The site as the declarant wrote it, and its key (lower case, no accents, single spaces): the two
    # months a year are counted per key.
    site = models.CharField(_("lieu de la vente"), max_length=250)
    site_key = models.CharField(max_length=250, db_index=True, editable=False)
    starts_on = models.DateField(_("premier jour"))
    ends_on = models.DateField(_("dernier jour"))
    goods = models.CharField(_("marchandises vendues"), max_length=250)
    received_on = models.DateField(_("reçue le"))
    status = models.CharField(
        _("statut"), max_length=10, choices=DeclarationStatus.choices, default=DeclarationStatus.RECEIVED
    )
    decision_note = models.CharField(_("motif"), max_length=250, blank=True)
    event = models.ForeignKey(
        "agenda.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("événement"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("déclaration de vente au déballage")
        verbose_name_plural = _("déclarations de vente au déballage")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="braderie_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.declarant_name} {self.starts_on.isoformat()}"
