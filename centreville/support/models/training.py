"""Training sessions: topic, trainer, place or video link, capacity; registrations, waiting list,
attendance, follow-up tasks.

A session never has more confirmed registrations than seats: `support/training.py` registers and cancels
under a lock on the session's row (the database cannot count). Waiting registrations move up in the order
of their `rank`, given under the same lock.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from centreville.towns.models import TownOwnedModel

__all__ = [
    "FollowUpTask",
    "Registration",
    "RegistrationStatus",
    "SessionStatus",
    "TrainingSession",
]


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Prévue")
    CANCELLED = "cancelled", _("Annulée")


class TrainingSession(TownOwnedModel):
    """A training session the town offers its merchants, in a room or by video."""

    title = models.CharField(
        _("thème"), max_length=150, help_text=_("Par exemple « Être trouvé sur Google Maps ».")
    )
    description = models.TextField(_("description"), blank=True)
    trainer = models.CharField(_("formateur ou formatrice"), max_length=150, blank=True)
    place = models.CharField(
        _("lieu"), max_length=300, blank=True, help_text=_("Adresse de la salle, si elle a lieu sur place.")
    )
    video_url = models.URLField(
        _("lien de la visioconférence"), max_length=500, blank=True, help_text=_("Si elle a lieu à distance.")
    )
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    capacity = models.PositiveIntegerField(_("nombre de places"), validators=[MinValueValidator(1)])
    status = models.CharField(
        _("statut"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    # Suggested follow-up tasks, one a line: they prefill the form of tasks given to each attendee.
    suggested_tasks = models.TextField(
        _("tâches de suivi suggérées"),
        blank=True,
        help_text=_("Une par ligne ; elles préremplissent les tâches proposées à chaque participant."),
    )
    # The iCalendar SEQUENCE: raised at each change calendars must take in (time, place, cancellation).
    sequence = models.PositiveIntegerField(_("version"), default=0)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("session de formation")
        verbose_name_plural = _("sessions de formation")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=SessionStatus.values), name="training_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="training_ends_after_start"
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="training_capacity_positive"),
            models.CheckConstraint(
                condition=~models.Q(place="") | ~models.Q(video_url=""), name="training_place_or_video"
            ),
        ]
        indexes = [
            models.Index(fields=["town", "starts_at"], name="training_town_starts"),
            # The reminders' round: scheduled sessions starting within the next day, every few minutes.
            models.Index(fields=["status", "starts_at"], name="training_status_starts"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d %H:%M})"

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Inscrit")
    WAITING = "waiting", _("En liste d'attente")
    CANCELLED = "cancelled", _("Désinscrit")


class Registration(TownOwnedModel):
    """Someone's seat at a session (or their place in its waiting list), for one of the shops they run."""

    session = models.ForeignKey(
        TrainingSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="training_registrations",
    )
    shop = models.ForeignKey(
        "shops.Shop",
        verbose_name=_("commerce"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_registrations",
    )
    status = models.CharField(_("statut"), max_length=10, choices=RegistrationStatus.choices)
    # The order of arrival in the session (1, 2, 3…), given under the session's lock: the waiting list moves
    # up in this order.
    rank = models.PositiveIntegerField(_("ordre d'arrivée"))
    confirmed_at = models.DateTimeField(_("inscrit le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("désinscrit le"), null=True, blank=True)
    # None: not recorded yet.
    attended = models.BooleanField(_("présent"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("inscription à une formation")
        verbose_name_plural = _("inscriptions aux formations")
        ordering = ["session", "rank"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=RegistrationStatus.values), name="registration_status_known"
            ),
            models.UniqueConstraint(fields=["session", "rank"], name="registration_rank_unique"),
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=~models.Q(status="cancelled"),
                name="registration_once_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status", "rank"], name="registration_session_status"),
            models.Index(fields=["town", "shop"], name="registration_town_shop"),
            models.Index(fields=["user", "status"], name="registration_user_status"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.user_id}: {self.status}"


class FollowUpTask(TownOwnedModel):
    """Something an attendee is to do after a session, given by the adviser and ticked by the merchant."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("inscription"), on_delete=models.CASCADE, related_name="tasks"
    )
    session = models.ForeignKey(
        TrainingSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="tasks"
    )
    # The registration's shop, kept here for the follow-up of each shop.
    shop = models.ForeignKey(
        "shops.Shop",
        verbose_name=_("commerce"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_tasks",
    )
    title = models.CharField(_("tâche"), max_length=200)
    due_on = models.DateField(_("à faire pour le"), null=True, blank=True)
    done_at = models.DateTimeField(_("faite le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("donnée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("tâche de suivi")
        verbose_name_plural = _("tâches de suivi")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["town", "shop", "done_at"], name="followup_town_shop")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
