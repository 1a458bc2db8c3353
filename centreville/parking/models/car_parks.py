"""A town's car parks, as the national schema « stationnement » (etalab, v0.1.5) describes them, with their
opening hours and what links them to a live feed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from centreville.towns.models import TownOwnedModel

from ..hours import validate_opening_hours
from ..states import State

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

__all__ = ["CarPark", "DisabledFare", "StructureType", "UserType"]

NATIONAL_ID = RegexValidator(
    r"^([013-9]\d|2[AB1-9])\d{3}-P-\d{3}$",
    _("L'identifiant national s'écrit INSEE-P-xxx, par exemple 61006-P-001."),
)
SIRET = RegexValidator(r"^\d{14}$", _("Un SIRET a 14 chiffres."))


class UserType(models.TextChoices):
    ALL = "tous", _("tous les usagers")
    SUBSCRIBERS = "abonnés", _("abonnés seulement")


class DisabledFare(models.TextChoices):
    FREE = "gratuit", _("gratuit")
    NORMAL = "normal_payant", _("payant au tarif normal")
    SPECIAL = "tarif_special", _("tarif spécial")


class StructureType(models.TextChoices):
    SURFACE = "enclos_en_surface", _("parking en surface")
    BUILDING = "ouvrage", _("parking en ouvrage")


def _count(label: StrOrPromise) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, null=True, blank=True)


def _price(label: StrOrPromise) -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=7, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )


class CarPark(TownOwnedModel):
    """One car park. `ref` is its national identifier; `feed_ref` the identifier a live feed gives it (an
    NGSI entity id, an Opendatasoft record's id, a DATEX II parking record), when not the national one.

    The `live_*` fields repeat its latest accepted reading (kept in `Reading`), so that pages read one row
    per car park."""

    ref = models.CharField(_("identifiant national"), max_length=11, unique=True, validators=[NATIONAL_ID])
    name = models.CharField(_("nom"), max_length=200)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    url = models.URLField(_("page web"), blank=True)
    user_type = models.CharField(_("usagers admis"), max_length=10, choices=UserType.choices, blank=True)
    is_free = models.BooleanField(_("gratuit"), default=False)
    capacity = models.PositiveIntegerField(_("places pour voitures"))
    park_and_ride_spaces = _count(_("places au tarif P+R"))
    disabled_spaces = _count(_("places PMR"))
    ev_spaces = _count(_("places pour voitures électriques"))
    bike_spaces = _count(_("places pour vélos"))
    electric_two_wheeler_spaces = _count(_("places pour deux-roues électriques"))
    car_sharing_spaces = _count(_("places d'autopartage"))
    motorbike_spaces = _count(_("places pour motos et scooters"))
    carpool_spaces = _count(_("places de covoiturage"))
    max_height_cm = models.PositiveIntegerField(_("hauteur maximale (cm)"), null=True, blank=True)
    operator_siret = models.CharField(
        _("SIRET du gestionnaire"), max_length=14, blank=True, validators=[SIRET]
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    disabled_fare = models.CharField(_("tarif PMR"), max_length=13, choices=DisabledFare.choices, blank=True)
    price_1h = _price(_("tarif 1 h"))
    price_2h = _price(_("tarif 2 h"))
    price_3h = _price(_("tarif 3 h"))
    price_4h = _price(_("tarif 4 h"))
    price_24h = _price(_("tarif 24 h"))
    subscription_resident = _price(_("abonnement mensuel résident"))
    subscription_non_resident = _price(_("abonnement mensuel non-résident"))
    structure_type = models.CharField(
        _("type d'ouvrage"), max_length=17, choices=StructureType.choices, blank=True
    )
    info = models.TextField(_("informations"), blank=True)
    opening_hours = models.CharField(
        _("horaires d'ouverture"),
        max_length=500,
        blank=True,
        validators=[validate_opening_hours],
        help_text=_("Syntaxe OpenStreetMap, par exemple « Mo-Sa 07:00-21:00 » ou « 24/7 »."),
    )
    feed_ref = models.CharField(_("identifiant dans le flux"), max_length=200, blank=True)

    live_free = models.PositiveIntegerField(null=True, blank=True, editable=False)
    live_capacity = models.PositiveIntegerField(null=True, blank=True, editable=False)
    live_state = models.CharField(max_length=12, choices=State.choices, default=State.NO_DATA, editable=False)
    live_observed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("parking")
        verbose_name_plural = _("parkings")
        indexes = [models.Index(fields=["town", "feed_ref"], name="parking_carpark_feed_ref")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(live_free__isnull=True)
                | models.Q(live_capacity__isnull=True)
                | models.Q(live_free__lte=models.F("live_capacity")),
                name="parking_carpark_live_free_within_capacity",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.ref})"
