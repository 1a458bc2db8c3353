"""Opening hours as a week table, and back to the OpenStreetMap expression: pure functions.

A `WeekTable` says, for each day from Monday, whether the place is closed or open with one or two time
ranges, and whether it closes on public holidays. It is what a merchant fills in day by day; the expression
(« Tu-Sa 09:00-12:30,14:00-19:00; PH off ») is what the platform stores and every other face reads.

`to_expression` writes the compact form people write by hand (days with the same hours grouped, « Mo-Fr »
for three days in a row or more). `from_expression` reads back the common forms; for anything a table
cannot show (week numbers, months, dates, school holidays, sunrise, three ranges a day…) it raises
`NotWeekly` with the reason in French, and the raw expression stays the way to change those hours. What it
reads is checked against the opening-hours library on a reference fortnight, so the table never shows
hours other than the ones the expression means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from itertools import pairwise

import opening_hours
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
DAY_NAMES = (_("lundi"), _("mardi"), _("mercredi"), _("jeudi"), _("vendredi"), _("samedi"), _("dimanche"))
MAX_RANGES = 2
MIDNIGHT = 24 * 60
# A range that ends before it starts runs past midnight (a bar's night), but only this far into the next day;
# later than that, it is a typing slip (« 14:00-12:00 »), refused by `check_range`.
LATEST_NIGHT_END = 6 * 60
# A fortnight with two French public holidays (1 and 8 May 2025, Thursdays), on which an expression and its
# table must mean the same.
_REFERENCE = (datetime(2025, 4, 28), datetime(2025, 5, 12))
# What the opening-hours library raises on an expression it cannot read (not in its type stubs).
_UNREADABLE: tuple[type[Exception], ...] = (getattr(opening_hours, "ParserError", SyntaxError), ValueError)

_TIME = r"(?:[01]\d|2[0-4]):[0-5]\d"
_TIME_RANGE = re.compile(rf"^({_TIME})-({_TIME})$")
_DAY_RANGE = re.compile(r"^(Mo|Tu|We|Th|Fr|Sa|Su)(?:-(Mo|Tu|We|Th|Fr|Sa|Su))?$")
_OFF = {"off", "closed"}
# Things people write that a week table cannot hold, and how to say so.
_FEATURES: tuple[tuple[re.Pattern[str], Promise], ...] = (
    (re.compile(r"\bweek\b"), _("des numéros de semaine")),
    (re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b"), _("des mois ou des dates")),
    (re.compile(r"\b\d{4}\b"), _("des années")),
    (re.compile(r"\bSH\b"), _("les vacances scolaires")),
    (re.compile(r"\b(sunrise|sunset|dawn|dusk)\b"), _("le lever ou le coucher du soleil")),
    (re.compile(r"\[[^\]]*\]"), _("des semaines du mois (« le premier lundi »)")),
    (re.compile(r"\beaster\b"), _("Pâques")),
    (re.compile(r'"'), _("des commentaires")),
    (re.compile(r"\|\|"), _("des règles de repli (« || »)")),
    (re.compile(r"\+"), _("une heure de fermeture ouverte (« + »)")),
    (re.compile(r"\bPH\s+(?!off\b|closed\b)"), _("des horaires particuliers les jours fériés")),
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
        return f"{_clock(self.start)}-{_clock(self.end)}"


Day = tuple[TimeRange, ...]
CLOSED: Day = ()


@dataclass(frozen=True)
class WeekTable:
    """Each day's ranges, Monday first (empty: closed), and whether public holidays are closed."""

    days: tuple[Day, ...] = field(default=(CLOSED,) * 7)
    holidays_closed: bool = False

    def __post_init__(self) -> None:
        if len(self.days) != len(DAYS):
            raise ValueError("a week table has seven days")

    @property
    def is_empty(self) -> bool:
        return not any(self.days)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def minutes(clock: str) -> int:
    """« 09:30 » → 570."""
    hours, mins = clock.split(":")
    return int(hours) * 60 + int(mins)


def check_range(start: int, end: int) -> TimeRange:
    """A range from minutes typed in a form, an end at 00:00 meaning midnight; ValueError if it makes no
    sense."""
    if end == 0:
        end = MIDNIGHT
    if not (0 <= start < MIDNIGHT and 0 < end <= MIDNIGHT) or start == end:
        raise ValueError("empty range")
    if end < start and end > LATEST_NIGHT_END:
        raise ValueError("ends before it starts")
    return TimeRange(start, end)


# --- Table → expression ----------------------------------------------------------------------------------


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
            parts.append(f"{DAYS[run[0]]}-{DAYS[run[-1]]}")
        else:
            parts.extend(DAYS[index] for index in run)
    return ",".join(parts)


def to_expression(table: WeekTable) -> str:
    """The compact OpenStreetMap expression of `table`: « Mo-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00;
    PH off ». Empty when no day is open (nothing said about the hours)."""
    if table.is_empty:
        return ""
    full_day = (TimeRange(0, MIDNIGHT),)
    if all(day == full_day for day in table.days):
        rules = ["24/7"]
    else:
        groups: dict[Day, list[int]] = {}
        for index, day in enumerate(table.days):
            if day:
                groups.setdefault(tuple(sorted(day)), []).append(index)
        rules = [f"{_day_list(indexes)} {','.join(map(str, day))}" for day, indexes in groups.items()]
    if table.holidays_closed:
        rules.append("PH off")
    return "; ".join(rules)


