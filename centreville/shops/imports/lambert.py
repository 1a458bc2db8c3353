"""Lambert-93 (EPSG:2154, the projection of SIRENE's coordinates) to longitude/latitude.

The inverse Lambert conformal conic projection on the GRS 80 ellipsoid, as IGN's note NTG 71 gives it
(algorithms ALG0004 and ALG0001). RGF93 and WGS 84 differ by less than a metre: no datum shift needed.
"""

from __future__ import annotations

import math

_A = 6378137.0  # GRS 80 semi-major axis
_F = 1 / 298.257222101  # GRS 80 flattening
_E = math.sqrt(_F * (2 - _F))  # first eccentricity
_LON0 = math.radians(3.0)
_LAT0 = math.radians(46.5)
_LAT1 = math.radians(44.0)
_LAT2 = math.radians(49.0)
_X0 = 700_000.0
_Y0 = 6_600_000.0


def _m(lat: float) -> float:
    return math.cos(lat) / math.sqrt(1 - (_E * math.sin(lat)) ** 2)


def _t(lat: float) -> float:
    sin = math.sin(lat)
    return math.tan(math.pi / 4 - lat / 2) / ((1 - _E * sin) / (1 + _E * sin)) ** (_E / 2)


_N = (math.log(_m(_LAT1)) - math.log(_m(_LAT2))) / (math.log(_t(_LAT1)) - math.log(_t(_LAT2)))
_AF = _A * _m(_LAT1) / (_N * _t(_LAT1) ** _N)
_RHO0 = _AF * _t(_LAT0) ** _N


def lambert93_to_wgs84(x: float, y: float) -> tuple[float, float]:
    """(longitude, latitude) in degrees of the Lambert-93 point (x, y) in metres."""
    dx, dy = x - _X0, _RHO0 - (y - _Y0)
    rho = math.hypot(dx, dy)
    t = (rho / _AF) ** (1 / _N)
    lon = _LON0 + math.atan2(dx, dy) / _N
    lat = math.pi / 2 - 2 * math.atan(t)
    for _ in range(20):  # converges to well under a millimetre in 4 or 5 steps
        sin = _E * math.sin(lat)
        nxt = math.pi / 2 - 2 * math.atan(t * ((1 - sin) / (1 + sin)) ** (_E / 2))
        if abs(nxt - lat) < 1e-12:
            lat = nxt
            break
        lat = nxt
    return math.degrees(lon), math.degrees(lat)
