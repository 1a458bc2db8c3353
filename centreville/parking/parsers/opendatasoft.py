"""Opendatasoft records: the Explore API v2.1 (`{"total_count": …, "results": [{…}]}`), its exports (a JSON
list of records) and the v1 search API (`{"records": [{"recordid": …, "fields": {…}, "record_timestamp":
…}]}`).

Field names differ between portals: `mapping` names them (keys `id`, `free`, `total`, `status`, `time`,
`name`); what it leaves out is Strasbourg's dataset `occupation-parkings-temps-reel`: `idsurfs` (or
`ident`), `libre`, `total`, `etat` (1 open, 2 full, 3 unavailable, 4 closed), `etat_descriptif`,
`nom_parking`. A record's time is its time field, else the v1 record's timestamp, else (Strasbourg's v2.1
records carry none) `fetched_at`, the moment the feed was read.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from ..states import State, feed_state
from .base import FeedReading, FeedUnreadable, ParseResult, check_numbers, load_json, parse_time, whole_number

# Each key: the field names tried in turn (Strasbourg's, then the common ones of other portals).
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("idsurfs", "ident", "id", "identifiant"),
    "free": ("libre", "free", "places_disponibles", "nb_places_disponibles", "available"),
    "total": ("total", "capacite", "nb_places", "capacity"),
    "status": ("etat_descriptif", "etat", "status"),
    "time": ("date_maj", "last_update", "lastupdate", "time", "horodatage", "datetime", "record_timestamp"),
    "name": ("nom_parking", "nom", "name", "libelle"),
}
KEYS = tuple(DEFAULT_FIELDS)
MAPPING_HELP = ", ".join(KEYS)


def check_mapping(mapping: Mapping[str, Any]) -> list[str]:
    """French messages on what is wrong with a mapping (unknown keys, names that are not texts)."""
    problems = []
    for key, value in mapping.items():
        if key not in DEFAULT_FIELDS:
            problems.append(
                _("clé inconnue « %(key)s » (clés possibles : %(keys)s)") % {"key": key, "keys": MAPPING_HELP}
            )
        elif not isinstance(value, str) or not value.strip():
            problems.append(_("la clé « %(key)s » doit donner un nom de champ") % {"key": key})
    return problems


def _records(document: Any) -> list[tuple[Mapping[str, Any], Any]]:
    """The records' fields and, for the v1 shape, the record's timestamp."""
    if isinstance(document, Mapping) and isinstance(document.get("results"), list):
        return [(record, None) for record in document["results"]]
    if isinstance(document, Mapping) and isinstance(document.get("records"), list):
        found: list[tuple[Mapping[str, Any], Any]] = []
        for record in document["records"]:
            if isinstance(record, Mapping) and isinstance(record.get("fields"), Mapping):
                fields = dict(record["fields"])
                # v1 puts the record's identifier beside the fields (`recordid`): it is not the car park's.
                found.append((fields, record.get("record_timestamp") or record.get("timestamp")))
            elif isinstance(record, Mapping) and isinstance(record.get("record"), Mapping):
                inner = record["record"]
                found.append((inner.get("fields", {}), inner.get("timestamp")))
            else:
                found.append((record, None))
        return found
    if isinstance(document, list):
        return [(record, None) for record in document]
    raise FeedUnreadable(
        _(
            "Le flux Opendatasoft n'a ni « results » (API v2.1) ni « records » (API v1) : "
            "est-ce la bonne adresse ?"
        )
    )


def _field(record: Mapping[str, Any], key: str, mapping: Mapping[str, Any]) -> Any:
    if key in mapping:
        return record.get(mapping[key])
    for name in DEFAULT_FIELDS[key]:
        if record.get(name) not in (None, ""):
            return record[name]
    return None


def parse(
    data: bytes, mapping: Mapping[str, Any] | None = None, *, fetched_at: datetime | None = None
) -> ParseResult:
    mapping = mapping or {}
    problems = check_mapping(mapping)
    if problems:
        raise FeedUnreadable(
            _("Correspondance des champs invalide : %(problems)s.") % {"problems": "; ".join(problems)}
        )
    result = ParseResult()
    for position, (record, record_time) in enumerate(_records(load_json(data)), start=1):
        if not isinstance(record, Mapping):
            result.reject(f"#{position}", _("enregistrement illisible"))
            continue
        raw_ref = _field(record, "id", mapping)
        if raw_ref in (None, ""):
            result.reject(f"#{position}", _("enregistrement sans identifiant de parking"))
            continue
        ref = str(raw_ref).strip()
        status = _field(record, "status", mapping)
        said = feed_state(status)
        if (
            status not in (None, "")
            and said is None
            and str(status).strip().lower()
            not in (
                "1",
                "open",
                "ouvert",
                "libre",
                "disponible",
                "spacesavailable",
                "other",
            )
        ):
            result.reject(ref, _("état inconnu : %(status)s") % {"status": status})
            continue
        free = whole_number(_field(record, "free", mapping))
        capacity = whole_number(_field(record, "total", mapping))
        if free is None and said in (State.CLOSED, State.NO_DATA):
            free = 0
        if not check_numbers(result, ref, free, capacity):
            continue
        stamp = _field(record, "time", mapping) or record_time
        observed_at = parse_time(stamp) if stamp not in (None, "") else fetched_at
        if observed_at is None:
            result.reject(ref, _("heure du relevé absente ou illisible : %(value)s") % {"value": stamp})
            continue
        assert free is not None
        result.readings.append(
            FeedReading(
                ref=ref,
                free=free,
                capacity=capacity,
                said=said,
                observed_at=observed_at,
                name=str(_field(record, "name", mapping) or ""),
            )
        )
    return result
