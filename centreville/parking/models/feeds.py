"""A town's live availability feeds: where to read them, in which format, and how their last polls went."""

from __future__ import annotations

from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from centreville.towns.models import TownOwnedModel

__all__ = ["Feed", "FeedFormat"]


class FeedFormat(models.TextChoices):
    NGSI_V2 = "ngsi-v2", _("FIWARE NGSI-v2 (OffStreetParking)")
    OPENDATASOFT = "opendatasoft", _("Opendatasoft (enregistrements de jeu de données)")
    DATEX2 = "datex2", _("DATEX II (ParkingStatusPublication)")


class Feed(TownOwnedModel):
    """One feed of free spaces, polled by `parking.tasks.poll_parking_feeds`.

    `mapping` names the fields of an Opendatasoft dataset (keys `id`, `free`, `total`, `status`, `time`);
    a failing feed is tried again later and later (`next_attempt_at`), its last error kept in French."""

    name = models.CharField(_("nom"), max_length=120)
    url = models.CharField(
        _("adresse du flux"), max_length=1000, validators=[URLValidator(schemes=["http", "https"])]
    )
    format = models.CharField(_("format"), max_length=16, choices=FeedFormat.choices)
    mapping = models.JSONField(_("correspondance des champs"), default=dict, blank=True)
    enabled = models.BooleanField(_("activé"), default=True)
    last_success_at = models.DateTimeField(_("dernier succès"), null=True, blank=True, editable=False)
    last_failure_at = models.DateTimeField(_("dernier échec"), null=True, blank=True, editable=False)
    consecutive_failures = models.PositiveIntegerField(_("échecs consécutifs"), default=0, editable=False)
    last_error = models.TextField(_("dernière erreur"), blank=True, editable=False)
    last_summary = models.JSONField(default=dict, blank=True, editable=False)
    next_attempt_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("flux de places libres")
        verbose_name_plural = _("flux de places libres")

    def __str__(self) -> str:
        return self.name
