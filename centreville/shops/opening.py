"""Whether a shop is open, in its town's time zone: "Ouvert · ferme à 19:00", "Fermé · ouvre à 14:00"…

Regular hours are the shop's OpenStreetMap expression; French public holidays and the shop's exceptional
closures are applied on top, by the opening-hours library (which also handles midnight and DST changes).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import opening_hours
from django.utils import formats, timezone
from django.utils.translation import gettext as _

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# The library's parse error, which its type stubs do not declare.
PARSER_ERROR: type[Exception] = getattr(opening_hours, "ParserError", SyntaxError)
# Beyond this, "next opening" is not worth computing (e.g. a shop closed for the season).
LOOKAHEAD = timedelta(days=14)


class Opening(enum.Enum):
    OPEN = "open"
    CLOSED = "closed"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class OpeningState:
    status: Opening
    label: str
    next_change: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status is Opening.OPEN


def _osm_date(day: date) -> str:
    return f"{day.year} {MONTHS[day.month - 1]} {day.day:02d}"


def closures_rule(closures: Iterable[tuple[date, date]]) -> str:
    """OSM rules closing the given date ranges (inclusive), to append after the regular hours."""
    return "".join(f"; {_osm_date(start)}-{_osm_date(end)} off" for start, end in closures)


@lru_cache(maxsize=4096)
def _parsed(expression: str, tz_name: str) -> opening_hours.OpeningHours:
    return opening_hours.OpeningHours(expression, timezone=ZoneInfo(tz_name), country="FR")


def _clock(moment: datetime) -> str:
    return formats.time_format(moment, "H:i")


def _day_name(moment: datetime, now: datetime) -> str:
    if moment.date() == now.date():
        return ""
    if moment.date() == now.date() + timedelta(days=1):
        return _("demain")
    if moment.date() < now.date() + timedelta(days=7):
        return formats.date_format(moment, "l")
    return formats.date_format(moment, "l j F")


def opening_state(
    hours: str,
    tz_name: str,
    *,
    closures: Iterable[tuple[date, date]] = (),
    at: datetime | None = None,
) -> OpeningState:
    """The state at `at` (now by default) and a short French label saying when it changes next."""
    if not hours:
        return OpeningState(Opening.UNKNOWN, _("Horaires non renseignés"))
    tz = ZoneInfo(tz_name)
    now = (at or timezone.now()).astimezone(tz)
    try:
        parsed = _parsed(hours + closures_rule(closures), tz_name)
    except (PARSER_ERROR, ValueError):
        return OpeningState(Opening.UNKNOWN, _("Horaires à vérifier"))
    is_open = parsed.is_open(now)
    change = parsed.next_change(now)
    if change is not None:
        change = change.astimezone(tz)
        if change - now > LOOKAHEAD:
            change = None
    if is_open:
        if change is None:
            return OpeningState(Opening.OPEN, _("Ouvert"))
        day = _day_name(change, now)
        label = (
            _("Ouvert · ferme à %(time)s") % {"time": _clock(change)}
            if not day
            else _("Ouvert · ferme %(day)s à %(time)s") % {"day": day, "time": _clock(change)}
        )
        return OpeningState(Opening.OPEN, label, change)
    if change is None:
        return OpeningState(Opening.CLOSED, _("Fermé pour le moment"))
    day = _day_name(change, now)
    if not day:
        label = _("Fermé · ouvre à %(time)s") % {"time": _clock(change)}
    elif _opens_on_day_of(parsed, now):
        label = _("Fermé · ouvre %(day)s à %(time)s") % {"day": day, "time": _clock(change)}
    else:
        label = _("Fermé aujourd'hui · ouvre %(day)s à %(time)s") % {"day": day, "time": _clock(change)}
    return OpeningState(Opening.CLOSED, label, change)


def _opens_on_day_of(parsed: opening_hours.OpeningHours, now: datetime) -> bool:
    """Whether the shop is open at some time of `now`'s calendar day (earlier today, say)."""
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    intervals = parsed.intervals(start, start + timedelta(days=1))
    return any(interval[2] == opening_hours.State.OPEN for interval in intervals)
