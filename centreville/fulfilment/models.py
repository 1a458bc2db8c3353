"""How an order reaches its customer: in the shop, at a relay point, from a locker or delivered.

Each way is switched on by the town for all its shops, then by each shop for itself.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from centreville.core.audit import TownAudited
from centreville.core.models import TimeStampedModel
from centreville.shops.models import validate_opening_hours
from centreville.towns.models import TownOwnedModel
from centreville.towns.validators import validate_postcodes


class FulfilmentMethod(models.TextChoices):
    PICKUP = "pickup", _("Retrait en boutique")
    RELAY = "relay", _("Retrait en point relais")
    LOCKER = "locker", _("Retrait en consigne")
    DELIVERY = "delivery", _("Livraison à domicile")


# Ways where someone hands the order over and can take the money. Nobody is at a locker or on the doorstep
# to take it for the shop: those orders are paid online before they leave the shop.
PAID_ON_THE_SPOT = frozenset({FulfilmentMethod.PICKUP, FulfilmentMethod.RELAY})


class TownOrderSettings(TownAudited, TimeStampedModel):
    """The town's rules for its orders: how long one may wait to be accepted and to be collected, and whether
    it may be paid online. Set on the town's fulfilment page, with its ways."""

    # Every rule the town sets, each change recorded.
    audited_fields = ("accept_within_hours", "collect_within_days", "online_payment_enabled")

    town = models.OneToOneField("towns.Town", on_delete=models.CASCADE, related_name="order_settings")
    accept_within_hours = models.PositiveSmallIntegerField(
        _("délai pour accepter (heures)"), default=24, validators=[MinValueValidator(1)]
    )
    collect_within_days = models.PositiveSmallIntegerField(
        _("délai pour retirer (jours)"), default=7, validators=[MinValueValidator(1)]
    )
    online_payment_enabled = models.BooleanField(_("paiement en ligne proposé"), default=False)

    class Meta:
        verbose_name = _("règles des commandes")
        verbose_name_plural = _("règles des commandes")

    def __str__(self) -> str:
        return str(self.town)


