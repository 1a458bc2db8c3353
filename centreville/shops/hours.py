"""Opening hours: the one home for reading an OpenStreetMap `opening_hours` expression at a given time.

A shop's (or a relay point's) regular hours are its OSM expression; French public holidays ("PH off")
and the shop's exceptional closures are applied on top by the opening-hours library, which also handles
midnight and the clock changes, in the town's time zone. This module owns:

- parsing (one cache), `readable()`;
- the state at a moment and when it changes ("Ouvert · ferme à 19:00"), `opening_state()`;
- the days ahead in words, holidays and closures noted, `days_ahead()`;
- the regular week, Monday first (`regular_week()`), and its schema.org form (`schema_org_hours()`);
- the open intervals of the coming days with opening hours, the source of pickup slots (`opening_days()`).

Every function is given the moment it speaks about (`at`): nothing here reads the clock.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import opening_hours
from django.utils import formats
from django.utils.translation import gettext as _

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# What the opening-hours library raises on an expression it cannot read (not in its type stubs).
UNREADABLE: tuple[type[Exception], ...] = (getattr(opening_hours, "ParserError", SyntaxError), ValueError)
# Beyond this, "next opening" is not worth computing (e.g. a shop closed for the season).
LOOKAHEAD = timedelta(days=14)
WEEK_DAYS = 7
# An opening that runs past midnight by less than this belongs to the evening it started (a bar's night).
NIGHT_SPILL = timedelta(hours=6)
SCHEMA_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

Interval = tuple[datetime, datetime]
Closures = Iterable[tuple[date, date]]


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


# --- Parsing ----------------------------------------------------------------------------------------------


def _osm_date(day: date) -> str:
    return f"{day.year} {MONTHS[day.month - 1]} {day.day:02d}"


def closures_rule(closures: Closures) -> str:
    """OSM rules closing the given date ranges (inclusive), to append after the regular hours."""
    return "".join(f"; {_osm_date(start)}-{_osm_date(end)} off" for start, end in closures)


@lru_cache(maxsize=4096)
def _parse(expression: str, tz_name: str, holidays: bool) -> opening_hours.OpeningHours:
    # With the country, "PH off" closes on French public holidays; without, holidays never apply.
    country = "FR" if holidays else None
    return opening_hours.OpeningHours(expression, timezone=ZoneInfo(tz_name), country=country)


def readable(
    expression: str, tz_name: str, *, closures: Closures = (), holidays: bool = True
) -> opening_hours.OpeningHours | None:
    """The parsed expression with these closures applied, or None when it is empty or cannot be read."""
    if not expression.strip():
        return None
    try:
        return _parse(expression + closures_rule(closures), tz_name, holidays)
    except UNREADABLE:
        return None


def midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def local_date(at: datetime, tz_name: str) -> date:
    """The calendar day of `at` in the town's time zone."""
    return at.astimezone(ZoneInfo(tz_name)).date()


def next_midnight(at: datetime, tz_name: str) -> datetime:
    """The start of the town's next calendar day after `at`."""
    tz = ZoneInfo(tz_name)
    return midnight(at.astimezone(tz).date() + timedelta(days=1), tz)


def open_intervals(hours: opening_hours.OpeningHours, start: datetime, end: datetime) -> list[Interval]:
    """The open intervals between `start` and `end`, in `start`'s time zone (cut at both ends)."""
    tz = start.tzinfo
    return [
        (begin.astimezone(tz), finish.astimezone(tz))
        for begin, finish, state, _comment in hours.intervals(start, end)
        if state == opening_hours.State.OPEN
    ]


# --- State at a moment ------------------------------------------------------------------------------------


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


