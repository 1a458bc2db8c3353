"""Coaching programmes: an expert and a merchant on one concrete action, milestones, 15-minute
meetings, notes, end review.

A programme (« 8 semaines, 22 experts pour 15 commerçants ») lists its experts; each pairing is an
`CoachingAction`: one expert, one shop, one concrete action chosen from `ActionKind`. Its milestones
mark the way, its meetings are 15 minutes long and booked in the merchant's quiet hours
(`support/quiet_hours.py`), a short note is written after each one, and an end review closes it.
The rules (who may write what, when an action is stalled) are in `support/coaching.py`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from centreville.core.models import TimeStampedModel
from centreville.shops.hours import WEEKDAY_NAMES
from centreville.towns.models import TownOwnedModel

# Only the tables: the support package star-imports this module beside the other features'. Choices are
# imported from here by name.
__all__ = [
    "CoachingAction",
    "CoachingEndReview",
    "CoachingMeeting",
    "CoachingMilestone",
    "CoachingProgramme",
]

# Merchants only have micro-moments: every meeting lasts a quarter of an hour, no more.
MEETING_DURATION = timedelta(minutes=15)
NOTE_MAX_LENGTH = 500
NEXT_STEP_MAX_LENGTH = 200


class ProgrammeStatus(models.TextChoices):
    PREPARING = "preparing", _("En préparation")
    RUNNING = "running", _("En cours")
    CLOSED = "closed", _("Terminé")


class ActionKind(models.TextChoices):
    ONLINE_PAYMENT = "online_payment", _("Mettre en place le paiement en ligne")
    CATALOGUE = "catalogue", _("Construire le catalogue de produits")
    SOCIAL_PAGE = "social_page", _("Créer la page sur un réseau social")
    MAPS_LISTING = "maps_listing", _("Apparaître sur Google et les cartes")
    CLICK_COLLECT = "click_collect", _("Proposer le Click & Collect")
    REPUTATION = "reputation", _("Soigner l'e-réputation (avis clients)")
    OTHER = "other", _("Autre action")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminée")
    ABANDONED = "abandoned", _("Abandonnée")


OPEN_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.RUNNING)


class MeetingStatus(models.TextChoices):
    BOOKED = "booked", _("Réservé")
    HELD = "held", _("Tenu")
    MISSED = "missed", _("Manqué")
    CANCELLED = "cancelled", _("Annulé")


class ReviewOutcome(models.TextChoices):
    ACHIEVED = "achieved", _("Atteint")
    PARTLY = "partly", _("En partie atteint")
    NOT_ACHIEVED = "not", _("Non atteint")


class CoachingProgramme(TownOwnedModel):
    """A coaching programme of the town: a period (often 8 weeks) and the experts taking part."""

    name = models.CharField(_("nom"), max_length=120)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("statut"), max_length=16, choices=ProgrammeStatus.choices, default=ProgrammeStatus.RUNNING
    )
    experts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coaching_programmes", blank=True, verbose_name=_("experts")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("programme d'accompagnement")
        verbose_name_plural = _("programmes d'accompagnement")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="coaching_programme_dates"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ProgrammeStatus.values), name="coaching_programme_status"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CoachingAction(TownOwnedModel):
    """An expert paired with a shop on one concrete action, within a programme."""

    programme = models.ForeignKey(CoachingProgramme, on_delete=models.CASCADE, related_name="actions")
    # An expert who erases their account leaves the action's history without a name.
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="coaching_actions",
        verbose_name=_("expert"),
    )
    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="coaching_actions")
    kind = models.CharField(_("action"), max_length=20, choices=ActionKind.choices)
    title = models.CharField(
        _("intitulé"), max_length=120, blank=True, help_text=_("Obligatoire pour « Autre action ».")
    )
    goal = models.TextField(_("objectif"), max_length=600, blank=True)
    status = models.CharField(
        _("statut"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    started_on = models.DateField(_("commencée le"), null=True, blank=True)
    ended_on = models.DateField(_("terminée le"), null=True, blank=True)
    # The merchant's preferred moment for meetings (« le mardi de 14 h à 16 h »), all three or none.
    preferred_weekday = models.PositiveSmallIntegerField(
        _("jour préféré"),
        null=True,
        blank=True,
        choices=list(enumerate(WEEKDAY_NAMES)),
        validators=[MaxValueValidator(6)],
    )
    preferred_start = models.TimeField(_("à partir de"), null=True, blank=True)
    preferred_end = models.TimeField(_("jusqu'à"), null=True, blank=True)

    class Meta:
        verbose_name = _("action d'accompagnement")
        verbose_name_plural = _("actions d'accompagnement")
        ordering = ["programme", "shop__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ActionStatus.values), name="coaching_status"
            ),
            models.CheckConstraint(condition=models.Q(kind__in=ActionKind.values), name="coaching_kind"),
            models.UniqueConstraint(
                fields=["programme", "shop"],
                condition=models.Q(status__in=["planned", "running"]),
                name="coaching_one_open_action_per_shop",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        preferred_weekday__isnull=True,
                        preferred_start__isnull=True,
                        preferred_end__isnull=True,
                    )
                    | models.Q(
                        preferred_weekday__isnull=False,
                        preferred_start__isnull=False,
                        preferred_end__gt=models.F("preferred_start"),
                    )
                ),
                name="coaching_preference_whole",
            ),
        ]
        indexes = [models.Index(fields=["town", "shop"], name="coaching_action_town_shop")]

    def __str__(self) -> str:
        return f"{self.label} — {self.shop}"

    @property
    def label(self) -> str:
        """What the action is, in words: its title for « Autre action », else its kind."""
        if self.kind == ActionKind.OTHER and self.title:
            return self.title
        return str(ActionKind(self.kind).label)

    @property
    def expert_name(self) -> str:
        return str(self.expert) if self.expert_id else str(_("expert parti"))

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    @property
    def has_preference(self) -> bool:
        return self.preferred_weekday is not None


class CoachingMilestone(TimeStampedModel):
    """A step of an action, with the day it should be reached by and the day it was."""

    action = models.ForeignKey(CoachingAction, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("étape"), max_length=120)
    due_on = models.DateField(_("pour le"))
    done_on = models.DateField(_("faite le"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("étape")
        verbose_name_plural = _("étapes")
        ordering = ["action", "order", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class CoachingMeeting(TimeStampedModel):
    """A 15-minute meeting of an action, and the short note the expert writes after it."""

    action = models.ForeignKey(CoachingAction, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("début"))
    status = models.CharField(
        _("statut"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.BOOKED
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmé par le commerçant le"), null=True, blank=True)
    note = models.TextField(_("note après le rendez-vous"), max_length=NOTE_MAX_LENGTH, blank=True)
    next_step = models.CharField(_("prochaine étape"), max_length=NEXT_STEP_MAX_LENGTH, blank=True)
    note_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note_at = models.DateTimeField(_("note écrite le"), null=True, blank=True)

    class Meta:
        verbose_name = _("rendez-vous d'accompagnement")
        verbose_name_plural = _("rendez-vous d'accompagnement")
        ordering = ["action", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=MeetingStatus.values), name="coaching_meeting_status"
            ),
        ]
        indexes = [models.Index(fields=["starts_at", "status"], name="coaching_meeting_when")]

    def __str__(self) -> str:
        return f"{self.action} — {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + MEETING_DURATION


class CoachingEndReview(TimeStampedModel):
    """How the action ended: the expert's outcome and what changed, the merchant's rating and comment."""

    action = models.OneToOneField(CoachingAction, on_delete=models.CASCADE, related_name="end_review")
    outcome = models.CharField(_("résultat"), max_length=16, choices=ReviewOutcome.choices, blank=True)
    what_changed = models.TextField(_("ce qui a changé"), max_length=1000, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    merchant_rating = models.PositiveSmallIntegerField(
        _("note du commerçant"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    merchant_comment = models.TextField(_("commentaire du commerçant"), max_length=1000, blank=True)
    merchant_answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bilan de fin d'accompagnement")
        verbose_name_plural = _("bilans de fin d'accompagnement")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(merchant_rating__isnull=True)
                | models.Q(merchant_rating__gte=1, merchant_rating__lte=5),
                name="coaching_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action}"
