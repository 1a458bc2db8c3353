"""iCalendar (RFC 5545) files and feeds read into events, with `icalendar`.

Each UID is one event: its VEVENT without RECURRENCE-ID (the master) gives the dates, the rule (RRULE),
the skipped dates (EXDATE) and the added ones (RDATE); a VEVENT with RECURRENCE-ID changes one date. Times
are read on their zone: a TZID (IANA, or a Windows name such as « Romance Standard Time »), UTC or floating
(then on the calendar's X-WR-TIMEZONE, else the town's). A date the agenda cannot hold as the calendar says
(a moved date of a rule that never ends, the title changed for one date) is told in the report.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import x_wr_timezone
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from ..models import EventStatus
from ..recurrence import MAX_OCCURRENCES, parse_rule
from .base import EventData, ImportFailed, ReadItem, clip, coordinate, is_web_address, kind_from_words

NO_UID = "événement sans UID : impossible de le reconnaître à l'import suivant"
Local = tuple[datetime, datetime]


def read_calendar(text: str, *, town_timezone: str, default_kind: str) -> list[ReadItem]:
    """The events of an iCalendar text; ImportFailed (French) when it is unreadable or cut short."""
    if not text.rstrip().upper().endswith("END:VCALENDAR"):
        raise ImportFailed(
            _("Le calendrier est incomplet (il ne se termine pas par END:VCALENDAR) : fichier tronqué ?")
        )
    try:
        calendar = icalendar.Calendar.from_ical(text)
        if "X-WR-TIMEZONE" in calendar and not _zone_name(str(calendar["X-WR-TIMEZONE"])):
            del calendar["X-WR-TIMEZONE"]  # an unknown zone: times are read on the town's
        calendar = x_wr_timezone.to_standard(calendar)
    except (ValueError, KeyError, TypeError, IndexError) as error:
        raise ImportFailed(_("Le calendrier est illisible : %(error)s") % {"error": error}) from error
    floating_zone = _zone_name(str(calendar.get("X-WR-TIMEZONE", ""))) or town_timezone
    by_uid: dict[str, list[icalendar.Event]] = defaultdict(list)
    items: list[ReadItem] = []
    for component in calendar.walk("VEVENT"):
        uid = str(component.get("UID", "")).strip()
        if not uid:
            items.append(ReadItem(uid="", title=str(component.get("SUMMARY", "")), skip=_(NO_UID)))
            continue
        by_uid[uid].append(component)
    for uid, components in by_uid.items():
        items.append(_read_event(uid, components, floating_zone=floating_zone, default_kind=default_kind))
    return items


# --- Time zones and values ---------------------------------------------------------------------------------


def _zone_name(name: str) -> str:
    """The IANA name of `name` (itself, or the one of a Windows zone name), or "" when unknown."""
    name = WINDOWS_TO_OLSON.get(name.strip(), name.strip())
    if not name or name.upper() in {"UTC", "Z", "GMT", "ETC/UTC"}:
        return ""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ""
    return name


def _event_zone(prop: Any, fallback: str) -> str:
    """The zone an event's times are read on: its DTSTART's, or `fallback` for UTC and floating times."""
    value = _attr(prop, "dt", None)
    if isinstance(value, datetime) and value.tzinfo is not None:
        key = getattr(value.tzinfo, "key", "")
        found = _zone_name(key) if key else ""
        if not found:
            found = _zone_name(str(prop.params.get("TZID", "")))
        return found or fallback
    return fallback


def _wall_clock(value: date | datetime, prop: Any, zone: str) -> datetime:
    """The local time of `value` on `zone`, naive (a date is its midnight)."""
    if not isinstance(value, datetime):
        return datetime.combine(value, datetime.min.time())
    if value.tzinfo is None:
        return value
    # A time written on the event's own zone is kept as written (its VTIMEZONE may be a rough copy).
    tzid = str(getattr(prop, "params", {}).get("TZID", "")) if prop is not None else ""
    if tzid and _zone_name(tzid) == zone:
        return value.replace(tzinfo=None)
    return value.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def _attr(prop: Any, name: str, default: Any) -> Any:
    """`prop.name`, or `default` when the property is missing or broken (a value icalendar could not read)."""
    try:
        return getattr(prop, name, default)
    except ValueError:
        return default


def _all(component: icalendar.Event, name: str) -> list[Any]:
    value = component.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _values(component: icalendar.Event, name: str) -> list[tuple[Any, Any]]:
    """(value, property) of each date of a multi-valued property (EXDATE, RDATE)."""
    found = []
    for prop in _all(component, name):
        for item in _attr(prop, "dts", []):
            found.append((item.dt, item))
    return found


def _text(component: icalendar.Event, name: str) -> str:
    value = component.get(name)
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "").strip()


def _day(value: datetime) -> str:
    return date_format(value, "DATETIME_FORMAT") if (value.hour or value.minute) else date_format(value)


# --- One event ---------------------------------------------------------------------------------------------


def _read_event(
    uid: str, components: list[icalendar.Event], *, floating_zone: str, default_kind: str
) -> ReadItem:
    masters = [component for component in components if "RECURRENCE-ID" not in component]
    title = clip(_text(masters[0] if masters else components[0], "SUMMARY"), 140)
    if not masters:
        return ReadItem(
            uid=uid,
            title=title,
            skip=_(
                "seules des dates modifiées d'un événement répétitif sont dans le fichier, sans l'événement "
                "lui-même"
            ),
        )
    if len(masters) > 1:
        return ReadItem(uid=uid, title=title, skip=_("plusieurs événements portent ce même UID"))
    master = masters[0]
    try:
        data = _event_data(uid, master, components, floating_zone=floating_zone, default_kind=default_kind)
    except _Skip as skip:
        return ReadItem(uid=uid, title=title, skip=str(skip))
    return ReadItem(uid=uid, title=data.title, data=data)


class _Skip(Exception):
    """The event cannot be imported; the message says why, in French."""


def _dates(component: icalendar.Event, zone: str) -> tuple[datetime, datetime, bool]:
    """The component's local start and end, and whether it is a whole day (DATE)."""
    start_prop = component.get("DTSTART")
    start = _attr(start_prop, "dt", None)
    if not isinstance(start, date):
        raise _Skip(_("pas de date de début (DTSTART) lisible"))
    all_day = not isinstance(start, datetime)
    local_start = _wall_clock(start, start_prop, zone)
    end_prop = component.get("DTEND")
    end = _attr(end_prop, "dt", None)
    duration = _attr(component.get("DURATION"), "dt", None)
    if isinstance(end, date):
        if isinstance(end, datetime) == all_day:
            raise _Skip(_("le début et la fin ne sont pas du même type (date et date-heure)"))
        local_end = _wall_clock(end, end_prop, zone)
    elif isinstance(duration, timedelta):
        local_end = local_start + duration
    else:
        local_end = local_start + (timedelta(days=1) if all_day else timedelta())
    if local_end < local_start:
        raise _Skip(_("la fin (DTEND) est avant le début (DTSTART)"))
    return local_start, local_end, all_day


