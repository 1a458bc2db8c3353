"""OpenAgenda event exports (JSON, the v2 API's shape) read into events.

A file is `{"events": [...]}` or a list of events. Each event's `timings` (at most 800, each at most 24 h,
never overlapping, says OpenAgenda's specification) become the event's listed dates on its zone; the first
and last give its start and end. Multilingual texts are read in French, else in any language given. Any
field may be missing or null. An event whose place is in another town (its INSEE code) is left aside.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import Accessibility, Audience, EventStatus
from ..recurrence import MAX_OCCURRENCES
from .base import EventData, ImportFailed, ReadItem, clip, coordinate, is_web_address, kind_from_words

MAX_TIMING = timedelta(hours=24)
# OpenAgenda's status codes: 1 scheduled, 2 rescheduled, 3 moved online, 4 postponed, 5 full, 6 cancelled.
STATUSES = {
    1: EventStatus.SCHEDULED,
    2: EventStatus.SCHEDULED,
    3: EventStatus.SCHEDULED,
    4: EventStatus.POSTPONED,
    5: EventStatus.FULL,
    6: EventStatus.CANCELLED,
}


def read_export(text: str, *, town_timezone: str, town_insee: str, default_kind: str) -> list[ReadItem]:
    """The events of an OpenAgenda export; ImportFailed (French) when it is no such export."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFailed(
            _("Le fichier JSON est illisible ou tronqué (ligne %(line)s, colonne %(column)s).")
            % {"line": error.lineno, "column": error.colno}
        ) from error
    events = document.get("events") if isinstance(document, dict) else document
    if not isinstance(events, list):
        raise ImportFailed(
            _(
                "Ce fichier JSON n'est pas un export d'événements OpenAgenda (une liste « events » est "
                "attendue)."
            )
        )
    return [
        _read_event(event, town_timezone=town_timezone, town_insee=town_insee, default_kind=default_kind)
        for event in events
    ]


def _multilingual(value: Any) -> str:
    """The French text of a multilingual field, else the first one given; "" when there is none."""
    if isinstance(value, dict):
        for key in ("fr", *sorted(value)):
            text = value.get(key)
            if isinstance(text, str) and text.strip():
                return text.strip()
        return ""
    return value.strip() if isinstance(value, str) else ""


def _words(value: Any) -> list[str]:
    if isinstance(value, dict):
        value = value.get("fr") or next((words for words in value.values() if words), [])
    if isinstance(value, str):
        return [value]
    return [word for word in value if isinstance(word, str)] if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class _Skip(Exception):
    """The event cannot be imported; the message says why, in French."""


def _instant(value: Any, what: str) -> datetime:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None or parsed.tzinfo is None:
        raise _Skip(
            _("date illisible ou sans décalage horaire (%(what)s : « %(value)s »)")
            % {"what": what, "value": value}
        )
    return parsed


def _zone(*names: Any) -> str:
    for name in names:
        if isinstance(name, str) and name:
            try:
                ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
            return name
    return ""


def _when(value: datetime, zone: ZoneInfo) -> str:
    return date_format(value.astimezone(zone), "DATETIME_FORMAT")


def _timings(raw: Any, zone: ZoneInfo) -> list[tuple[datetime, datetime]]:
    """The event's timings, checked: each ends after it begins, lasts at most 24 h, overlaps no other."""
    if not isinstance(raw, list) or not raw:
        raise _Skip(_("aucune date (« timings » vide)"))
    if len(raw) > MAX_OCCURRENCES:
        raise _Skip(_("plus de %(count)s dates") % {"count": MAX_OCCURRENCES})
    timings = []
    for timing in raw:
        timing = _dict(timing)
        begin, end = _instant(timing.get("begin"), "begin"), _instant(timing.get("end"), "end")
        if end < begin:
            raise _Skip(
                _("une date finit avant de commencer (du %(begin)s au %(end)s)")
                % {"begin": _when(begin, zone), "end": _when(end, zone)}
            )
        if end - begin > MAX_TIMING:
            raise _Skip(
                _("une date dure plus de 24 heures (du %(begin)s au %(end)s) : OpenAgenda ne le permet pas")
                % {"begin": _when(begin, zone), "end": _when(end, zone)}
            )
        timings.append((begin.astimezone(UTC), end.astimezone(UTC)))
    timings.sort()
    for (begin, end), (next_begin, _next_end) in pairwise(timings):
        if next_begin < end:
            raise _Skip(
                _(
                    "deux dates se chevauchent (%(first)s et %(second)s) : OpenAgenda n'en produit jamais, "
                    "le fichier est sans doute abîmé"
                )
                % {"first": _when(begin, zone), "second": _when(next_begin, zone)}
            )
    return timings


