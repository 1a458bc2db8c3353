"""Validators for town data: French administrative codes, colours, GeoJSON outlines, slugs."""

from __future__ import annotations

import re
import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
POSTCODE = re.compile(r"^\d{5}$")
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

# Path segments used by the platform itself, which no town or territory may take as its address.
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "api",
        "paiement",
        "compte",
        "comptes",
        "accounts",
        "static",
        "media",
        "i18n",
        "ping",
        "sante",
        "sitemap.xml",
        "robots.txt",
        "favicon.ico",
        "territoires",
        "villes",
        "aide",
        "mentions-legales",
        "langue",
        "pro",
        "producteurs",
    }
)


def validate_insee_code(value: str) -> None:
    if not INSEE_CODE.match(value):
        raise ValidationError(
            _("« %(value)s » n'est pas un code INSEE de commune (5 caractères, par exemple 61006 ou 2A004)."),
            params={"value": value},
            code="insee_code",
        )


def validate_postcodes(value: Any) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Indiquez au moins un code postal."), code="postcodes")
    for postcode in value:
        if not isinstance(postcode, str) or not POSTCODE.match(postcode):
            raise ValidationError(
                _("« %(value)s » n'est pas un code postal français (5 chiffres)."),
                params={"value": postcode},
                code="postcode",
            )


def validate_hex_colour(value: str) -> None:
    if not HEX_COLOUR.match(value):
        raise ValidationError(
            _("Indiquez une couleur au format #RRVVBB, par exemple #1d4e89."), code="colour"
        )


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("« %(value)s » n'est pas un fuseau horaire connu (par exemple Europe/Paris)."),
            params={"value": value},
            code="timezone",
        )


def validate_space_slug(value: str) -> None:
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(
            _("L'adresse « %(value)s » est réservée par la plateforme ; choisissez-en une autre."),
            params={"value": value},
            code="reserved_slug",
        )


def _validate_ring(ring: Any) -> None:
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValidationError(_("Chaque contour doit compter au moins quatre points."), code="outline")
    for point in ring:
        if (
            not isinstance(point, list | tuple)
            or len(point) < 2
            or not all(isinstance(c, int | float) for c in point[:2])
            or not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90)
        ):
            raise ValidationError(
                _("Point de contour invalide : %(point)s (attendu [longitude, latitude])."),
                params={"point": point},
                code="outline",
            )
    if list(ring[0][:2]) != list(ring[-1][:2]):
        raise ValidationError(_("Un contour doit se refermer sur son premier point."), code="outline")


def validate_outline(value: Any) -> None:
    """A GeoJSON Polygon or MultiPolygon geometry (RFC 7946), in longitude/latitude."""
    if value in (None, {}):
        return
    if not isinstance(value, dict) or value.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationError(
            _("Le périmètre du centre-ville doit être une géométrie GeoJSON Polygon ou MultiPolygon."),
            code="outline",
        )
    coordinates = value.get("coordinates")
    polygons = [coordinates] if value["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise ValidationError(_("Le périmètre du centre-ville n'a aucune coordonnée."), code="outline")
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise ValidationError(_("Le périmètre du centre-ville n'a aucune coordonnée."), code="outline")
        for ring in polygon:
            _validate_ring(ring)
