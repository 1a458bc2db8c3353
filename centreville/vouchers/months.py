"""Months on the town's clock (Europe/Paris): a programme's statements and monthly figures start and end at
local midnight on the first, whatever the clock change between."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def month_of(at: datetime) -> date:
    """The first day of the month `at` falls in, on the town's clock."""
    return at.astimezone(_zone()).date().replace(day=1)


def next_month(first_day: date) -> date:
    return date(first_day.year + first_day.month // 12, first_day.month % 12 + 1, 1)


def previous_month(first_day: date) -> date:
    return date(first_day.year - (first_day.month == 1), (first_day.month - 2) % 12 + 1, 1)


def month_span(first_day: date) -> tuple[datetime, datetime]:
    """The month's start and the next month's start, at local midnight (aware datetimes)."""
    start = datetime.combine(first_day, time.min, tzinfo=_zone())
    return start, datetime.combine(next_month(first_day), time.min, tzinfo=_zone())


def months_between(first: date, last: date) -> list[tuple[date, datetime, datetime]]:
    """Each month from `first`'s to `last`'s, as (first day, start, end): what `accounts.programme_months`
    takes."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append((month, *month_span(month)))
        month = next_month(month)
    return months
