"""The record of each import of events into a town's agenda: who sent what, its state while the worker runs
it, then what became of the events (counts, and why some were left out)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from centreville.towns.models import TownOwnedModel

__all__ = ["EventImport", "ImportSourceKind", "ImportState"]


class ImportState(models.TextChoices):
    QUEUED = "queued", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échoué")


class ImportSourceKind(models.TextChoices):
    FILE = "file", _("Fichier envoyé")
    ADDRESS = "address", _("Adresse en ligne")


class EventImport(TownOwnedModel):
    """One import of a calendar file or address into the town's agenda (`import_runs.py`).

    Queued by the town team's page (the file kept in `content` until the worker has read it) or run at once
    by `manage.py import_events`; its outcome is written in the transaction that writes the events."""

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lancé par"),
    )
    source_kind = models.CharField(_("source"), max_length=10, choices=ImportSourceKind.choices)
    # The file's name, or the address it is downloaded from.
    source_name = models.CharField(_("fichier ou adresse"), max_length=500)
    requested_format = models.CharField(_("format demandé"), max_length=12)
    format = models.CharField(_("format reconnu"), max_length=12, blank=True)
    default_kind = models.CharField(_("type des événements sans catégorie connue"), max_length=20)
    content = models.BinaryField(_("fichier envoyé"), null=True, blank=True, editable=False)
    state = models.CharField(
        _("état"), max_length=10, choices=ImportState.choices, default=ImportState.QUEUED
    )
    # On the clock of who queued and ran it (`created_at` is the database's).
    queued_at = models.DateTimeField(_("lancé le"))
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    created = models.PositiveIntegerField(_("créés"), default=0)
    updated = models.PositiveIntegerField(_("mis à jour"), default=0)
    unchanged = models.PositiveIntegerField(_("inchangés"), default=0)
    skipped = models.PositiveIntegerField(_("laissés de côté"), default=0)
    # The items left out or kept only in part, with why ([{"title", "uid", "outcome", "reason"}]), the first
    # ones only (`import_runs.REMARKS_KEPT`); `remarks_count` says how many there were.
    remarks = models.JSONField(_("remarques"), default=list, blank=True)
    remarks_count = models.PositiveIntegerField(default=0)
    error = models.TextField(_("erreur"), blank=True)

    class Meta:
        verbose_name = _("import d'événements")
        verbose_name_plural = _("imports d'événements")
        ordering = ["-queued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=ImportState.values), name="agenda_import_state_known"
            ),
            models.CheckConstraint(
                condition=models.Q(source_kind__in=ImportSourceKind.values), name="agenda_import_source_known"
            ),
        ]
        indexes = [
            models.Index(fields=["town", "-queued_at"], name="agenda_import_town_recent"),
            models.Index(fields=["queued_at"], name="agenda_import_queued"),
        ]

    def __str__(self) -> str:
        return f"{self.source_name} — {self.queued_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.state in (ImportState.DONE, ImportState.FAILED)

    @property
    def last_heard_at(self) -> datetime:
        """When the run last moved: started by the worker, else queued."""
        return self.started_at or self.queued_at
