"""Lots: what a producer has to sell to professionals now, in what unit, at what price.

Quantities (available, minimum, step, ordered) count selling units: kilograms, litres, pieces, or cases
when the lot is sold by the case. Prices are per base unit (kg, litre, piece) excluding VAT, so that a
case's price is always its size times the unit price. A variable-weight lot is ordered in pieces and priced
by the kilogram: the order estimates each piece's weight, the producer weighs at pickup.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from centreville.core.models import Photo, TimeStampedModel
from centreville.enterprises.models import BuyerCategory, validate_labels


class Unit(models.TextChoices):
    KILOGRAM = "kg", _("kilogramme")
    LITRE = "l", _("litre")
    PIECE = "piece", _("pièce")


class VatRate(models.TextChoices):
    REDUCED = "5.5", _("5,5 %")
    INTERMEDIATE = "10", _("10 %")
    STANDARD = "20", _("20 %")


class Lot(TimeStampedModel):
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("producteur"), on_delete=models.CASCADE, related_name="lots"
    )
    category = models.ForeignKey(
        "catalogue.ProductCategory",
        verbose_name=_("catégorie"),
        on_delete=models.PROTECT,
        related_name="lots",
    )
    title = models.CharField(_("produit"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unité"), max_length=8, choices=Unit.choices, default=Unit.KILOGRAM)
    # Sold by cases of `case_size` units (« colis de 6 kg », « carton de 12 bouteilles »), or by the unit.
    case_size = models.DecimalField(
        _("unités par colis"),
        max_digits=8,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    quantity_available = models.DecimalField(
        _("quantité disponible"), max_digits=10, decimal_places=3, validators=[MinValueValidator(0)]
    )
    minimum_quantity = models.DecimalField(
        _("minimum de commande"),
        max_digits=10,
        decimal_places=3,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    quantity_step = models.DecimalField(
        _("par multiples de"),
        max_digits=10,
        decimal_places=3,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    unit_price = models.DecimalField(
        _("prix unitaire HT (€)"),
        max_digits=10,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001"))],
    )
    vat_rate = models.CharField(_("taux de TVA"), max_length=4, choices=VatRate.choices)
    available_from = models.DateField(_("disponible à partir du"), null=True, blank=True)
    available_until = models.DateField(_("disponible jusqu'au"), null=True, blank=True)
    variable_weight = models.BooleanField(
        _("poids variable"), default=False, help_text=_("Vendu à la pièce, payé au poids pesé au retrait.")
    )
    estimated_weight = models.DecimalField(
        _("poids estimé d'une pièce (kg)"),
        max_digits=8,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    labels = models.JSONField(_("labels"), default=list, blank=True, validators=[validate_labels])
    # How many hands the product went through before this seller: 0 when the seller grew or made it.
    intermediaries = models.PositiveSmallIntegerField(_("intermédiaires avant le vendeur"), default=0)
    sku = models.CharField(_("référence"), max_length=60, blank=True)
    is_published = models.BooleanField(_("en vente"), default=True)
    # The producer's position, copied so that a search around a place reads one table through one index.
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)
    # Copies for the search around a place, written by lots.services (see `refresh_copies`): the weekdays
    # (0 = Monday) the producer hands over orders, the labels as « |ab|igp| », the stems of the words.
    pickup_weekdays = models.CharField(max_length=7, blank=True, default="", editable=False)
    label_codes = models.CharField(max_length=200, blank=True, default="", editable=False)
    search_text = models.TextField(blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["title", "pk"]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="lot_position"),
            models.Index(fields=["enterprise", "title"], name="lot_by_producer"),
            # What a search around a place reads first: the lots one can buy now, by position.
            models.Index(
                fields=["latitude", "longitude"],
                condition=models.Q(is_published=True, quantity_available__gt=0),
                name="lot_available_position",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity_available__gte=0), name="lot_quantity_not_negative"
            ),
            models.CheckConstraint(condition=models.Q(unit_price__gt=0), name="lot_has_a_price"),
            models.CheckConstraint(
                condition=models.Q(vat_rate__in=VatRate.values), name="lot_vat_rate_known"
            ),
            models.CheckConstraint(
                condition=models.Q(variable_weight=False)
                | models.Q(unit=Unit.PIECE, estimated_weight__isnull=False, case_size__isnull=True),
                name="lot_variable_weight_by_the_piece",
            ),
            models.UniqueConstraint(
                fields=["enterprise", "sku"], condition=~models.Q(sku=""), name="lot_sku_unique_per_producer"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_organic(self) -> bool:
        return "ab" in self.labels

    @property
    def is_short_chain(self) -> bool:
        """« Circuit court »: sold by its producer, so that a buyer reselling it is the one intermediary."""
        return self.intermediaries == 0

    @property
    def selling_unit_price(self) -> Decimal:
        """The price of one selling unit (a case, or one base unit), excluding VAT."""
        return self.unit_price * (self.case_size or 1)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.available_from and self.available_until and self.available_until < self.available_from:
            errors["available_until"] = gettext("La fin de disponibilité précède son début.")
        if self.variable_weight and self.unit != Unit.PIECE:
            errors["unit"] = gettext("Un lot à poids variable se vend à la pièce, payée au kilo.")
        if self.variable_weight and self.estimated_weight is None:
            errors["estimated_weight"] = gettext("Indiquez le poids estimé d'une pièce.")
        if self.variable_weight and self.case_size is not None:
            errors["case_size"] = gettext("Un lot à poids variable ne se vend pas au colis.")
        if errors:
            raise ValidationError(errors)


class LotPrice(TimeStampedModel):
    """A lot's unit price for one category of buyers (restaurants, grocers, canteens…)."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="prices")
    buyer_category = models.CharField(_("type d'acheteur"), max_length=16, choices=BuyerCategory.choices)
    unit_price = models.DecimalField(
        _("prix unitaire HT (€)"),
        max_digits=10,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001"))],
    )

    class Meta:
        verbose_name = _("prix par type d'acheteur")
        verbose_name_plural = _("prix par type d'acheteur")
        constraints = [
            models.UniqueConstraint(fields=["lot", "buyer_category"], name="lot_price_once_per_category"),
            models.CheckConstraint(condition=models.Q(unit_price__gt=0), name="lot_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.lot} — {self.get_buyer_category_display()}"


class LotPhoto(Photo):
    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="photos")

    class Meta(Photo.Meta):
        verbose_name = _("photo de lot")
        verbose_name_plural = _("photos de lot")
