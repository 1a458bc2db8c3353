"""Base models shared by every domain app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Photo(TimeStampedModel):
    """A photo as the platform keeps it: re-encoded renditions only, EXIF (GPS included) removed.

    `centreville.core.images.process_upload()` makes the renditions; the uploaded original is never stored.
    """

    small = models.ImageField(
        upload_to="photos/%Y/%m/", width_field="small_width", height_field="small_height"
    )
    medium = models.ImageField(upload_to="photos/%Y/%m/")
    large = models.ImageField(upload_to="photos/%Y/%m/", width_field="width", height_field="height")
    small_width = models.PositiveIntegerField(default=0)
    small_height = models.PositiveIntegerField(default=0)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(
        _("texte alternatif"),
        max_length=200,
        blank=True,
        help_text=_("Ce que montre la photo, pour qui ne la voit pas."),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]


class SchedulerRound(models.Model):
    """A round of the periodic tasks that a scheduler has enqueued: the start of its period, written once.

    The lock that keeps two schedulers from enqueuing the same period twice when there is no Redis
    (`core.periodic.claim_round`): the second insert of a period finds it taken.
    """

    period_start = models.DateTimeField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.period_start.isoformat()