def opening_state(expression: str, tz_name: str, *, closures: Closures = (), at: datetime) -> OpeningState:
    """The state at `at` and a short label saying when it changes next, in the town's time zone."""
    if not expression:
        return OpeningState(Opening.UNKNOWN, _("Horaires non renseignés"))
    hours = readable(expression, tz_name, closures=closures)
    if hours is None:
        return OpeningState(Opening.UNKNOWN, _("Horaires à vérifier"))
    now = at.astimezone(ZoneInfo(tz_name))
    is_open = hours.is_open(now)
    change = hours.next_change(now)
    if change is not None:
        change = change.astimezone(now.tzinfo)
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
    elif _opens_on_day_of(hours, now):
        label = _("Fermé · ouvre %(day)s à %(time)s") % {"day": day, "time": _clock(change)}
    else:
        label = _("Fermé aujourd'hui · ouvre %(day)s à %(time)s") % {"day": day, "time": _clock(change)}
    return OpeningState(Opening.CLOSED, label, change)


def _opens_on_day_of(hours: opening_hours.OpeningHours, now: datetime) -> bool:
    """Whether the place is open at some time of `now`'s calendar day (earlier today, say)."""
    start = midnight(now.date(), now.tzinfo)  # type: ignore[arg-type]
    return bool(open_intervals(hours, start, midnight(now.date() + timedelta(days=1), start.tzinfo)))  # type: ignore[arg-type]


def first_change(states: Iterable[OpeningState], tz_names: Iterable[str], *, at: datetime) -> datetime | None:
    """When the first of these states changes; labels name days relative to today ("demain"), so they
    also change at each town's midnight."""
    changes = [state.next_change for state in states if state.next_change is not None]
    changes.extend(next_midnight(at, tz_name) for tz_name in set(tz_names))
    return min(changes, default=None)


# --- Days: the coming days in words, the regular week ----------------------------------------------------


@dataclass(frozen=True)
class Day:
    """One calendar day of a place's hours: its bounds in the town's time zone and its openings."""

    start: datetime  # midnight
    end: datetime  # the next midnight
    openings: list[Interval]

    @property
    def date(self) -> date:
        return self.start.date()

    @property
    def weekday(self) -> int:
        return self.start.weekday()

    @property
    def all_day(self) -> bool:
        return self.openings == [(self.start, self.end)]


def _day_openings(opened: Sequence[Interval], day_start: datetime, day_end: datetime) -> list[Interval]:
    """The openings of one day; one running past midnight stays with the evening it started in."""
    openings = []
    for start, end in opened:
        if end <= day_start or start >= day_end:
            continue
        if start < day_start:
            if end <= day_start + NIGHT_SPILL:
                continue  # the end of the previous evening
            start = day_start
        if end > day_end + NIGHT_SPILL or (start == day_start and end > day_end):
            end = day_end
        openings.append((start, end))
    return openings


def _days(hours: opening_hours.OpeningHours, first: date, count: int, tz: ZoneInfo) -> list[Day]:
    """`count` days from `first`. The intervals are read from the day before to the day after, so that a
    night that started the evening before is seen as such, and one running past the last midnight too."""
    midnights = [midnight(first + timedelta(days=n), tz) for n in range(-1, count + 2)]
    opened = open_intervals(hours, midnights[0], midnights[-1])
    return [
        Day(midnights[n], midnights[n + 1], _day_openings(opened, midnights[n], midnights[n + 1]))
        for n in range(1, count + 1)
    ]


def regular_week(expression: str, tz_name: str, *, at: datetime) -> list[Day]:
    """The regular hours of the seven days from `at`'s, holidays and closures left out, Monday first.

    Empty when the hours are missing or unreadable.
    """
    hours = readable(expression, tz_name, holidays=False)
    if hours is None:
        return []
    tz = ZoneInfo(tz_name)
    return sorted(_days(hours, local_date(at, tz_name), WEEK_DAYS, tz), key=lambda day: day.weekday)


def _words_clock(moment: datetime) -> str:
    if moment.time() == time(0):
        return _("minuit")
    return formats.time_format(moment, "H:i")


