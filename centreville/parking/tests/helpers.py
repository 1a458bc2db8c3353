"""Readings written straight into the history, for tests of what is read from it."""

from __future__ import annotations

from datetime import datetime

from centreville.parking.models import CarPark, Reading, Resolution
from centreville.parking.states import State, state_of


def add_reading(
    car_park: CarPark, at: datetime, free: int, *, state: State | None = None, capacity: int | None = None
) -> Reading:
    capacity = capacity if capacity is not None else car_park.capacity
    reading: Reading = Reading.objects.create(
        town_id=car_park.town_id,
        car_park=car_park,
        observed_at=at,
        free=free,
        capacity=capacity,
        state=state or state_of(None, free, capacity),
        resolution=Resolution.RAW,
    )
    return reading


def set_live(car_park: CarPark, at: datetime, free: int, state: State | None = None) -> None:
    car_park.live_free, car_park.live_capacity = free, car_park.capacity
    car_park.live_state = state or state_of(None, free, car_park.capacity)
    car_park.live_observed_at = at
    car_park.save()
