"""Opening hours: the one home for reading an OpenStreetMap `opening_hours` expression.

A shop's (or a relay point's) regular hours are its OSM expression; French public holidays ("PH off")
and the shop's exceptional closures are applied on top by the opening-hours library, which also handles
midnight and the clock changes, in the town's time zone. This module owns:

- checking and parsing (one cache), `valid_expression()`, `readable()`;
- the state at a moment and when it changes ("Ouvert · ferme à 19:00"), `opening_state()`;
- the days ahead in words, holidays and closures noted, `days_ahead()`;
- the regular week, Monday first (`regular_week()`), in words (`regular_week_in_words()`) and in its
  schema.org form (`schema_org_hours()`);
- the open intervals of the coming days with opening hours, the source of pickup slots (`opening_days()`);
- the week as a table a merchant fills in day by day, and back to the expression (`week_table()`,
  `week_table_expression()`); the form fields that edit it are in `forms_hours`.

Every function is given the moment it speaks about (`at`): nothing here reads the clock.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import opening_hours
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
# An expression as the opening-hours library has read it.
ParsedHours = opening_hours.OpeningHours


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


def valid_expression(expression: str) -> bool:
    """Whether `expression` is OpenStreetMap `opening_hours` syntax the opening-hours library can read."""
    return bool(opening_hours.validate(expression))


@lru_cache(maxsize=4096)
def _parse(expression: str, tz_name: str, holidays: bool) -> ParsedHours:
    # With the country, "PH off" closes on French public holidays; without, holidays never apply.
    country = "FR" if holidays else None
    return opening_hours.OpeningHours(expression, timezone=ZoneInfo(tz_name), country=country)


def readable(
    expression: str, tz_name: str, *, closures: Closures = (), holidays: bool = True
) -> ParsedHours | None:
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


def open_intervals(hours: ParsedHours, start: datetime, end: datetime) -> list[Interval]:
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


def _opens_on_day_of(hours: ParsedHours, now: datetime) -> bool:
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


def _days(hours: ParsedHours, first: date, count: int, tz: ZoneInfo) -> list[Day]:
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
class WeekdayHours:
    day: str  # « lundi »
    hours: str  # « de 07:00 à 19:30 », « fermé »


def regular_week_in_words(expression: str, tz_name: str, *, at: datetime) -> list[WeekdayHours]:
    """A place's regular week from `at` in words, Monday first (a relay point's, a locker's); empty when the
    hours are missing or unreadable."""
    return [
        WeekdayHours(day=formats.date_format(day.start, "l"), hours=openings_in_words(day))
        for day in regular_week(expression, tz_name, at=at)
    ]


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


def opening_days(hours: ParsedHours, tz_name: str, *, first: date, wanted: int, within: int) -> list[Day]:
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


# --- The week as a table, and back to the expression ------------------------------------------------------
#
# A `WeekTable` says, for each day from Monday, whether the place is closed or open with one or two time
# ranges, and whether it closes on public holidays. It is what a merchant fills in day by day; the expression
# (« Tu-Sa 09:00-12:30,14:00-19:00; PH off ») is what the platform stores and every other face reads.
#
# `week_table_expression` writes the compact form people write by hand (days with the same hours grouped,
# « Mo-Fr » for three days in a row or more). `week_table` reads back the common forms; for anything a table
# cannot show (week numbers, months, dates, school holidays, sunrise, three ranges a day…) it raises
# `NotWeekly` with the reason in French, and the raw expression stays the way to change those hours. What it
# reads is checked against the opening-hours library on a reference fortnight, so the table never shows
# hours other than the ones the expression means.

OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
WEEKDAY_NAMES = (
    gettext_lazy("lundi"),
    gettext_lazy("mardi"),
    gettext_lazy("mercredi"),
    gettext_lazy("jeudi"),
    gettext_lazy("vendredi"),
    gettext_lazy("samedi"),
    gettext_lazy("dimanche"),
)
MAX_RANGES = 2
MIDNIGHT_MINUTES = 24 * 60
# A range that ends before it starts runs past midnight (a bar's night), but only this far into the next day;
# later than that, it is a typing slip (« 14:00-12:00 »), refused by `check_range`.
LATEST_NIGHT_END = 6 * 60
# A fortnight with two French public holidays (1 and 8 May 2025, Thursdays), on which an expression and its
# table must mean the same.
_REFERENCE_TZ = "Europe/Paris"
_REFERENCE = (
    datetime(2025, 4, 28, tzinfo=ZoneInfo(_REFERENCE_TZ)),
    datetime(2025, 5, 12, tzinfo=ZoneInfo(_REFERENCE_TZ)),
)

_TIME = r"(?:[01]\d|2[0-4]):[0-5]\d"
_TIME_RANGE = re.compile(rf"^({_TIME})-({_TIME})$")
_DAY_RANGE = re.compile(r"^(Mo|Tu|We|Th|Fr|Sa|Su)(?:-(Mo|Tu|We|Th|Fr|Sa|Su))?$")
_OFF = {"off", "closed"}
# Things people write that a week table cannot hold, and how to say so.
_FEATURES: tuple[tuple[re.Pattern[str], Promise], ...] = (
    (re.compile(r"\bweek\b"), gettext_lazy("des numéros de semaine")),
    (
        re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b"),
        gettext_lazy("des mois ou des dates"),
    ),
    (re.compile(r"\b\d{4}\b"), gettext_lazy("des années")),
    (re.compile(r"\bSH\b"), gettext_lazy("les vacances scolaires")),
    (re.compile(r"\b(sunrise|sunset|dawn|dusk)\b"), gettext_lazy("le lever ou le coucher du soleil")),
    (re.compile(r"\[[^\]]*\]"), gettext_lazy("des semaines du mois (« le premier lundi »)")),
    (re.compile(r"\beaster\b"), gettext_lazy("Pâques")),
    (re.compile(r'"'), gettext_lazy("des commentaires")),
    (re.compile(r"\|\|"), gettext_lazy("des règles de repli (« || »)")),
    (re.compile(r"\+"), gettext_lazy("une heure de fermeture ouverte (« + »)")),
    (re.compile(r"\bPH\s+(?!off\b|closed\b)"), gettext_lazy("des horaires particuliers les jours fériés")),
)


class NotWeekly(ValueError):
    """The expression cannot be shown day by day; `reason` says why, in French, for the merchant."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, order=True)
