"""Cutting a shop's opening hours into pickup slots, in its town's time zone.

The same cut serves the slots offered to customers and the check made when one is reserved, so that a
slot is accepted exactly when it would have been offered.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import opening_hours

from centreville.shops.models import Shop, ShopClosure
from centreville.shops.opening import closures_rule

# What the opening-hours library raises on an expression it cannot read (not in its type stubs).
UNREADABLE_HOURS: type[Exception] = getattr(opening_hours, "ParserError", SyntaxError)
# How far ahead a slot may be reserved, whatever the number of days a page shows.
BOOKING_DAYS = 14


@lru_cache(maxsize=2048)
def _hours(expression: str, tz_name: str) -> opening_hours.OpeningHours:
    # Country FR: "PH off" closes the shop on French public holidays.
    return opening_hours.OpeningHours(expression, timezone=ZoneInfo(tz_name), country="FR")


def readable_hours(expression: str, tz_name: str) -> opening_hours.OpeningHours | None:
    """The parsed expression, or None when it is empty or cannot be read."""
    if not expression.strip():
        return None
    try:
        return _hours(expression, tz_name)
    except (UNREADABLE_HOURS, ValueError):
        return None


def shop_hours(shop: Shop, *, today: date) -> opening_hours.OpeningHours | None:
    """The shop's regular hours with its exceptional closures not over yet (one query), or None."""
    if readable_hours(shop.opening_hours, shop.town.timezone) is None:
        return None
    closures = ShopClosure.objects.filter(shop=shop, end_date__gte=today).order_by("start_date", "pk")
    rule = closures_rule(closures.values_list("start_date", "end_date"))
    return readable_hours(shop.opening_hours + rule, shop.town.timezone)


def midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def cut_slots(
    hours: opening_hours.OpeningHours,
    tz: ZoneInfo,
    *,
    first_day: date,
    days: int,
    minutes: int,
    earliest: datetime,
) -> list[tuple[datetime, datetime]]:
    """Slots of `minutes` inside the opening intervals of each day, each interval cut from its start.

    Slots start no earlier than `earliest`; a slot never runs past the end of an opening (nor past
    midnight). Arithmetic is done in UTC so that slots keep their length across a change of time.
    """
    length = timedelta(minutes=minutes)
    slots: list[tuple[datetime, datetime]] = []
    for n in range(days):
        start = midnight(first_day + timedelta(days=n), tz)
        end = midnight(first_day + timedelta(days=n + 1), tz)
        for begin, finish, state, _comment in hours.intervals(start, end):
            if state != opening_hours.State.OPEN:
                continue
            slots.extend(_cut(begin, finish, length, earliest, tz))
    return slots


def _cut(
    begin: datetime, finish: datetime, length: timedelta, earliest: datetime, tz: ZoneInfo
) -> Iterable[tuple[datetime, datetime]]:
    moment, finish = begin.astimezone(UTC), finish.astimezone(UTC)
    while moment + length <= finish:
        if moment >= earliest:
            yield moment.astimezone(tz), (moment + length).astimezone(tz)
        moment += length
