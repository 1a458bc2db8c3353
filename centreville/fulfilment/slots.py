"""Cutting a shop's opening hours into pickup slots, in its town's time zone.

Slots are offered over the shop's next open days (at least a week of days with opening hours, however
many closed days, holidays or closures lie between), from the end of its preparation time. The same cut
serves the slots offered to customers and the check made when one is reserved, so that a slot is
accepted exactly when it would have been offered.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from centreville.shops.hours import Day, ParsedHours, local_date, opening_days, readable
from centreville.shops.models import Shop, ShopClosure

# Pickup is offered on this many days that have opening hours, as far ahead as they are found…
OPEN_DAYS = 7
# …but never further than this (a shop on a long closure that takes orders for after it).
LOOKAHEAD_DAYS = 62


def shop_hours(shop: Shop, *, at: datetime, expression: str = "") -> ParsedHours | None:
    """The shop's hours (or `expression`, its delivery hours say) with its exceptional closures not over at
    `at` (one query), or None when there are no readable hours."""
    expression = expression or shop.opening_hours
    if readable(expression, shop.town.timezone) is None:
        return None
    today = local_date(at, shop.town.timezone)
    closures = ShopClosure.objects.filter(shop=shop, end_date__gte=today).order_by("start_date", "pk")
    return readable(expression, shop.town.timezone, closures=closures.values_list("start_date", "end_date"))


def cut_slots(days: Iterable[Day], *, minutes: int, earliest: datetime) -> list[tuple[datetime, datetime]]:
    """Slots of `minutes` inside each opening of these days, each opening cut from its start.

    Slots start no earlier than `earliest` and never run past the end of an opening. Arithmetic is done
    in UTC so that slots keep their length across a change of time.
    """
    length = timedelta(minutes=minutes)
    slots: list[tuple[datetime, datetime]] = []
    for day in days:
        tz = day.start.tzinfo
        for begin, finish in day.openings:
            moment, end = begin.astimezone(UTC), finish.astimezone(UTC)
            while moment + length <= end:
                if moment >= earliest:
                    slots.append((moment.astimezone(tz), (moment + length).astimezone(tz)))
                moment += length
    return slots


def offered_slots(
    shop: Shop,
    hours: ParsedHours,
    *,
    minutes: int,
    earliest: datetime,
    at: datetime,
    open_days: int = OPEN_DAYS,
) -> list[tuple[datetime, datetime]]:
    """The slots of the shop's next `open_days` days that still have a slot to offer after `earliest`."""
    days = opening_days(
        hours,
        shop.town.timezone,
        first=local_date(at, shop.town.timezone),
        wanted=open_days + 1,  # today may have no slot left
        within=LOOKAHEAD_DAYS,
    )
    slots: list[tuple[datetime, datetime]] = []
    days_with_slots = 0
    for day in days:
        day_slots = cut_slots([day], minutes=minutes, earliest=earliest)
        if day_slots:
            slots.extend(day_slots)
            days_with_slots += 1
            if days_with_slots == open_days:
                break
    return slots