class TownFulfilment(TownAudited, TimeStampedModel):
    """The town's choices: which ways are offered, the delivery fee rule and the town's subsidy."""

    # Every rule the town sets (the services change these), each change recorded.
    audited_fields = (
        "pickup_enabled",
        "relay_enabled",
        "locker_enabled",
        "delivery_enabled",
        "delivery_base_fee",
        "delivery_fee_per_km",
        "delivery_free_from",
        "subsidy_percent",
        "subsidy_cap",
    )

    town = models.OneToOneField("towns.Town", on_delete=models.CASCADE, related_name="fulfilment")
    pickup_enabled = models.BooleanField(_("retrait en boutique"), default=True)
    relay_enabled = models.BooleanField(_("retrait en point relais"), default=False)
    locker_enabled = models.BooleanField(_("retrait en consigne"), default=False)
    delivery_enabled = models.BooleanField(_("livraison à domicile"), default=False)
    # Fee rule: a base fee, plus so much per kilometre from the centre, free above an order amount.
    delivery_base_fee = models.DecimalField(
        _("frais de livraison de base (€)"), max_digits=6, decimal_places=2, default=Decimal("5.00")
    )
    delivery_fee_per_km = models.DecimalField(
        _("frais par kilomètre (€)"), max_digits=6, decimal_places=2, default=Decimal("0.00")
    )
    delivery_free_from = models.DecimalField(
        _("livraison offerte à partir de (€)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    # The town's share of the fee (Dinan pays it all): a percentage, capped per order.
    subsidy_percent = models.PositiveSmallIntegerField(
        _("part payée par la ville (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    subsidy_cap = models.DecimalField(
        _("plafond de l'aide par livraison (€)"), max_digits=6, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("retrait et livraison de la ville")
        verbose_name_plural = _("retrait et livraison des villes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(subsidy_percent__lte=100), name="town_fulfilment_subsidy_percent_max"
            )
        ]

    def __str__(self) -> str:
        return str(self.town)


class ShopFulfilment(TownAudited, TimeStampedModel):
    """The shop's choices among what its town offers, and how its pickup slots are cut."""

    # Every rule the shop sets (the services change these), each change recorded in its town's history.
    audited_fields = (
        "pickup_enabled",
        "relay_enabled",
        "locker_enabled",
        "delivery_enabled",
        "preparation_minutes",
        "slot_minutes",
        "slot_capacity",
        "delivery_hours",
        "delivery_window_minutes",
        "delivery_capacity",
    )
    audit_town = "shop.town_id"

    shop = models.OneToOneField("shops.Shop", on_delete=models.CASCADE, related_name="fulfilment")
    pickup_enabled = models.BooleanField(_("retrait en boutique"), default=True)
    relay_enabled = models.BooleanField(_("retrait en point relais"), default=False)
    locker_enabled = models.BooleanField(_("retrait en consigne"), default=False)
    delivery_enabled = models.BooleanField(_("livraison à domicile"), default=False)
    preparation_minutes = models.PositiveSmallIntegerField(
        _("temps de préparation (minutes)"), default=60, validators=[MaxValueValidator(7 * 24 * 60)]
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("durée d'un créneau (minutes)"),
        default=30,
        validators=[MinValueValidator(10), MaxValueValidator(240)],
    )
    slot_capacity = models.PositiveSmallIntegerField(
        _("commandes par créneau"), default=4, validators=[MinValueValidator(1)]
    )
    # Deliveries come in windows the customer chooses, cut like pickup slots from these hours.
    delivery_hours = models.CharField(
        _("heures de livraison (format OpenStreetMap)"),
        max_length=255,
        blank=True,
        validators=[validate_opening_hours],
        help_text=_("Vide : pendant les heures d'ouverture. Par exemple : Tu-Sa 10:00-12:00,17:00-19:00"),
    )
    delivery_window_minutes = models.PositiveSmallIntegerField(
        _("durée d'une plage de livraison (minutes)"),
        default=120,
        validators=[MinValueValidator(30), MaxValueValidator(8 * 60)],
    )
    delivery_capacity = models.PositiveSmallIntegerField(
        _("livraisons par plage"), default=3, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("retrait et livraison du commerce")
        verbose_name_plural = _("retrait et livraison des commerces")
        constraints = [
            models.CheckConstraint(condition=models.Q(slot_minutes__gte=10), name="shop_fulfilment_slot_min"),
            models.CheckConstraint(
                condition=models.Q(slot_capacity__gte=1), name="shop_fulfilment_capacity_min"
            ),
        ]

    def __str__(self) -> str:
        return str(self.shop)


class PickupPlace(TownOwnedModel):
    """A place outside the shops where customers collect orders: a relay point or a locker."""

    name = models.CharField(_("nom"), max_length=120)
    street_address = models.CharField(_("adresse"), max_length=200)
    opening_hours = models.CharField(
        _("horaires (format OpenStreetMap)"),
        max_length=255,
        help_text=_("Par exemple : Mo-Sa 07:00-19:30; Su 08:00-12:30"),
    )
    is_active = models.BooleanField(_("en service"), default=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RelayPoint(PickupPlace):
    """A shop the town trusts to hand over orders of others (e.g. the newsagent)."""

    class Meta(PickupPlace.Meta):
        verbose_name = _("point relais")
        verbose_name_plural = _("points relais")


class Locker(PickupPlace):
    """Lockers the customer opens with a code given when the order is ready."""

    compartments = models.PositiveSmallIntegerField(_("nombre de casiers"), default=12)

    class Meta(PickupPlace.Meta):
        verbose_name = _("consigne")
        verbose_name_plural = _("consignes")


class DeliveryZone(TownAudited, TownOwnedModel):
    """Where the town's shops deliver: a list of postcodes, or a distance from the town centre."""

    audited_fields = ("postcodes", "radius_km", "extra_fee", "is_active")

    name = models.CharField(_("nom"), max_length=120)
    postcodes = models.JSONField(
        _("codes postaux"), default=list, blank=True, validators=[validate_postcodes]
    )
    radius_km = models.DecimalField(
        _("rayon autour du centre (km)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    extra_fee = models.DecimalField(
        _("supplément pour cette zone (€)"), max_digits=6, decimal_places=2, default=Decimal("0.00")
    )
    is_active = models.BooleanField(_("en service"), default=True)

    class Meta:
        verbose_name = _("zone de livraison")
        verbose_name_plural = _("zones de livraison")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.postcodes and self.radius_km is None:
            raise ValidationError(_("Indiquez des codes postaux ou un rayon autour du centre."))