class TimeRange:
    """Open from `start` to `end`, in minutes after midnight; `end` is 1440 at midnight, and smaller than
    `start` (at most LATEST_NIGHT_END) when the range runs past midnight."""

    start: int
    end: int

    def __str__(self) -> str:
        return f"{_hh_mm(self.start)}-{_hh_mm(self.end)}"


DayRanges = tuple[TimeRange, ...]
CLOSED_DAY: DayRanges = ()


@dataclass(frozen=True)
class WeekTable:
    """Each day's ranges, Monday first (empty: closed), and whether public holidays are closed."""

    days: tuple[DayRanges, ...] = field(default=(CLOSED_DAY,) * 7)
    holidays_closed: bool = False

    def __post_init__(self) -> None:
        if len(self.days) != len(OSM_DAYS):
            raise ValueError("a week table has seven days")

    @property
    def is_empty(self) -> bool:
        return not any(self.days)


def _hh_mm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def clock_minutes(clock: str) -> int:
    """« 09:30 » → 570."""
    hours, mins = clock.split(":")
    return int(hours) * 60 + int(mins)


def check_range(start: int, end: int) -> TimeRange:
    """A range from minutes typed in a form, an end at 00:00 meaning midnight; ValueError if it makes no
    sense."""
    if end == 0:
        end = MIDNIGHT_MINUTES
    if not (0 <= start < MIDNIGHT_MINUTES and 0 < end <= MIDNIGHT_MINUTES) or start == end:
        raise ValueError("empty range")
    if end < start and end > LATEST_NIGHT_END:
        raise ValueError("ends before it starts")
    return TimeRange(start, end)


def _day_list(indexes: list[int]) -> str:
    """[0, 1, 2, 4] → « Mo-We,Fr »; two days in a row stay a list (« Sa,Su »)."""
    runs: list[list[int]] = []
    for index in indexes:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{OSM_DAYS[run[0]]}-{OSM_DAYS[run[-1]]}")
        else:
            parts.extend(OSM_DAYS[index] for index in run)
    return ",".join(parts)


def week_table_expression(table: WeekTable) -> str:
    """The compact OpenStreetMap expression of `table`: « Mo-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00;
    PH off ». Empty when no day is open (nothing said about the hours)."""
    if table.is_empty:
        return ""
    full_day = (TimeRange(0, MIDNIGHT_MINUTES),)
    if all(day == full_day for day in table.days):
        rules = ["24/7"]
    else:
        groups: dict[DayRanges, list[int]] = {}
        for index, day in enumerate(table.days):
            if day:
                groups.setdefault(tuple(sorted(day)), []).append(index)
        rules = [f"{_day_list(indexes)} {','.join(map(str, day))}" for day, indexes in groups.items()]
    if table.holidays_closed:
        rules.append("PH off")
    return "; ".join(rules)


