"""Footfall counters of a town: counting sites, their channels, the counts they measured, and the daily and
monthly totals kept up to date by every import, so that pages and dashboards never read the raw counts.

The vocabulary follows the national schema « Comptage des mobilités » (schema.data.gouv.fr,
etalab/schema-comptage-mobilites 0.2.5): a site holds channels (one per direction or per mode), a channel has
measures (a count over a time step).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from centreville.core.models import TimeStampedModel
from centreville.towns.models import TownOwnedModel

# A channel's day is complete when no more than this many of its hours lack counts (a day has 23, 24 or 25
# hours in Europe/Paris). More missing hours and the day's total is flagged: it undercounts.
MAX_MISSING_HOURS = 4


class MobilityKind(models.TextChoices):
    PEDESTRIAN = "pedestrian", _("Piétons")
    BIKE = "bike", _("Vélos")
    CAR = "car", _("Véhicules motorisés")
    OTHER = "other", _("Autres")


class CountingSite(TownOwnedModel):
    """Where a counter stands: a street, a square, a bridge."""

    name = models.CharField(_("nom"), max_length=200)
    external_id = models.CharField(
        _("identifiant"),
        max_length=100,
        blank=True,
        help_text=_("Identifiant du site chez le fournisseur ou dans les données ouvertes (site_id)."),
    )
    kind = models.CharField(
        _("type de comptage"), max_length=12, choices=MobilityKind.choices, default=MobilityKind.PEDESTRIAN
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    address = models.CharField(_("adresse"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("site de comptage")
        verbose_name_plural = _("sites de comptage")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["town", "external_id"],
                condition=~models.Q(external_id=""),
                name="footfall_site_external_id",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CountingChannel(TimeStampedModel):
    """One series of counts of a site: a direction, or one mode of travel."""

    site = models.ForeignKey(CountingSite, on_delete=models.CASCADE, related_name="channels")
    name = models.CharField(_("nom"), max_length=200)
    external_id = models.CharField(
        _("identifiant"),
        max_length=100,
        blank=True,
        help_text=_("Identifiant du canal dans les fichiers importés (channel_id, ou titre de colonne)."),
    )
    direction = models.CharField(_("sens"), max_length=100, blank=True)
    kind = models.CharField(
        _("type de comptage"), max_length=12, choices=MobilityKind.choices, default=MobilityKind.PEDESTRIAN
    )
    time_step = models.PositiveIntegerField(
        _("pas de temps (secondes)"), null=True, blank=True, help_text=_("3600 pour des comptages horaires.")
    )
    ended_at = models.DateTimeField(
        _("fin du comptage"), null=True, blank=True, help_text=_("Le canal ne compte plus après cette date.")
    )

    class Meta:
        verbose_name = _("canal de comptage")
        verbose_name_plural = _("canaux de comptage")
        ordering = ["site", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "external_id"],
                condition=~models.Q(external_id=""),
                name="footfall_channel_external_id",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def time_step_label(self) -> str:
        """« 1 h », « 15 min », « 1 jour »; empty when unknown."""
        step = self.time_step
        if not step:
            return ""
        if step % 86_400 == 0:
            return ngettext("%(n)s jour", "%(n)s jours", step // 86_400) % {"n": step // 86_400}
        if step % 3600 == 0:
            return gettext("%(n)s h") % {"n": step // 3600}
        return gettext("%(n)s min") % {"n": step // 60}


class Measure(models.Model):
    """A count over one time step, as the counter measured it. Read by imports only: pages read the totals."""

    pk = models.CompositePrimaryKey("channel_id", "start")
    # No foreign-key constraint in the database: checking it for each of a million counts doubles the time of
    # an import, and counts are only written by the import, in the transaction that creates their channels.
    # Deleting a channel still deletes its counts (Django's cascade). The primary key indexes the channel.
    channel = models.ForeignKey(
        CountingChannel, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    start = models.DateTimeField(_("début"))
    duration = models.PositiveIntegerField(_("durée (secondes)"))
    count = models.PositiveIntegerField(_("passages"))

    class Meta:
        verbose_name = _("mesure")
        verbose_name_plural = _("mesures")

    def __str__(self) -> str:
        return f"{self.channel_id} {self.start:%Y-%m-%d %H:%M} = {self.count}"


class DailyCount(models.Model):
    """A channel's total of one local day, with how many of that day's hours were counted."""

    channel = models.ForeignKey(CountingChannel, on_delete=models.CASCADE, related_name="days")
    day = models.DateField(_("jour"))
    total = models.PositiveBigIntegerField(_("passages"))
    hours_with_data = models.PositiveSmallIntegerField(_("heures comptées"))
    # 23 on the day clocks go forward, 25 on the day they go back, 24 otherwise.
    hours_expected = models.PositiveSmallIntegerField(_("heures du jour"))
    is_complete = models.BooleanField(_("complet"))

    class Meta:
        verbose_name = _("total du jour")
        verbose_name_plural = _("totaux du jour")
        constraints = [models.UniqueConstraint(fields=["channel", "day"], name="footfall_daily_channel_day")]

    def __str__(self) -> str:
        return f"{self.channel_id} {self.day} = {self.total}"


class MonthlyCount(models.Model):
    """A channel's total of one month (`month` is its first day), summed from its days."""

    channel = models.ForeignKey(CountingChannel, on_delete=models.CASCADE, related_name="months")
    month = models.DateField(_("mois"))
    total = models.PositiveBigIntegerField(_("passages"))
    days_with_data = models.PositiveSmallIntegerField(_("jours comptés"))
    days_complete = models.PositiveSmallIntegerField(_("jours complets"))

    class Meta:
        verbose_name = _("total du mois")
        verbose_name_plural = _("totaux du mois")
        constraints = [
            models.UniqueConstraint(fields=["channel", "month"], name="footfall_monthly_channel_month")
        ]

    def __str__(self) -> str:
        return f"{self.channel_id} {self.month:%Y-%m} = {self.total}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    READING = "reading", _("Lecture des fichiers")
    WRITING = "writing", _("Enregistrement")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échec")


