"""Base models shared by every domain app."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from centreville.towns.models import Town
    from centreville.towns.spaces import Space

_M = TypeVar("_M", bound=models.Model)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class TownScopedQuerySet(models.QuerySet[_M]):
    """The one place where a town's data is cut out of the whole platform's."""

    def for_town(self, town: Town) -> TownScopedQuerySet[_M]:
        return self.filter(town=town)

    def in_space(self, space: Space) -> TownScopedQuerySet[_M]:
        if len(space.town_ids) == 1:
            return self.filter(town_id=space.town_ids[0])
        return self.filter(town_id__in=space.town_ids)


class TownOwnedModel(TimeStampedModel):
    """Data that belongs to one town: always reached through `objects.for_town()` or `in_space()`."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="%(class)ss")

    objects: Any = TownScopedQuerySet.as_manager()

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
