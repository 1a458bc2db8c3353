"""Reads of the agenda for pages, feeds, the newsletter and the observatory: plain data."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .models import TOWN_KINDS, EventStatus, Occurrence, Publication


@dataclass(frozen=True)
class AgendaItem:
    """One date of a published event or offer."""

    event_id: int
    uid: str
    title: str
    kind: str
    kind_label: str
    status: str
    shop_id: int | None
    shop_name: str
    shop_slug: str
    venue_name: str
    starts_at: datetime
    ends_at: datetime
    all_day: bool

    @property
    def is_offer(self) -> bool:
        return self.shop_id is not None


def agenda_items(
    *,
    town_id: int,
    start: datetime,
    end: datetime,
    kinds: Iterable[str] | None = None,
    shop_id: int | None = None,
    limit: int | None = None,
) -> list[AgendaItem]:
    """The dates of the town's published events and offers that overlap [start, end), in order."""
    occurrences = (
        Occurrence.objects.filter(
            town_id=town_id, ends_at__gt=start, starts_at__lt=end, event__publication=Publication.PUBLISHED
        )
        .select_related("event", "event__shop")
        .order_by("starts_at", "event_id")
    )
    if kinds is not None:
        occurrences = occurrences.filter(event__kind__in=list(kinds))
    if shop_id is not None:
        occurrences = occurrences.filter(event__shop_id=shop_id)
    if limit is not None:
        occurrences = occurrences[:limit]
    items = []
    for occurrence in occurrences:
        event = occurrence.event
        shop = event.shop
        items.append(
            AgendaItem(
                event_id=event.pk,
                uid=str(event.uid),
                title=event.title,
                kind=event.kind,
                kind_label=event.get_kind_display(),
                status=event.status,
                shop_id=event.shop_id,
                shop_name=shop.name if shop else "",
                shop_slug=shop.slug if shop else "",
                venue_name=event.venue_name,
                starts_at=occurrence.starts_at,
                ends_at=occurrence.ends_at,
                all_day=event.all_day,
            )
        )
    return items


def event_days(*, town_id: int, start: date, end: date, timezone: str) -> dict[date, list[str]]:
    """The days in [start, end] (town's clock) with a published, not cancelled town event: their titles.

    Shops' offers are not town events: a promotion does not make an event day. Nor does an event that
    comes back every week: the weekly market is the town's ordinary day, which event days are compared to.
    """
    zone = ZoneInfo(timezone)
    first = datetime.combine(start, time.min, tzinfo=zone)
    after = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    rows = (
        Occurrence.objects.filter(
            town_id=town_id,
            ends_at__gt=first,
            starts_at__lt=after,
            event__publication=Publication.PUBLISHED,
            event__kind__in=list(TOWN_KINDS),
        )
        .exclude(event__status=EventStatus.CANCELLED)
        .exclude(event__rrule__icontains="FREQ=WEEKLY")
        .values_list("starts_at", "ends_at", "event__title")
    )
    days: dict[date, list[str]] = defaultdict(list)
    for starts_at, ends_at, title in rows:
        day = max(starts_at.astimezone(zone).date(), start)
        # An event that ends at midnight does not make the next day an event day.
        last = min((ends_at - timedelta(microseconds=1)).astimezone(zone).date(), end)
        while day <= last:
            if title not in days[day]:
                days[day].append(title)
            day += timedelta(days=1)
    return dict(days)
