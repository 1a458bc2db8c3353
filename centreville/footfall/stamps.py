"""Dates and times as counter files write them, read once per distinct text, and placed on the town's clock.

Supported: French (`31/12/2022 23:00`, `31/12/2022`), ISO 8601 (`2022-12-31 23:00`, `2022-12-31T23:00:00`,
with or without seconds and offset, `Z`), and US (`Jan 1, 2022 12:00 AM`, `1/31/2022 1:00 PM`). Whether
`01/02/2022` is the 1st of February (French) or January 2nd (US) is decided once per file by `SlashOrder`.

Local times without an offset are on the town's clock (Europe/Paris): the hour skipped in March does not
exist, and the hour repeated in October is summer time the first time a file gives it, winter time the
second time (`LocalClock.instant`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$"
)
_SLASH = re.compile(
    r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"
    r"(?:[ T]+(\d{1,2})[:hH](\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?)?$"
)
_WORDY = re.compile(
    r"^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})"
    r"(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?)?$"
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


@dataclass(frozen=True)
class Stamp:
    """A date and time as a file wrote it: wall-clock fields, and its offset from UTC when it says one."""

    when: datetime  # naive
    offset: int | None  # seconds east of UTC, None for a local time
    date_only: bool


class SlashOrder:
    """Day-first (French) or month-first (US) for the numeric dates of one file, decided from the dates
    themselves: a first number above 12 means day first, a second above 12 month first; AM/PM means
    month first. Until a file says, day first."""

    def __init__(self) -> None:
        self.month_first: bool | None = None

    def observe(self, text: str) -> None:
        match = _SLASH.match(text.strip())
        if match is None:
            return
        first, second = int(match[1]), int(match[2])
        says: bool | None = None
        if match[7] or second > 12:
            says = True
        elif first > 12:
            says = False
        if says is None:
            return
        if self.month_first is None:
            self.month_first = says


def _hour(hour: int, meridiem: str | None) -> int:
    if not meridiem:
        return hour
    if not 1 <= hour <= 12:
        raise ValueError("hour out of range for AM/PM")
    is_pm = meridiem[0] in "Pp"
    return (hour % 12) + (12 if is_pm else 0)


def parse_stamp(text: str, *, month_first: bool = False) -> Stamp | None:
    """The stamp `text` holds, or None when it is no date of a supported format (or no real date)."""
    text = text.strip()
    try:
        match = _ISO.match(text)
        if match:
            year, month, day = int(match[1]), int(match[2]), int(match[3])
            hour, minute, second = int(match[4] or 0), int(match[5] or 0), int(match[6] or 0)
            offset = _offset(match[7]) if match[7] else None
            return Stamp(datetime(year, month, day, hour, minute, second), offset, match[4] is None)
        match = _SLASH.match(text)
        if match:
            first, second_number, year = int(match[1]), int(match[2]), int(match[3])
            month_first = month_first or bool(match[7])
            month, day = (first, second_number) if month_first else (second_number, first)
            hour = _hour(int(match[4] or 0), match[7])
            minute, second = int(match[5] or 0), int(match[6] or 0)
            return Stamp(datetime(year, month, day, hour, minute, second), None, match[4] is None)
        match = _WORDY.match(text)
        if match:
            named_month = _MONTHS.get(match[1].lower())
            if named_month is None:
                return None
            hour = _hour(int(match[4] or 0), match[7])
            minute, second = int(match[5] or 0), int(match[6] or 0)
            when = datetime(int(match[3]), named_month, int(match[2]), hour, minute, second)
            return Stamp(when, None, match[4] is None)
    except ValueError:  # 31/02, 25:00, 13 PM
        return None
    return None


def _offset(text: str) -> int:
    if text in ("Z", "z"):
        return 0
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 18 or minutes > 59:
        raise ValueError("offset out of range")
    return sign * (hours * 3600 + minutes * 60)


@dataclass(frozen=True)
class LocalTime:
    """Where a wall-clock time of the town falls: `earlier` and `later` differ only in the repeated hour."""

    earlier: int  # seconds since the epoch
    later: int
    exists: bool  # False in the hour skipped when clocks go forward

    @property
    def repeated(self) -> bool:
        return self.earlier != self.later


class LocalClock:
    """The town's clock: instants of wall-clock times, local days and their length, each computed once."""

    def __init__(self, timezone_name: str) -> None:
        self.zone = ZoneInfo(timezone_name)
        self.name = timezone_name
        self._times: dict[datetime, LocalTime] = {}
        self._days: dict[int, date] = {}
        self._midnights: dict[date, int] = {}

    def local_time(self, when: datetime) -> LocalTime:
        known = self._times.get(when)
        if known is None:
            earlier = int(when.replace(tzinfo=self.zone, fold=0).timestamp())
            later = int(when.replace(tzinfo=self.zone, fold=1).timestamp())
            back = datetime.fromtimestamp(earlier, self.zone).replace(tzinfo=None)
            # In the skipped hour, fold 0 reads the time with the winter offset: after the change it is
            # another wall-clock time, so that time never showed on the town's clocks.
            known = LocalTime(min(earlier, later), max(earlier, later), exists=back == when)
            self._times[when] = known
        return known

    def instant(self, stamp: Stamp, occurrence: int) -> int | None:
        """Seconds since the epoch of `stamp`, seen for the `occurrence`-th time (1, 2…) in its file; None
        when it does not exist (skipped hour) or is a duplicate (seen before; a third time for the repeated
        hour)."""
        if stamp.offset is not None:
            if occurrence > 1:
                return None
            return int(stamp.when.replace(tzinfo=UTC).timestamp()) - stamp.offset
        local = self.local_time(stamp.when)
        if not local.exists:
            return None
        if occurrence == 1:
            return local.earlier
        if occurrence == 2 and local.repeated:
            return local.later
        return None

    def day_of(self, instant: int) -> date:
        """The town's calendar day at `instant` (offsets are whole quarter hours everywhere)."""
        quarter = instant // 900
        day = self._days.get(quarter)
        if day is None:
            day = datetime.fromtimestamp(instant, self.zone).date()
            self._days[quarter] = day
        return day

    def midnight(self, day: date) -> int:
        """The instant the town's `day` begins."""
        start = self._midnights.get(day)
        if start is None:
            start = int(datetime(day.year, day.month, day.day, tzinfo=self.zone).timestamp())
            self._midnights[day] = start
        return start

    def day_seconds(self, day: date) -> int:
        """How long the town's `day` lasts: 23, 24 or 25 hours."""
        return self.midnight(day + timedelta(days=1)) - self.midnight(day)

    def hours_in_day(self, day: date) -> int:
        return self.day_seconds(day) // 3600

    def local_iso(self, instant: int) -> str:
        return datetime.fromtimestamp(instant, self.zone).isoformat()
