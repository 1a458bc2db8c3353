"""Base models shared by every domain app."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models

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
