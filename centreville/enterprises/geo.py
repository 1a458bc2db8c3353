"""Distances on the ground between two points, and the box around a point that a search reads first."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_OF_LATITUDE = 111.32


def distance_km(
    latitude: float | Decimal,
    longitude: float | Decimal,
    other_latitude: float | Decimal,
    other_longitude: float | Decimal,
) -> float:
    """The great-circle distance (haversine), good to a few metres at a town's scale."""
    lat1, lon1, lat2, lon2 = map(
        math.radians, map(float, (latitude, longitude, other_latitude, other_longitude))
    )
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class Box:
    """The rectangle of latitudes and longitudes that holds every point within a radius of a centre."""

    south: Decimal
    north: Decimal
    west: Decimal
    east: Decimal


def bounding_box(latitude: float | Decimal, longitude: float | Decimal, radius_km: float) -> Box:
    lat, lon = float(latitude), float(longitude)
    dlat = radius_km / KM_PER_DEGREE_OF_LATITUDE
    # Near the poles a degree of longitude shrinks to nothing: France is far from them, but stay finite.
    dlon = radius_km / (KM_PER_DEGREE_OF_LATITUDE * max(math.cos(math.radians(lat)), 0.01))

    def rounded(value: float) -> Decimal:
        return Decimal(f"{value:.6f}")

    return Box(rounded(lat - dlat), rounded(lat + dlat), rounded(lon - dlon), rounded(lon + dlon))
