"""Whether a point lies in the town-centre perimeter (`Town.centre_outline`, a GeoJSON Polygon or
MultiPolygon in longitude/latitude, as `towns.validators.validate_outline` accepts it).

The even-odd ray-casting test: at the scale of a town centre the earth is flat enough, and a point on the
edge counts as whichever side the arithmetic puts it (a unit is never exactly on the line the town drew).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

Ring = Sequence[Sequence[float]]


def _in_ring(x: float, y: float, ring: Ring) -> bool:
    inside = False
    count = len(ring)
    j = count - 1
    for i in range(count):
        xi, yi = float(ring[i][0]), float(ring[i][1])
        xj, yj = float(ring[j][0]), float(ring[j][1])
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _in_polygon(x: float, y: float, rings: Sequence[Ring]) -> bool:
    """In the outer ring and in none of its holes."""
    if not rings or not _in_ring(x, y, rings[0]):
        return False
    return not any(_in_ring(x, y, hole) for hole in rings[1:])


def in_outline(
    latitude: Decimal | float | None, longitude: Decimal | float | None, outline: dict[str, Any] | None
) -> bool | None:
    """True or False when both the point and the outline are known, else None (nothing to compute from)."""
    if latitude is None or longitude is None or not outline:
        return None
    x, y = float(longitude), float(latitude)
    kind, coordinates = outline.get("type"), outline.get("coordinates") or []
    if kind == "Polygon":
        return _in_polygon(x, y, coordinates)
    if kind == "MultiPolygon":
        return any(_in_polygon(x, y, polygon) for polygon in coordinates)
    return None
