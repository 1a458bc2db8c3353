"""Independent shops of a town, their trade categories and the people who run them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from centreville.core.models import TimeStampedModel, TownOwnedModel


def validate_opening_hours(value: str) -> None:
    """OpenStreetMap `opening_hours` syntax, as parsed by the opening-hours library."""
    import opening_hours

    if not opening_hours.validate(value):
        raise ValidationError(
            gettext("Horaires illisibles : « %(value)s ». Exemple attendu : Mo-Sa 09:00-12:00,14:00-19:00"),
            params={"value": value},
            code="opening_hours",
        )


class TradeCategory(TimeStampedModel):
    """A trade as people name it (« Boulangerie-pâtisserie »), mapped to the NAF codes it covers."""

    name = models.CharField(_("nom"), max_length=80, unique=True)
    slug = models.SlugField(_("adresse"), max_length=80, unique=True)
    naf_codes = models.JSONField(_("codes NAF"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("catégorie de commerce")
        verbose_name_plural = _("catégories de commerce")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class ShopStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("En attente de validation")
    PUBLISHED = "published", _("Publié")
    REJECTED = "rejected", _("Refusé")
    CLOSED = "closed", _("Fermé")


class Shop(TownOwnedModel):
    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("adresse"), max_length=140)
    category = models.ForeignKey(
        TradeCategory, verbose_name=_("catégorie"), on_delete=models.PROTECT, related_name="shops"
    )
    description = models.TextField(_("description"), blank=True)
    street_address = models.CharField(_("adresse"), max_length=200)
    postcode = models.CharField(_("code postal"), max_length=5)
    city = models.CharField(_("commune"), max_length=120)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    opening_hours = models.CharField(
        _("horaires d'ouverture"),
        max_length=255,
        blank=True,
        validators=[validate_opening_hours],
        help_text=_("Syntaxe OpenStreetMap, par exemple : Tu-Sa 09:00-12:30,14:00-19:00; PH off"),
    )
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    status = models.CharField(
        _("statut"), max_length=16, choices=ShopStatus.choices, default=ShopStatus.DRAFT
    )

    class Meta:
        verbose_name = _("commerce")
        verbose_name_plural = _("commerces")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["town", "slug"], name="shop_slug_unique_in_town"),
            models.CheckConstraint(
                condition=models.Q(status__in=ShopStatus.values), name="shop_status_known"
            ),
        ]
        indexes = [models.Index(fields=["town", "status", "name"], name="shop_town_status_name")]

    def __str__(self) -> str:
        return self.name


class ShopMembership(TimeStampedModel):
    """Someone who runs a shop: several people can run one shop, one person several shops."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shop_memberships"
    )

    class Meta:
        verbose_name = _("membre d'un commerce")
        verbose_name_plural = _("membres des commerces")
        constraints = [models.UniqueConstraint(fields=["shop", "user"], name="shop_member_once")]

    def __str__(self) -> str:
        return f"{self.user} — {self.shop}"