def _days_of(selector: str) -> tuple[list[int], bool]:
    """« Mo-Fr,Su,PH » → ([0, 1, 2, 3, 4, 6], True): the weekdays named, and whether PH is among them."""
    indexes: list[int] = []
    holidays = False
    for item in selector.split(","):
        if item == "PH":
            holidays = True
            continue
        match = _DAY_RANGE.match(item)
        if match is None:
            raise NotWeekly(_("« %(part)s » n'est pas un jour de la semaine.") % {"part": item})
        first = OSM_DAYS.index(match.group(1))
        last = OSM_DAYS.index(match.group(2)) if match.group(2) else first
        span = (last - first) % 7  # « Fr-Mo » runs over the weekend
        indexes.extend((first + step) % 7 for step in range(span + 1))
    return indexes, holidays


def _ranges_of(times: str) -> DayRanges:
    ranges = []
    for part in times.split(","):
        match = _TIME_RANGE.match(part)
        if match is None:
            raise NotWeekly(_("« %(part)s » n'est pas une plage horaire.") % {"part": part})
        start, end = clock_minutes(match.group(1)), clock_minutes(match.group(2))
        if start >= MIDNIGHT_MINUTES or start == end or (end < start and end > LATEST_NIGHT_END):
            raise NotWeekly(_("La plage « %(part)s » ne tient pas dans une journée.") % {"part": part})
        ranges.append(TimeRange(start, end))
    if len(ranges) > MAX_RANGES:
        raise NotWeekly(_("Un jour a plus de %(max)s plages horaires.") % {"max": MAX_RANGES})
    ordered = tuple(sorted(ranges))
    for earlier, later in pairwise(ordered):
        if earlier.end < earlier.start or later.start < earlier.end:
            raise NotWeekly(_("Deux plages horaires se chevauchent."))
    return ordered


def _read_week_table(expression: str) -> WeekTable:
    text = " ".join(expression.split())
    if not text:
        return WeekTable()
    for pattern, feature in _FEATURES:
        if pattern.search(text):
            raise NotWeekly(
                _("Ces horaires utilisent %(feature)s, que le tableau jour par jour ne sait pas montrer.")
                % {"feature": feature}
            )
    days: list[DayRanges] = [CLOSED_DAY] * 7
    holidays_closed = False
    for rule in (part.strip() for part in text.split(";")):
        if not rule:
            continue
        rule = re.sub(r"\s*([,-])\s*", r"\1", rule)  # « Mo - Fr 09:00-12:00, 14:00-18:00 »
        if holidays_closed:  # a rule after « PH off » would reopen the holidays it falls on
            raise NotWeekly(_("La règle des jours fériés n'est pas la dernière."))
        if rule == "24/7":
            days = [(TimeRange(0, MIDNIGHT_MINUTES),)] * 7
            continue
        words = rule.split(" ")
        if len(words) == 1:  # « 09:00-18:00 »: every day
            selector, value = "Mo-Su", words[0]
        elif len(words) == 2:
            selector, value = words
        else:
            raise NotWeekly(
                _("La règle « %(rule)s » n'est pas de la forme « jours heures ».") % {"rule": rule}
            )
        indexes, holidays = _days_of(selector)
        if value in _OFF:
            ranges = CLOSED_DAY
        elif holidays:  # « PH 10:00-12:00 »: the feature check above already refused it
            raise NotWeekly(_("Des horaires particuliers les jours fériés ne tiennent pas dans le tableau."))
        else:
            ranges = _ranges_of(value)
        if holidays:
            holidays_closed = True
        for index in indexes:  # a later rule replaces what an earlier one said of the same day
            days[index] = ranges
    return WeekTable(days=tuple(days), holidays_closed=holidays_closed)


def _reference_openings(expression: str) -> list[Interval] | None:
    """The open intervals of `expression` over the reference fortnight, touching ones merged; None when
    the library cannot read it or some hours are unknown (then no table can mean the same)."""
    hours = readable(expression or "off", _REFERENCE_TZ)
    if hours is None:
        return None
    merged: list[Interval] = []
    for start, end, state, _comment in hours.intervals(*_REFERENCE):
        if state == opening_hours.State.UNKNOWN:
            return None
        if state != opening_hours.State.OPEN:
            continue
        if merged and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def week_table(expression: str) -> WeekTable:
    """The week table `expression` means, or NotWeekly (with its French reason) when a table cannot show
    it."""
    text = " ".join(expression.split())
    if text and not valid_expression(text):
        raise NotWeekly(_("Ces horaires sont illisibles : corrigez-les ci-dessous."))
    table = _read_week_table(text)
    openings = _reference_openings(text)
    if openings is None or openings != _reference_openings(week_table_expression(table)):
        raise NotWeekly(
            _("Ces horaires contiennent des règles que le tableau jour par jour ne sait pas montrer.")
        )
    return table


def week_table_or_reason(expression: str) -> tuple[WeekTable | None, str]:
    """(the table, "") when `expression` can be shown day by day, else (None, why not in French)."""
    try:
        return week_table(expression), ""
    except NotWeekly as refusal:
        return None, refusal.reason