def openings_in_words(day: Day) -> str:
    """« de 09:00 à 12:30 et de 14:00 à 19:00 », « fermé », « ouvert 24 h sur 24 »."""
    if not day.openings:
        return _("fermé")
    if day.all_day:
        return _("ouvert 24 h sur 24")
    parts = [
        _("de %(start)s à %(end)s") % {"start": _words_clock(start), "end": _words_clock(end)}
        for start, end in day.openings
    ]
    if len(parts) == 1:
        return parts[0]
    return _("%(first)s et %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


@dataclass(frozen=True)
class DayHours:
    day: date
    label: str  # "mardi 24 novembre"
    is_today: bool
    hours: str  # "de 09:00 à 12:30 et de 14:00 à 19:00", "fermé"…
    note: str = ""  # "jour férié", or the label of an exceptional closure


@dataclass(frozen=True)
class Closure:
    """An exceptional closure as the hours see it: its dates and what it says to customers."""

    start: date
    end: date
    label: str = ""


def days_ahead(
    expression: str, tz_name: str, *, closures: Sequence[Closure] = (), at: datetime, days: int = WEEK_DAYS
) -> list[DayHours]:
    """The hours of the `days` days from `at`'s, in words, holidays and exceptional closures applied and
    noted. Empty when there are no hours or they cannot be read."""
    hours = readable(expression, tz_name, closures=[(c.start, c.end) for c in closures])
    holidays = readable("PH", tz_name)
    if hours is None or holidays is None:
        return []
    tz = ZoneInfo(tz_name)
    result = []
    for n, day in enumerate(_days(hours, local_date(at, tz_name), days, tz)):
        closure = next((c for c in closures if c.start <= day.date <= c.end), None)
        if closure is not None:
            note = closure.label or _("fermeture exceptionnelle")
        elif holidays.is_open(day.start + timedelta(hours=12)):
            note = _("jour férié")
        else:
            note = ""
        result.append(
            DayHours(
                day=day.date,
                label=formats.date_format(day.date, "l j F"),
                is_today=n == 0,
                hours=openings_in_words(day),
                note=note,
            )
        )
    return result


# --- schema.org -------------------------------------------------------------------------------------------


def _schema_time(moment: datetime, day_end: datetime) -> str:
    # schema.org has no 24:00: a day open until midnight closes at 23:59.
    return "23:59" if moment == day_end else moment.strftime("%H:%M")


def schema_org_hours(
    expression: str, tz_name: str, *, closures: Sequence[Closure] = (), at: datetime
) -> list[dict[str, Any]]:
    """The regular week as schema.org OpeningHoursSpecification, days with the same hours grouped;
    exceptional closures follow as whole days closed (opens = closes = 00:00) over their dates."""
    grouped: dict[tuple[tuple[str, str], ...], list[int]] = {}
    for day in regular_week(expression, tz_name, at=at):
        key = tuple((_schema_time(s, day.end), _schema_time(e, day.end)) for s, e in day.openings)
        if key:
            grouped.setdefault(key, []).append(day.weekday)
    specification: list[dict[str, Any]] = []
    for times, weekdays in grouped.items():
        day_list = [f"https://schema.org/{SCHEMA_DAYS[weekday]}" for weekday in sorted(weekdays)]
        for opens, closes in times:
            specification.append(
                {
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": day_list,
                    "opens": opens,
                    "closes": closes,
                }
            )
    for closure in closures:
        specification.append(
            {
                "@type": "OpeningHoursSpecification",
                "opens": "00:00",
                "closes": "00:00",
                "validFrom": closure.start.isoformat(),
                "validThrough": closure.end.isoformat(),
            }
        )
    return specification


# --- The days ahead that have opening hours: the source of pickup slots -----------------------------------


def opening_days(
    hours: opening_hours.OpeningHours, tz_name: str, *, first: date, wanted: int, within: int
) -> list[Day]:
    """The first `wanted` days from `first` (included) on which the place opens, looking no further than
    `within` days; each with its openings (a night past midnight stays with its evening)."""
    tz = ZoneInfo(tz_name)
    found: list[Day] = []
    # Read a week at a time: a shop closed for a fortnight costs three reads, not fourteen.
    offset = 0
    while len(found) < wanted and offset < within:
        span = min(WEEK_DAYS, within - offset)
        found.extend(day for day in _days(hours, first + timedelta(days=offset), span, tz) if day.openings)
        offset += span
    return found[:wanted]
