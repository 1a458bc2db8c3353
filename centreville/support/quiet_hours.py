"""Quiet hours: the quarters of an hour a merchant can give to a coaching meeting.

Merchants work in micro-moments between two customers, so a coaching meeting is 15 minutes long and is
offered only in the shop's quiet hours. The rule, on the town's clock (Europe/Paris for French towns):

1. **The merchant's preference comes first.** When the merchant said when suits them (« le mardi de
   14 h à 16 h »), the quiet hours are that window on that weekday, every week, whatever the opening
   hours: the merchant knows their own slow moments.
2. **Otherwise they come from the shop's opening hours** (`shops.hours`: public holidays and the shop's
   exceptional closures applied, so a closed day offers nothing):
   a. the first 30 minutes of each opening, every open day (09:00–09:30 for a shop opening at nine,
      14:00–14:30 when it reopens after lunch): the shop is ready and customers have not come yet;
   b. the slow mid-afternoon, 14:30–16:30 while the shop is open, Monday to Friday only (Saturday is the
      busy day: it keeps only its first half-hours).
3. **A shop without hours** (none given, or unreadable) is taken to open like most town-centre shops,
   `DEFAULT_HOURS`: Tuesday to Saturday 09:00–12:00 and 14:00–19:00, public holidays closed. Rule 2 then
   gives Tuesday to Friday 09:00–09:30 and 14:00–16:30, Saturday 09:00–09:30 and 14:00–14:30, nothing on
   Sunday and Monday.

The slots offered are the quarter hours (:00, :15, :30, :45) whose 15 minutes lie wholly inside the quiet
hours, starting at least `MIN_NOTICE` after the moment of the request and on one of the `DAYS_AHEAD` days
from that moment's day (that day included), and overlapping no meeting already booked or held by the
expert or by the shop. Every window is built from wall-clock times on its own day in the town's time zone,
and slots are stepped in UTC, so the two clock changes of the year move nothing: a shop opening at 09:00
offers 09:00 on the Sunday the clocks go forward as on the Saturday before.

Nothing here reads the clock or the database: `coaching.meeting_slots()` gathers what it needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from centreville.shops import hours

SLOT = timedelta(minutes=15)
FIRST_MINUTES = timedelta(minutes=30)
MID_AFTERNOON = (time(14, 30), time(16, 30))
MID_AFTERNOON_DAYS = frozenset(range(5))  # Monday (0) to Friday (4)
DEFAULT_HOURS = "Tu-Sa 09:00-12:00,14:00-19:00; PH off"
DAYS_AHEAD = 14
MIN_NOTICE = timedelta(hours=2)

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Preference:
    """The merchant's stated quiet moment: a weekday (0 = Monday) and a window on the clock."""

    weekday: int
    start: time
    end: time


def _wall(day: date, clock: time, tz: ZoneInfo) -> datetime:
    """A wall-clock time on a day, in UTC (a time the clock skips or repeats is read before the change)."""
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _days(first: date, count: int) -> list[date]:
    return [first + timedelta(days=n) for n in range(count)]


def quiet_windows(
    *,
    opening_hours: str,
    tz_name: str,
    first: date,
    days: int = DAYS_AHEAD,
    closures: Sequence[tuple[date, date]] = (),
    preference: Preference | None = None,
) -> list[Interval]:
    """The quiet hours of `days` days from `first` (included), in UTC, merged and in order (see the rule
    above)."""
    tz = ZoneInfo(tz_name)
    if preference is not None:
        return _merge(
            (_wall(day, preference.start, tz), _wall(day, preference.end, tz))
            for day in _days(first, days)
            if day.weekday() == preference.weekday
        )
    parsed = hours.readable(opening_hours, tz_name, closures=closures) if opening_hours else None
    if parsed is None:
        parsed = hours.readable(DEFAULT_HOURS, tz_name, closures=closures)
        assert parsed is not None
    start = hours.midnight(first, tz)
    end = hours.midnight(first + timedelta(days=days), tz)
    openings = [
        (begin.astimezone(UTC), finish.astimezone(UTC))
        for begin, finish in hours.open_intervals(parsed, start, end)
    ]
    openings = _merge(openings)
    windows: list[Interval] = []
    for begin, finish in openings:
        windows.append((begin, min(finish, begin + FIRST_MINUTES)))
    for day in _days(first, days):
        if day.weekday() not in MID_AFTERNOON_DAYS:
            continue
        calm_start, calm_end = _wall(day, MID_AFTERNOON[0], tz), _wall(day, MID_AFTERNOON[1], tz)
        for begin, finish in openings:
            low, high = max(begin, calm_start), min(finish, calm_end)
            if low < high:
                windows.append((low, high))
    return _merge(windows)


def _ceil_to_slot(moment: datetime) -> datetime:
    """The first quarter hour at or after `moment` (quarters fall at the same instants in UTC and in every
    time zone whose offset is whole or half hours)."""
    moment = moment.astimezone(UTC).replace(second=0, microsecond=0) + (
        timedelta(minutes=1) if moment.second or moment.microsecond else timedelta(0)
    )
    extra = moment.minute % 15
    return moment if not extra else moment + timedelta(minutes=15 - extra)


def free_slots(
    *, windows: Sequence[Interval], busy: Iterable[Interval], not_before: datetime
) -> list[datetime]:
    """The starts of the 15-minute slots inside `windows`, from `not_before`, clear of every `busy` interval;
    in UTC, in order."""
    taken = _merge((start.astimezone(UTC), end.astimezone(UTC)) for start, end in busy)
    slots = []
    for window_start, window_end in windows:
        start = _ceil_to_slot(max(window_start, not_before))
        while start + SLOT <= window_end:
            end = start + SLOT
            if not any(low < end and start < high for low, high in taken):
                slots.append(start)
            start = end
    return slots


def quiet_slots(
    *,
    opening_hours: str,
    tz_name: str,
    at: datetime,
    busy: Iterable[Interval] = (),
    closures: Sequence[tuple[date, date]] = (),
    preference: Preference | None = None,
    days: int = DAYS_AHEAD,
) -> list[datetime]:
    """The slots offered at `at`: quiet, at least `MIN_NOTICE` ahead, within `days` days, not `busy`; each in
    the town's time zone."""
    tz = ZoneInfo(tz_name)
    windows = quiet_windows(
        opening_hours=opening_hours,
        tz_name=tz_name,
        first=at.astimezone(tz).date(),
        days=days,
        closures=closures,
        preference=preference,
    )
    return [
        slot.astimezone(tz) for slot in free_slots(windows=windows, busy=busy, not_before=at + MIN_NOTICE)
    ]
