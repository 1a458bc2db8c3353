"""FIWARE NGSI-v2 `OffStreetParking` entities (smart-data-models dataModel.Parking), as a context broker
answers `GET /v2/entities?type=OffStreetParking` (Montpellier's portal among others): a JSON list, in the
normalized form (`{"availableSpotNumber": {"type": "Number", "value": 12, "metadata": {"timestamp": …}}}`)
or with `options=keyValues` (`{"availableSpotNumber": 12}`).

Read: `id`, `availableSpotNumber`, `totalSpotNumber`, `status` (a text or a list of DATEX II values: open,
closed, full, almostFull, spacesAvailable…), `name`, `location` (GeoJSON Point), and the time of the count:
the `timestamp` metadata of `availableSpotNumber`, else `occupancyModified`, else `dateModified`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from ..states import State, feed_state
from .base import FeedReading, FeedUnreadable, ParseResult, check_numbers, load_json, parse_time, whole_number

ENTITY_TYPE = "OffStreetParking"
# When a status lists several values, the one that matters most to a driver wins.
SEVERITY = [State.CLOSED, State.FULL, State.ALMOST_FULL, State.NO_DATA]


def _value(attribute: Any) -> Any:
    """An attribute's value, normalized (`{"value": …}`) or keyValues (the value itself)."""
    if isinstance(attribute, Mapping) and "value" in attribute:
        return attribute["value"]
    return attribute


def _metadata_time(attribute: Any) -> Any:
    if isinstance(attribute, Mapping):
        stamp = attribute.get("metadata", {}).get("timestamp")
        return _value(stamp) if stamp is not None else None
    return None


def _status(value: Any) -> tuple[State | None, bool]:
    """The state a status says, and whether every word of it was understood."""
    words = value if isinstance(value, list) else [value]
    states = []
    known = True
    for word in words:
        if word is None or word == "":
            continue
        key = str(word).strip().lower()
        state = feed_state(key)
        if state is None and key not in ("open", "spacesavailable", "openingtimesinforce", "other"):
            known = False
        states.append(state)
    for severe in SEVERITY:
        if severe in states:
            return severe, known
    return None, known


def _point(location: Any) -> tuple[Decimal | None, Decimal | None]:
    location = _value(location)
    try:
        if isinstance(location, Mapping) and location.get("type") == "Point":
            longitude, latitude = location["coordinates"][:2]
            return Decimal(str(latitude)), Decimal(str(longitude))
    except (KeyError, TypeError, ValueError, InvalidOperation):
        pass
    return None, None


def parse(data: bytes, mapping: Mapping[str, Any] | None = None) -> ParseResult:
    document = load_json(data)
    if isinstance(document, Mapping) and isinstance(document.get("entities"), list):
        document = document["entities"]
    if isinstance(document, Mapping) and "id" in document:
        document = [document]
    if not isinstance(document, list):
        raise FeedUnreadable(_("Le flux NGSI-v2 doit être une liste d'entités OffStreetParking."))
    result = ParseResult()
    for position, entity in enumerate(document, start=1):
        if not isinstance(entity, Mapping) or not str(entity.get("id") or "").strip():
            result.reject(f"#{position}", _("entité sans identifiant"))
            continue
        ref = str(entity["id"]).strip()
        kind = entity.get("type")
        if kind not in (None, ENTITY_TYPE):
            result.reject(ref, _("entité de type %(type)s, pas OffStreetParking") % {"type": kind})
            continue
        available = entity.get("availableSpotNumber")
        free = whole_number(_value(available))
        capacity = whole_number(_value(entity.get("totalSpotNumber")))
        said, known = _status(_value(entity.get("status")))
        if not known:
            result.reject(ref, _("état inconnu : %(status)s") % {"status": _value(entity.get("status"))})
            continue
        if available is None and said in (State.CLOSED, State.NO_DATA):
            free = 0
        if not check_numbers(result, ref, free, capacity):
            continue
        stamp = _metadata_time(available) or _value(entity.get("occupancyModified"))
        stamp = stamp or _value(entity.get("dateModified"))
        observed_at = parse_time(stamp)
        if observed_at is None:
            result.reject(ref, _("heure du relevé absente ou illisible : %(value)s") % {"value": stamp})
            continue
        latitude, longitude = _point(entity.get("location"))
        assert free is not None
        result.readings.append(
            FeedReading(
                ref=ref,
                free=free,
                capacity=capacity,
                said=said,
                observed_at=observed_at,
                name=str(_value(entity.get("name")) or ""),
                latitude=latitude,
                longitude=longitude,
            )
        )
    return result