def _rule(master: icalendar.Event, zone: str, local_start: datetime) -> str:
    rules = _all(master, "RRULE")
    if not rules:
        return ""
    if len(rules) > 1:
        raise _Skip(_("plusieurs règles de répétition (RRULE) : une seule est possible"))
    recur = rules[0]
    if not isinstance(recur, icalendar.vRecur):
        raise _Skip(_("règle de répétition (RRULE) illisible"))
    until = recur.get("UNTIL")
    if until:
        value = until[0] if isinstance(until, list) else until
        if isinstance(value, datetime) and value.tzinfo is not None:
            recur["UNTIL"] = [value.astimezone(ZoneInfo(zone)).replace(tzinfo=None)]
    text = recur.to_ical().decode()
    try:
        parse_rule(text, local_start=local_start)
    except ValidationError as error:
        raise _Skip(" ".join(error.messages)) from error
    return text


def _event_data(
    uid: str,
    master: icalendar.Event,
    components: list[icalendar.Event],
    *,
    floating_zone: str,
    default_kind: str,
) -> EventData:
    title = clip(_text(master, "SUMMARY"), 140)
    if not title:
        raise _Skip(_("événement sans titre (SUMMARY)"))
    zone = _event_zone(master.get("DTSTART"), floating_zone)
    local_start, local_end, all_day = _dates(master, zone)
    duration = local_end - local_start
    rule = _rule(master, zone, local_start)
    notes: list[str] = []
    skipped: set[datetime] = set()
    skipped_days: set[date] = set()
    for value, prop in _values(master, "EXDATE"):
        if isinstance(value, datetime):
            skipped.add(_wall_clock(value, prop, zone))
        elif isinstance(value, date):
            skipped_days.add(value)
    added: list[Local] = []
    for value, prop in _values(master, "RDATE"):
        if isinstance(value, tuple):  # a PERIOD: (start, end) or (start, duration)
            first, last = value
            start = _wall_clock(first, prop, zone)
            end = start + last if isinstance(last, timedelta) else _wall_clock(last, prop, zone)
            added.append((start, end))
        elif isinstance(value, date):
            start = _wall_clock(value, prop, zone)
            added.append((start, start + duration))
    moved: dict[datetime, Local] = {}
    for override in components:
        if "RECURRENCE-ID" not in override:
            continue
        rid_prop: Any = override["RECURRENCE-ID"]
        rid = _attr(rid_prop, "dt", None)
        if not isinstance(rid, date):
            notes.append(_("Une date modifiée sans RECURRENCE-ID lisible est ignorée."))
            continue
        original = _wall_clock(rid, rid_prop, zone)
        if str(override.get("STATUS", "")).upper() == "CANCELLED":
            skipped.add(original)
            continue
        try:
            new_start, new_end, _whole = _dates(override, zone)
        except _Skip:
            new_start, new_end = original, original + duration
        if (new_start, new_end) != (original, original + duration):
            moved[original] = (new_start, new_end)
        if any(
            _text(override, name) != _text(master, name) for name in ("SUMMARY", "LOCATION", "DESCRIPTION")
        ):
            notes.append(
                _(
                    "Les changements propres à la date du %(day)s (titre, lieu ou description) ne sont pas "
                    "repris."
                )
                % {"day": _day(original)}
            )
    timings: list[Local] = []
    exdates: list[str] = []
    finite = not rule or "COUNT=" in rule.upper() or "UNTIL=" in rule.upper()
    if (added or moved) and finite:
        # Listed dates hold what a rule with added or moved dates says.
        starts = list(parse_rule(rule, local_start=local_start)) if rule else [local_start]
        if len(starts) > MAX_OCCURRENCES:
            raise _Skip(_("plus de %(count)s dates") % {"count": MAX_OCCURRENCES})
        pairs = {start: start + duration for start in starts}
        pairs.update(dict(added))
        for original, (new_start, new_end) in moved.items():
            if original in pairs:
                del pairs[original]
                pairs[new_start] = new_end
        timings = sorted(
            (start, end)
            for start, end in pairs.items()
            if start not in skipped and start.date() not in skipped_days
        )
        rule = ""
        if not timings:
            raise _Skip(_("toutes ses dates sont exclues"))
    else:
        for original, (new_start, _end) in moved.items():
            skipped.add(original)
            notes.append(
                _(
                    "La date du %(day)s, déplacée au %(new)s, ne peut pas être gardée : la répétition n'a "
                    "pas de fin. Elle est retirée ; ajoutez la nouvelle date à la main."
                )
                % {"day": _day(original), "new": _day(new_start)}
            )
        if added:
            notes.append(
                _("%(count)s dates ajoutées (RDATE) à une répétition sans fin ne sont pas reprises.")
                % {"count": len(added)}
            )
        exdates = sorted(
            [value.isoformat() for value in skipped] + [value.isoformat() for value in skipped_days]
        )
    if len(timings) > MAX_OCCURRENCES:
        raise _Skip(_("plus de %(count)s dates") % {"count": MAX_OCCURRENCES})
    tz = ZoneInfo(zone)
    first, last = (timings[0][0], timings[-1][1]) if timings else (local_start, local_end)
    location = clip(_text(master, "LOCATION"), 250)
    geo = master.get("GEO")
    url = _text(master, "URL")
    categories = [str(word) for prop in _all(master, "CATEGORIES") for word in _attr(prop, "cats", [])]
    modified = _attr(master.get("LAST-MODIFIED"), "dt", None)
    organiser = master.get("ORGANIZER")
    return EventData(
        source_uid=clip(uid, 255),
        title=title,
        kind=kind_from_words(categories, default=default_kind),
        description=_text(master, "DESCRIPTION"),
        starts_at=first.replace(tzinfo=tz, fold=0),
        ends_at=last.replace(tzinfo=tz, fold=0),
        timezone=zone,
        all_day=all_day,
        rrule=rule,
        exdates=exdates,
        timings=[[start.isoformat(), end.isoformat()] for start, end in timings],
        status=(
            EventStatus.CANCELLED
            if str(master.get("STATUS", "")).upper() == "CANCELLED"
            else EventStatus.SCHEDULED
        ),
        venue_name=clip(location.split(",")[0], 150) if location else "",
        address=location,
        latitude=coordinate(_attr(geo, "latitude", None), 90),
        longitude=coordinate(_attr(geo, "longitude", None), 180),
        registration_url=url if is_web_address(url) else "",
        organiser_name=clip(str(organiser.params.get("CN", "")), 150) if organiser is not None else "",
        source_updated_at=(
            modified.astimezone(UTC)
            if isinstance(modified, datetime) and modified.tzinfo is not None
            else None
        ),
        notes=notes,
    )
