"""Commercial units (cellules commerciales) of a town, their occupancy history, and the business projects
(porteurs de projet) the town team welcomes and proposes units to.

A unit's history is a run of periods with no overlap and no hole: each period starts the day after the one
before it ends, and only the latest is open (no end date). `services.py` keeps it so (the database cannot
say "no hole"); `vacancy.py` reads it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from centreville.towns.models import TownOwnedModel

from .streets import street_key, tidy_street


class Floor(models.TextChoices):
    BASEMENT = "basement", _("Sous-sol")
    GROUND = "ground", _("Rez-de-chaussée")
    GROUND_AND_UPPER = "ground_upper", _("Rez-de-chaussée et étage")
    UPPER = "upper", _("Étage")


class UnitState(models.TextChoices):
    OCCUPIED = "occupied", _("Occupé")
    VACANT = "vacant", _("Vacant")
    WORKS = "works", _("En travaux")
    RESERVED = "reserved", _("Réservé")


class CentreChoice(models.TextChoices):
    """How a unit's place in the town-centre perimeter is decided."""

    AUTO = "auto", _("Selon ses coordonnées et le périmètre de la ville")
    INSIDE = "inside", _("Dans le périmètre")
    OUTSIDE = "outside", _("Hors du périmètre")


class CommercialUnit(TownOwnedModel):
    """A commercial unit: an address, what it is like, who owns it (private to the town team)."""

    reference = models.CharField(
        _("référence"),
        max_length=30,
        help_text=_("Unique dans la ville, par exemple « REP-27 » ou le numéro de lot."),
    )
    street_number = models.CharField(_("numéro"), max_length=10, blank=True)
    street = models.CharField(_("rue"), max_length=150)
    # The street's grouping key (streets.street_key), kept in step with `street` on every save.
    street_key = models.CharField(_("clé de la rue"), max_length=150, editable=False, db_index=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
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
    surface = models.DecimalField(
        _("surface (m²)"),
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text=_("Surface de vente ou utile. Laissez vide si elle n'est pas connue."),
    )
    floor = models.CharField(_("niveau"), max_length=16, choices=Floor.choices, default=Floor.GROUND)
    frontage = models.DecimalField(
        _("linéaire de vitrine (m)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    centre_choice = models.CharField(
        _("périmètre du centre-ville"), max_length=8, choices=CentreChoice.choices, default=CentreChoice.AUTO
    )
    # Whether the unit counts in the town centre's figures: decided by hand, or computed from the
    # coordinates and the town's outline when both exist (services.unit_in_centre).
    in_centre = models.BooleanField(_("dans le centre-ville"), default=False)
    # Private: only the town team sees these; elected officials and every export never do.
    owner_name = models.CharField(_("propriétaire"), max_length=150, blank=True)
    owner_email = models.EmailField(_("e-mail du propriétaire"), blank=True)
    owner_phone = PhoneNumberField(_("téléphone du propriétaire"), region="FR", blank=True)
    notes = models.TextField(_("notes de l'équipe"), blank=True)

    class Meta:
        verbose_name = _("local commercial")
        verbose_name_plural = _("locaux commerciaux")
        ordering = ["street_key", "street_number", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["town", "reference"], name="unit_reference_unique_in_town"),
            models.CheckConstraint(
                condition=models.Q(surface__isnull=True) | models.Q(surface__gt=0),
                name="unit_surface_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(frontage__isnull=True) | models.Q(frontage__gte=0),
                name="unit_frontage_not_negative",
            ),
            models.CheckConstraint(condition=models.Q(floor__in=Floor.values), name="unit_floor_known"),
        ]
        indexes = [models.Index(fields=["town", "street_key"], name="unit_town_street")]

    def __str__(self) -> str:
        return f"{self.reference} — {self.address}"

    @property
    def address(self) -> str:
        return f"{self.street_number} {self.street}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.street = tidy_street(self.street)
        self.street_key = street_key(self.street)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "street" in update_fields:
            kwargs["update_fields"] = {*update_fields, "street_key"}
        super().save(*args, **kwargs)


class Occupancy(TownOwnedModel):
    """One period of a unit's history: its state from `start` to `end` (both included; no end: still so)."""

    unit = models.ForeignKey(
        CommercialUnit, verbose_name=_("local"), on_delete=models.CASCADE, related_name="periods"
    )
    state = models.CharField(_("état"), max_length=10, choices=UnitState.choices)
    shop = models.ForeignKey(
        "shops.Shop",
        verbose_name=_("commerce de la plateforme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="occupancies",
    )
    # Who occupies it: the shop's name when it is on the platform (kept if the shop is removed), else the
    # name the team typed.
    occupant_name = models.CharField(_("occupant"), max_length=150, blank=True)
    start = models.DateField(_("depuis le"))
    end = models.DateField(_("jusqu'au"), null=True, blank=True)
    note = models.CharField(_("remarque"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisi par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("période d'occupation")
        verbose_name_plural = _("périodes d'occupation")
        ordering = ["unit", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=UnitState.values), name="occupancy_state_known"
            ),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="occupancy_ends_after_start",
            ),
            # An occupied unit says by whom; any other state has no occupant.
            models.CheckConstraint(
                condition=(
                    models.Q(state=UnitState.OCCUPIED)
                    & (models.Q(shop__isnull=False) | ~models.Q(occupant_name=""))
                )
                | (~models.Q(state=UnitState.OCCUPIED) & models.Q(shop__isnull=True, occupant_name="")),
                name="occupancy_occupant_when_occupied",
            ),
            models.UniqueConstraint(fields=["unit", "start"], name="occupancy_one_start_per_day"),
            models.UniqueConstraint(
                fields=["unit"], condition=models.Q(end__isnull=True), name="occupancy_one_open_period"
            ),
        ]
        indexes = [
            models.Index(fields=["town", "start"], name="occupancy_town_start"),
            models.Index(fields=["town", "end"], name="occupancy_town_end"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.state} {self.start}–{self.end or ''}"

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class ProjectStatus(models.TextChoices):
    NEW = "new", _("Nouveau")
    STUDY = "study", _("En étude")
    PROPOSED = "proposed", _("Local proposé")
    INSTALLED = "installed", _("Installé")
    ABANDONED = "abandoned", _("Abandonné")


OPEN_PROJECT_STATUSES = (ProjectStatus.NEW, ProjectStatus.STUDY, ProjectStatus.PROPOSED)


class BusinessProject(TownOwnedModel):
    """Someone who wants to open a business in the town: what, how big, where, and how far it has got."""

    title = models.CharField(
        _("projet"), max_length=150, help_text=_("En quelques mots, par exemple « Épicerie en vrac ».")
    )
    category = models.ForeignKey(
        "shops.TradeCategory",
        verbose_name=_("métier"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("description"), blank=True)
    # Private to the town team.
    contact_name = models.CharField(_("porteur ou porteuse du projet"), max_length=150)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = PhoneNumberField(_("téléphone"), region="FR", blank=True)
    surface_min = models.DecimalField(
        _("surface minimale (m²)"),
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    surface_max = models.DecimalField(
        _("surface maximale (m²)"),
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    # Names of the streets wanted, as the units spell them; empty: no preference. Matched by street key.
    wanted_streets = models.JSONField(_("rues souhaitées"), default=list, blank=True)
    budget = models.DecimalField(
        _("budget (€)"),
        max_digits=10,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Loyer ou investissement envisagé, s'il a été donné."),
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.NEW
    )
    notes = models.TextField(_("notes de l'équipe"), blank=True)

    class Meta:
        verbose_name = _("porteur de projet")
        verbose_name_plural = _("porteurs de projet")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ProjectStatus.values), name="project_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(surface_min__isnull=True)
                | models.Q(surface_max__isnull=True)
                | models.Q(surface_max__gte=models.F("surface_min")),
                name="project_surface_range",
            ),
        ]
        indexes = [models.Index(fields=["town", "status"], name="project_town_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_PROJECT_STATUSES


class ProposalOutcome(models.TextChoices):
    PENDING = "pending", _("En attente de réponse")
    VISITED = "visited", _("Visité")
    ACCEPTED = "accepted", _("Retenu")
    DECLINED = "declined", _("Écarté")


class Proposal(TownOwnedModel):
    """A unit the town team proposed to a project, when, and what came of it."""

    project = models.ForeignKey(
        BusinessProject, verbose_name=_("projet"), on_delete=models.CASCADE, related_name="proposals"
    )
    unit = models.ForeignKey(
        CommercialUnit, verbose_name=_("local"), on_delete=models.CASCADE, related_name="proposals"
    )
    proposed_on = models.DateField(_("proposé le"))
    outcome = models.CharField(
        _("suite donnée"), max_length=10, choices=ProposalOutcome.choices, default=ProposalOutcome.PENDING
    )
    outcome_on = models.DateField(_("réponse le"), null=True, blank=True)
    note = models.CharField(_("remarque"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("proposition de local")
        verbose_name_plural = _("propositions de locaux")
        ordering = ["-proposed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "unit"], name="proposal_once_per_project_unit"),
            models.CheckConstraint(
                condition=models.Q(outcome__in=ProposalOutcome.values), name="proposal_outcome_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} → {self.unit_id}"
