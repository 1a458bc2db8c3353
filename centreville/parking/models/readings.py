"""What the feeds said of each car park: every accepted reading, then, after a month, one row per hour."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..states import State

__all__ = ["Reading", "Resolution"]


class Resolution(models.TextChoices):
    RAW = "raw", _("relevé")
    HOUR = "hour", _("moyenne horaire")


class Reading(models.Model):
    """Free spaces of a car park at a moment. A raw reading has `samples` 1; an hourly row (made by
    `history.downsample`) starts at its hour, has the mean free spaces in `free`, the lowest in `free_min`,
    and the number of readings it stands for in `samples`. One row per car park and moment: a reading
    repeated by a feed is refused."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+")
    car_park = models.ForeignKey("parking.CarPark", on_delete=models.CASCADE, related_name="readings")
    observed_at = models.DateTimeField()
    free = models.PositiveIntegerField()
    free_min = models.PositiveIntegerField(null=True, blank=True)
    capacity = models.PositiveIntegerField()
    state = models.CharField(max_length=12, choices=State.choices)
    resolution = models.CharField(max_length=4, choices=Resolution.choices, default=Resolution.RAW)
    samples = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["car_park", "observed_at"]
        constraints = [
            models.UniqueConstraint(fields=["car_park", "observed_at"], name="parking_reading_once"),
            models.CheckConstraint(
                condition=models.Q(free__lte=models.F("capacity")),
                name="parking_reading_free_within_capacity",
            ),
        ]
        indexes = [
            models.Index(fields=["town", "observed_at"], name="parking_reading_town_time"),
            models.Index(fields=["resolution", "observed_at"], name="parking_reading_resolution"),
        ]

    def __str__(self) -> str:
        return f"{self.car_park_id} {self.observed_at:%Y-%m-%d %H:%M} {self.free}/{self.capacity}"