def _audiences(age: dict[str, Any]) -> list[str]:
    low, high = age.get("min"), age.get("max")
    low = low if isinstance(low, int) else None
    high = high if isinstance(high, int) else None
    if high is not None and high <= 12:
        return [Audience.CHILDREN]
    if low is not None and low >= 12 and high is not None and high <= 18:
        return [Audience.TEENS]
    if low is not None and low >= 60:
        return [Audience.SENIORS]
    if low is None or low <= 3:
        return [Audience.EVERYONE]
    return []


def _read_event(event: Any, *, town_timezone: str, town_insee: str, default_kind: str) -> ReadItem:
    event = _dict(event)
    uid = event.get("uid")
    uid = str(uid).strip() if isinstance(uid, str | int) and not isinstance(uid, bool) else ""
    title = clip(_multilingual(event.get("title")), 140)
    if not uid:
        return ReadItem(
            uid="",
            title=title,
            skip=_("événement sans UID : impossible de le reconnaître à l'import suivant"),
        )
    try:
        data = _event_data(uid, title, event, town_timezone, town_insee, default_kind)
    except _Skip as skip:
        return ReadItem(uid=uid, title=title, skip=str(skip))
    return ReadItem(uid=uid, title=title, data=data)


def _event_data(
    uid: str, title: str, event: dict[str, Any], town_timezone: str, town_insee: str, default_kind: str
) -> EventData:
    if not title:
        raise _Skip(_("événement sans titre"))
    location = _dict(event.get("location"))
    insee = str(location.get("insee") or "").strip()
    if insee and town_insee and insee != town_insee:
        raise _Skip(
            _("le lieu (%(place)s, code INSEE %(insee)s) est dans une autre commune (code INSEE %(town)s)")
            % {
                "place": location.get("name") or location.get("city") or "?",
                "insee": insee,
                "town": town_insee,
            }
        )
    zone_name = _zone(event.get("timezone"), location.get("timezone")) or town_timezone
    zone = ZoneInfo(zone_name)
    timings = _timings(event.get("timings"), zone)
    local = [
        [
            begin.astimezone(zone).replace(tzinfo=None).isoformat(),
            end.astimezone(zone).replace(tzinfo=None).isoformat(),
        ]
        for begin, end in timings
    ]
    short, long = _multilingual(event.get("description")), _multilingual(event.get("longDescription"))
    lines = [long or short]
    status_code = event.get("status")
    if status_code == 2:
        lines.append(_("Cet événement a été reprogrammé."))
    elif status_code == 3:
        lines.append(_("Cet événement a lieu en ligne."))
    age = _dict(event.get("age"))
    if isinstance(age.get("min"), int) or isinstance(age.get("max"), int):
        lines.append(
            _("Âge : %(min)s à %(max)s ans.")
            % {"min": age.get("min") if age.get("min") is not None else 0, "max": age.get("max") or "…"}
        )
    registration_url = ""
    for entry in event.get("registration") or []:
        entry = _dict(entry)
        value = str(entry.get("value") or "").strip()
        if entry.get("type") == "link" and is_web_address(value) and not registration_url:
            registration_url = value
        elif value:
            lines.append(_("Inscription : %(value)s") % {"value": value})
    conditions = _multilingual(event.get("conditions"))
    address = str(location.get("address") or "").strip()
    postcode = str(location.get("postalCode") or "").strip()
    if postcode and postcode not in address:
        address = f"{address}, {postcode}" if address else postcode
    accessibility = _dict(event.get("accessibility"))
    updated = parse_datetime(event["updatedAt"]) if isinstance(event.get("updatedAt"), str) else None
    return EventData(
        source_uid=uid,
        title=title,
        kind=kind_from_words(_words(event.get("keywords")), default=default_kind),
        description="\n\n".join(line for line in lines if line),
        starts_at=timings[0][0].astimezone(zone),
        ends_at=timings[-1][1].astimezone(zone),
        timezone=zone_name,
        timings=local,
        status=STATUSES.get(status_code, EventStatus.SCHEDULED)
        if isinstance(status_code, int)
        else EventStatus.SCHEDULED,
        venue_name=clip(str(location.get("name") or ""), 150),
        address=clip(address, 250),
        latitude=coordinate(location.get("latitude"), 90),
        longitude=coordinate(location.get("longitude"), 180),
        registration_url=registration_url,
        accessibility=[code for code in Accessibility.values if accessibility.get(code) is True],
        audiences=_audiences(age),
        is_free=not conditions or "gratuit" in conditions.casefold(),
        price_details=clip(conditions, 250),
        source_updated_at=updated.astimezone(UTC)
        if updated is not None and updated.tzinfo is not None
        else None,
    )