# --- Expression → table ----------------------------------------------------------------------------------


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
            raise NotWeekly(str(_("« %(part)s » n'est pas un jour de la semaine.") % {"part": item}))
        first = DAYS.index(match.group(1))
        last = DAYS.index(match.group(2)) if match.group(2) else first
        span = (last - first) % 7  # « Fr-Mo » runs over the weekend
        indexes.extend((first + step) % 7 for step in range(span + 1))
    return indexes, holidays


def _ranges_of(times: str) -> Day:
    ranges = []
    for part in times.split(","):
        match = _TIME_RANGE.match(part)
        if match is None:
            raise NotWeekly(str(_("« %(part)s » n'est pas une plage horaire.") % {"part": part}))
        start, end = minutes(match.group(1)), minutes(match.group(2))
        if start >= MIDNIGHT or start == end or (end < start and end > LATEST_NIGHT_END):
            raise NotWeekly(str(_("La plage « %(part)s » ne tient pas dans une journée.") % {"part": part}))
        ranges.append(TimeRange(start, end))
    if len(ranges) > MAX_RANGES:
        raise NotWeekly(
            str(_("Un jour a plus de %(max)s plages horaires.") % {"max": MAX_RANGES}),
        )
    ordered = tuple(sorted(ranges))
    for earlier, later in pairwise(ordered):
        if earlier.end < earlier.start or later.start < earlier.end:
            raise NotWeekly(str(_("Deux plages horaires se chevauchent.")))
    return ordered


def _read(expression: str) -> WeekTable:
    text = " ".join(expression.split())
    if not text:
        return WeekTable()
    for pattern, feature in _FEATURES:
        if pattern.search(text):
            raise NotWeekly(
                str(
                    _("Ces horaires utilisent %(feature)s, que le tableau jour par jour ne sait pas montrer.")
                )
                % {"feature": feature}
            )
    days: list[Day] = [CLOSED] * 7
    holidays_closed = False
    for rule in (part.strip() for part in text.split(";")):
        if not rule:
            continue
        rule = re.sub(r"\s*([,-])\s*", r"\1", rule)  # « Mo - Fr 09:00-12:00, 14:00-18:00 »
        if holidays_closed:  # a rule after « PH off » would reopen the holidays it falls on
            raise NotWeekly(str(_("La règle des jours fériés n'est pas la dernière.")))
        if rule == "24/7":
            days = [(TimeRange(0, MIDNIGHT),)] * 7
            continue
        words = rule.split(" ")
        if len(words) == 1:  # « 09:00-18:00 »: every day
            selector, value = "Mo-Su", words[0]
        elif len(words) == 2:
            selector, value = words
        else:
            raise NotWeekly(
                str(_("La règle « %(rule)s » n'est pas de la forme « jours heures ».") % {"rule": rule})
            )
        indexes, holidays = _days_of(selector)
        if value in _OFF:
            ranges = CLOSED
        elif holidays:  # « PH 10:00-12:00 »: the feature check above already refused it
            raise NotWeekly(
                str(_("Des horaires particuliers les jours fériés ne tiennent pas dans le tableau."))
            )
        else:
            ranges = _ranges_of(value)
        if holidays:
            holidays_closed = True
        for index in indexes:  # a later rule replaces what an earlier one said of the same day
            days[index] = ranges
    return WeekTable(days=tuple(days), holidays_closed=holidays_closed)


def _open_intervals(expression: str) -> list[tuple[datetime, datetime]]:
    parsed = opening_hours.OpeningHours(expression or "off", country="FR")
    merged: list[tuple[datetime, datetime]] = []
    for start, end, state, _comment in parsed.intervals(*_REFERENCE):
        if state == opening_hours.State.UNKNOWN:
            raise NotWeekly(str(_("Certaines heures de ces horaires sont indiquées comme inconnues.")))
        if state != opening_hours.State.OPEN:
            continue
        if merged and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


@lru_cache(maxsize=1024)
def from_expression(expression: str) -> WeekTable:
    """The week table `expression` means, or NotWeekly (with its French reason) when a table cannot show
    it."""
    text = " ".join(expression.split())
    if text and not opening_hours.validate(text):
        raise NotWeekly(str(_("Ces horaires sont illisibles : corrigez-les ci-dessous.")))
    table = _read(text)
    try:
        same = _open_intervals(text) == _open_intervals(to_expression(table))
    except _UNREADABLE:
        same = False
    if not same:
        raise NotWeekly(
            str(_("Ces horaires contiennent des règles que le tableau jour par jour ne sait pas montrer."))
        )
    return table


def week_or_reason(expression: str) -> tuple[WeekTable | None, str]:
    """(the table, "") when `expression` can be shown day by day, else (None, why not in French)."""
    try:
        return from_expression(expression), ""
    except NotWeekly as refusal:
        return None, refusal.reason