class CountImport(TownOwnedModel):
    """One import of counts (one or several files): its progress while it runs, then its report."""

    file_names = models.JSONField(_("fichiers"), default=list)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    site = models.ForeignKey(
        CountingSite,
        verbose_name=_("site des nouveaux canaux"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(
        _("type des nouveaux canaux"),
        max_length=12,
        choices=MobilityKind.choices,
        default=MobilityKind.PEDESTRIAN,
    )
    status = models.CharField(
        _("état"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(
        _("avancement (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    rows = models.PositiveIntegerField(_("valeurs lues"), default=0)
    imported = models.PositiveIntegerField(_("nouvelles"), default=0)
    updated = models.PositiveIntegerField(_("mises à jour"), default=0)
    unchanged = models.PositiveIntegerField(_("inchangées"), default=0)
    rejected = models.PositiveIntegerField(_("rejetées"), default=0)
    channels = models.PositiveIntegerField(_("canaux"), default=0)
    total = models.PositiveBigIntegerField(_("passages enregistrés"), default=0)
    first = models.DateTimeField(_("premier comptage"), null=True, blank=True)
    last = models.DateTimeField(_("dernier comptage"), null=True, blank=True)
    # What was rejected, line by line (see footfall.importing.ImportReport.as_json).
    report = models.JSONField(_("compte rendu"), default=dict, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("import de comptages")
        verbose_name_plural = _("imports de comptages")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ImportStatus.values), name="footfall_import_status_known"
            )
        ]

    def __str__(self) -> str:
        return f"{', '.join(self.file_names)} — {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)


class CountImportFile(models.Model):
    """A file sent from the import page, kept in the database until the worker has imported it."""

    run = models.ForeignKey(CountImport, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=255)
    content = models.BinaryField()

    class Meta:
        ordering = ["run", "position"]

    def __str__(self) -> str:
        return self.name
