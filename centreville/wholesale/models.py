"""Professional buyers' orders to producers, and the ways they are handed over.

A buyer's checkout across producers makes one `WholesaleOrder` per producer (they share a `group_reference`).
An order is collected at a producer's pickup place in one of its windows, at a drive point in one of its
slots (each slot has a capacity), or delivered on one of the producer's rounds.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from centreville.core.models import TimeStampedModel
from centreville.lots.models import Unit, VatRate
from centreville.shops.hours import WEEKDAY_NAMES


class DrivePoint(TimeStampedModel):
    """A place where several producers (and shops) hand over orders on set days and times, by slots."""

    name = models.CharField(_("nom"), max_length=120)
    town = models.ForeignKey(
        "towns.Town", on_delete=models.SET_NULL, null=True, blank=True, related_name="drive_points"
    )
    street_address = models.CharField(_("adresse"), max_length=200)
    postcode = models.CharField(_("code postal"), max_length=5)
    city = models.CharField(_("commune"), max_length=120)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    opening_hours = models.CharField(
        _("jours et heures"),
        max_length=255,
        help_text=_("Par exemple « Th 16:00-19:00 »."),
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("durée d'un créneau (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    capacity_per_slot = models.PositiveSmallIntegerField(
        _("commandes par créneau"), default=6, validators=[MinValueValidator(1)]
    )
    producers = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name=_("producteurs"), related_name="drive_points", blank=True
    )
    shops = models.ManyToManyField(
        "shops.Shop", verbose_name=_("commerces"), related_name="drive_points", blank=True
    )
    instructions = models.CharField(_("consignes"), max_length=300, blank=True)
    is_active = models.BooleanField(_("ouvert"), default=True)

    class Meta:
        verbose_name = _("point de retrait collectif (drive)")
        verbose_name_plural = _("points de retrait collectifs (drives)")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DeliveryRound(TimeStampedModel):
    """A producer's delivery round: the weekdays it runs, the order cut-off, the postcodes it serves."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="delivery_rounds"
    )
    name = models.CharField(_("nom"), max_length=120)
    # ISO weekdays, 1 = Monday.
    weekdays = models.JSONField(_("jours de tournée"), default=list)
    cutoff_days_before = models.PositiveSmallIntegerField(_("commande au plus tard (jours avant)"), default=1)
    cutoff_time = models.TimeField(_("avant (heure)"))
    postcodes = models.JSONField(_("codes postaux desservis"), default=list)
    minimum_order = models.DecimalField(
        _("minimum de commande HT (€)"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    delivery_window = models.CharField(_("heures de passage"), max_length=60, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("tournée de livraison")
        verbose_name_plural = _("tournées de livraison")
        ordering = ["enterprise", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.enterprise})"


class HandOver(models.TextChoices):
    FARM = "farm", _("Retrait chez le producteur")
    DRIVE = "drive", _("Retrait au drive")
    ROUND = "round", _("Livraison en tournée")


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("Passée")
    ACCEPTED = "accepted", _("Acceptée")
    REFUSED = "refused", _("Refusée")
    READY = "ready", _("Prête")
    COLLECTED = "collected", _("Remise")
    CANCELLED = "cancelled", _("Annulée")


class WholesaleOrder(TimeStampedModel):
    reference = models.CharField(_("référence"), max_length=20, unique=True)
    # The buyer's one checkout, shared by the orders it made (one per producer).
    group_reference = models.CharField(_("commande groupée"), max_length=20, db_index=True)
    buyer = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="purchases",
        verbose_name=_("acheteur"),
    )
    producer = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="sales", verbose_name=_("producteur")
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("état"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.PLACED
    )
    hand_over = models.CharField(_("remise"), max_length=8, choices=HandOver.choices)
    pickup_place = models.ForeignKey(
        "enterprises.PickupPlace", on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    drive_point = models.ForeignKey(
        DrivePoint, on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    delivery_round = models.ForeignKey(
        DeliveryRound, on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    # The start of the window, slot or round day the order is handed over in.
    hand_over_at = models.DateTimeField(_("remise prévue le"))
    delivery_address = models.CharField(_("adresse de livraison"), max_length=300, blank=True)
    delivery_postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    delivery_city = models.CharField(_("commune"), max_length=120, blank=True)
    buyer_note = models.CharField(_("note de l'acheteur"), max_length=500, blank=True)
    refusal_reason = models.CharField(_("motif du refus"), max_length=500, blank=True)
    standing_order = models.ForeignKey(
        "StandingOrder", on_delete=models.SET_NULL, null=True, blank=True, related_name="orders"
    )
    placed_at = models.DateTimeField(_("passée le"))
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    collected_at = models.DateTimeField(_("remise le"), null=True, blank=True)

    class Meta:
        verbose_name = _("commande professionnelle")
        verbose_name_plural = _("commandes professionnelles")
        ordering = ["-placed_at", "-pk"]
        indexes = [
            models.Index(fields=["producer", "status", "hand_over_at"], name="wholesale_order_producer"),
            models.Index(fields=["buyer", "-placed_at"], name="wholesale_order_buyer"),
            models.Index(fields=["drive_point", "hand_over_at"], name="wholesale_order_drive_slot"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=OrderStatus.values), name="wholesale_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(hand_over=HandOver.FARM, pickup_place__isnull=False)
                | models.Q(hand_over=HandOver.DRIVE, drive_point__isnull=False)
                | models.Q(hand_over=HandOver.ROUND, delivery_round__isnull=False),
                name="wholesale_hand_over_has_its_place",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def place_name(self) -> str:
        place = self.pickup_place or self.drive_point or self.delivery_round
        return place.name if place is not None else ""


class WholesaleLine(models.Model):
    """A line as ordered, with what the producer handed over: the price and rate are copied at order."""

    order = models.ForeignKey(WholesaleOrder, on_delete=models.CASCADE, related_name="lines")
    lot = models.ForeignKey("lots.Lot", on_delete=models.SET_NULL, null=True, related_name="order_lines")
    title = models.CharField(_("produit"), max_length=160)
    unit = models.CharField(_("unité"), max_length=8, choices=Unit.choices)
    case_size = models.DecimalField(max_digits=8, decimal_places=3, null=True, blank=True)
    quantity = models.DecimalField(_("quantité commandée"), max_digits=10, decimal_places=3)
    # Less when the producer is short; null until the producer says.
    delivered_quantity = models.DecimalField(
        _("quantité remise"), max_digits=10, decimal_places=3, null=True, blank=True
    )
    unit_price = models.DecimalField(_("prix unitaire HT (€)"), max_digits=10, decimal_places=4)
    vat_rate = models.CharField(_("taux de TVA"), max_length=4, choices=VatRate.choices)
    variable_weight = models.BooleanField(default=False)
    estimated_weight = models.DecimalField(max_digits=8, decimal_places=3, null=True, blank=True)
    # Total kilograms weighed at pickup, for a variable-weight line.
    final_weight = models.DecimalField(
        _("poids pesé (kg)"), max_digits=10, decimal_places=3, null=True, blank=True
    )
    labels = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("ligne de commande professionnelle")
        verbose_name_plural = _("lignes de commande professionnelle")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="wholesale_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(delivered_quantity__isnull=True)
                | models.Q(delivered_quantity__gte=0, delivered_quantity__lte=models.F("quantity")),
                name="wholesale_line_delivered_within_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.title}"

    @property
    def handed_quantity(self) -> Decimal:
        """What the buyer gets: the delivered quantity once said, else what was ordered."""
        return self.quantity if self.delivered_quantity is None else self.delivered_quantity

    @property
    def total(self) -> Decimal:
        """The line's price excluding VAT: by the kilogram weighed (or estimated) for a variable weight."""
        if self.variable_weight:
            weight = self.final_weight
            if weight is None:
                weight = self.handed_quantity * (self.estimated_weight or Decimal("0"))
            return (weight * self.unit_price).quantize(Decimal("0.01"))
        return (self.handed_quantity * (self.case_size or 1) * self.unit_price).quantize(Decimal("0.01"))


class StandingOrder(TimeStampedModel):
    """A buyer's order repeated every week on a day (restaurants, canteens), until paused or ended."""

    buyer = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="standing_orders"
    )
    producer = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="standing_sales"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # ISO weekday of the hand-over, 1 = Monday.
    weekday = models.PositiveSmallIntegerField(
        _("jour"), validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    hand_over = models.CharField(_("remise"), max_length=8, choices=HandOver.choices)
    pickup_place = models.ForeignKey(
        "enterprises.PickupPlace", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    drive_point = models.ForeignKey(
        DrivePoint, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    delivery_round = models.ForeignKey(
        DeliveryRound, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    starts_on = models.DateField(_("à partir du"))
    ends_on = models.DateField(_("jusqu'au"), null=True, blank=True)
    paused_from = models.DateField(_("en pause à partir du"), null=True, blank=True)
    paused_until = models.DateField(_("en pause jusqu'au"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("commande régulière")
        verbose_name_plural = _("commandes régulières")
        ordering = ["buyer", "weekday", "pk"]

    def __str__(self) -> str:
        return f"{self.buyer} → {self.producer}, {self.weekday}"

    @property
    def weekday_name(self) -> str:
        return str(WEEKDAY_NAMES[self.weekday - 1])


class StandingOrderLine(models.Model):
    standing_order = models.ForeignKey(StandingOrder, on_delete=models.CASCADE, related_name="lines")
    lot = models.ForeignKey("lots.Lot", on_delete=models.CASCADE, related_name="+")
    quantity = models.DecimalField(_("quantité"), max_digits=10, decimal_places=3)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="standing_line_quantity_positive"
            ),
            models.UniqueConstraint(fields=["standing_order", "lot"], name="standing_line_once_per_lot"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.lot}"


class StandingOrderRun(TimeStampedModel):
    """One week of a standing order: the order it made, or why it could not (never silent)."""

    standing_order = models.ForeignKey(StandingOrder, on_delete=models.CASCADE, related_name="runs")
    hand_over_on = models.DateField(_("remise le"))
    order = models.OneToOneField(
        WholesaleOrder, on_delete=models.SET_NULL, null=True, blank=True, related_name="standing_run"
    )
    failure = models.CharField(_("échec"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("semaine d'une commande régulière")
        verbose_name_plural = _("semaines des commandes régulières")
        ordering = ["-hand_over_on"]
        constraints = [
            models.UniqueConstraint(fields=["standing_order", "hand_over_on"], name="standing_run_once_a_day")
        ]


class WholesaleBasket(TimeStampedModel):
    """A buyer's basket of lots, one per buyer enterprise, shared by its members."""

    buyer = models.OneToOneField(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="wholesale_basket"
    )

    class Meta:
        verbose_name = _("panier professionnel")
        verbose_name_plural = _("paniers professionnels")

    def __str__(self) -> str:
        return str(self.buyer)


class WholesaleBasketLine(models.Model):
    basket = models.ForeignKey(WholesaleBasket, on_delete=models.CASCADE, related_name="lines")
    lot = models.ForeignKey("lots.Lot", on_delete=models.CASCADE, related_name="+")
    quantity = models.DecimalField(_("quantité"), max_digits=10, decimal_places=3)
    added_at = models.DateTimeField(_("ajouté le"))

    class Meta:
        verbose_name = _("ligne de panier professionnel")
        verbose_name_plural = _("lignes de panier professionnel")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="wholesale_basket_quantity_positive"
            ),
            models.UniqueConstraint(fields=["basket", "lot"], name="wholesale_basket_lot_once"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.lot}"
