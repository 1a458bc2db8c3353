"""Reads of the agenda for pages, feeds, the newsletter and the observatory: plain data."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.core.paginator import Page, Paginator
from django.db import connection, models
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils.text import slugify

from centreville.parking.selectors import LIVE_FOR, NearbyCarPark, nearest_car_parks
from centreville.shops.models import ShopStatus
from centreville.towns.models import Town

from .models import (
    OFFER_KINDS,
    SHOPPING_KINDS,
    TOWN_KINDS,
    Accessibility,
    Audience,
    Event,
    EventPhoto,
    EventStatus,
    Occurrence,
    Publication,
)


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

    @property
    def key(self) -> str:
        """The last segment of the event's public address (`agenda_public:event`)."""
        return event_key(self.event_id, self.title)


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


# --- The public pages ---------------------------------------------------------------------------------------

# Dates per page of the agenda: a phone's few screens.
PAGE_SIZE = 40
NEXT_DATES = 8
OFFER_DATES = 3
WHATS_ON_DAYS = 7
WHATS_ON_ITEMS = 6
SUB_EVENTS = 50


class Period(StrEnum):
    TODAY = "aujourdhui"
    WEEKEND = "weekend"
    WEEK = "semaine"
    MONTH = "mois"


@dataclass(frozen=True)
class AgendaRange:
    """The days an agenda page shows, on the town's clock: [first, last], and where previous/next lead.

    `previous`/`next` are the GET parameters of the neighbouring week or month ({} when there is none).
    """

    period: Period
    first: date
    last: date
    label_start: date  # the period's own first day (a month's 1st even when the page starts today)
    previous: dict[str, str]
    next: dict[str, str]


def _week_value(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _month_value(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def agenda_range(
    *, period: Period, today: date, week: date | None = None, month: date | None = None
) -> AgendaRange:
    """The days of `period` seen from `today` (town's clock): today; this weekend (Saturday and Sunday, from
    today when it is one of them); a week (Monday to Sunday: `week`'s, or this one); a month (`month`'s, or
    this one). A period that holds today starts today: what is over has left the agenda."""
    if period is Period.TODAY:
        return AgendaRange(period, today, today, today, {}, {})
    if period is Period.WEEKEND:
        saturday = today + timedelta(days=(5 - today.weekday()) % 7) if today.weekday() < 5 else today
        sunday = today + timedelta(days=6 - today.weekday())
        return AgendaRange(period, saturday, sunday, saturday, {}, {})
    if period is Period.WEEK:
        anchor = week or today
        monday = anchor - timedelta(days=anchor.weekday())
        sunday = monday + timedelta(days=6)
        return AgendaRange(
            period,
            max(monday, today) if monday <= today <= sunday else monday,
            sunday,
            monday,
            {"semaine": _week_value(monday - timedelta(days=7))},
            {"semaine": _week_value(monday + timedelta(days=7))},
        )
    anchor = month or today
    first = anchor.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    last = following - timedelta(days=1)
    preceding = (first - timedelta(days=1)).replace(day=1)
    return AgendaRange(
        Period.MONTH,
        max(first, today) if first <= today <= last else first,
        last,
        first,
        {"mois": _month_value(preceding)},
        {"mois": _month_value(following)},
    )


@dataclass(frozen=True)
class AgendaFilters:
    """What a visitor narrows the agenda to: a family of kinds (`town`, `offers`) or one kind, an audience,
    an accessibility code. Empty means everything."""

    kind: str = ""
    audience: str = ""
    accessibility: str = ""

    @property
    def active(self) -> bool:
        return bool(self.kind or self.audience or self.accessibility)

    def kinds(self) -> list[str] | None:
        if self.kind == KIND_TOWN:
            return sorted(TOWN_KINDS)
        if self.kind == KIND_OFFERS:
            return sorted(OFFER_KINDS)
        return [self.kind] if self.kind else None


KIND_TOWN = "ville"
KIND_OFFERS = "commerces"


def _json_list_has(field: str, code: str) -> Q:
    """Events whose JSON list `field` holds `code` (codes are plain words, never quoted)."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__contains": [code]})
    # SQLite has no JSON containment: the list's text holds the quoted code.
    return Q(**{f"{field}__icontains": f'"{code}"'})


def audience_matches(audience: str) -> Q:
    """The dates of events for `audience`, or for everyone: a « Tout public » show is for children too."""
    matches = _json_list_has("event__audiences", audience)
    if audience != Audience.EVERYONE:
        matches |= _json_list_has("event__audiences", Audience.EVERYONE)
    return matches


def visible_events() -> QuerySet[Event]:
    """Published events and offers, an offer only while its shop is published."""
    return Event.objects.filter(publication=Publication.PUBLISHED).filter(
        Q(shop__isnull=True) | Q(shop__status=ShopStatus.PUBLISHED)
    )


def visible_occurrences() -> Q:
    """The dates of published events and offers, an offer's only while its shop is published (joins, so that
    the planner reads the dates' index first)."""
    return Q(event__publication=Publication.PUBLISHED) & (
        Q(event__shop__isnull=True) | Q(event__shop__status=ShopStatus.PUBLISHED)
    )


def event_key(event_id: int, title: str) -> str:
    """The last segment of an event's address: its title as a slug, then its id (`marche-du-samedi-42`)."""
    slug = slugify(title)[:60].strip("-")
    return f"{slug}-{event_id}" if slug else str(event_id)


@dataclass(frozen=True)
class PageItem:
    """One date of the agenda page, with what the page says of its event."""

    event_id: int
    key: str
    title: str
    kind: str
    kind_label: str
    is_offer: bool
    status: str
    status_label: str
    previous_starts_at: datetime | None
    starts_at: datetime
    ends_at: datetime
    all_day: bool
    place_kind: str
    venue_name: str
    shop_name: str
    shop_slug: str
    is_free: bool
    price: Decimal | None
    audiences: list[str]
    audience_labels: list[str]
    accessibility_labels: list[str]
    parent_key: str
    parent_title: str
    shop_count: int  # for a town event: how many published shops' offers belong to it
    town_slug: str  # the event's own town, whose pages it lives on (a territory's agenda lists several)
    town_name: str

    @property
    def has_entry_price(self) -> bool:
        return self.kind not in SHOPPING_KINDS


@dataclass(frozen=True)
class AgendaDay:
    day: date
    items: list[PageItem]


@dataclass(frozen=True)
class AgendaPage:
    days: list[AgendaDay]
    page: Page[Occurrence]
    valid_until: datetime  # when the page stops being true (the next midnight on the town's clock)


def _labels(codes: Iterable[str], choices: type[models.TextChoices]) -> list[str]:
    known = dict(choices.choices)
    return [str(known[code]) for code in codes if code in known]


def _page_item(occurrence: Occurrence, shop_counts: dict[int, int], town: Town) -> PageItem:
    event = occurrence.event
    shop, parent = event.shop, event.parent
    parent_shown = parent is not None and parent.publication == Publication.PUBLISHED
    return PageItem(
        event_id=event.pk,
        key=event_key(event.pk, event.title),
        title=event.title,
        kind=event.kind,
        kind_label=event.get_kind_display(),
        is_offer=shop is not None,
        status=event.status,
        status_label=event.get_status_display(),
        previous_starts_at=event.previous_starts_at,
        starts_at=occurrence.starts_at,
        ends_at=occurrence.ends_at,
        all_day=event.all_day,
        place_kind=event.place_kind,
        venue_name=event.venue_name,
        shop_name=shop.name if shop else "",
        shop_slug=shop.slug if shop else "",
        is_free=event.is_free,
        price=event.price,
        audiences=list(event.audiences),
        audience_labels=_labels(event.audiences, Audience),
        accessibility_labels=_labels(event.accessibility, Accessibility),
        parent_key=event_key(parent.pk, parent.title) if parent is not None and parent_shown else "",
        parent_title=parent.title if parent is not None and parent_shown else "",
        shop_count=shop_counts.get(event.pk, 0),
        town_slug=town.slug,
        town_name=town.name,
    )


def participating_shop_counts(event_ids: Iterable[int], *, at: datetime) -> dict[int, int]:
    """For each of these town events, how many distinct published shops have a published offer in it that
    is not over at `at`: one query."""
    rows = (
        visible_events()
        .filter(parent_id__in=list(event_ids), shop__isnull=False)
        .filter(Q(last_ends_at__isnull=True) | Q(last_ends_at__gt=at))
        .values("parent_id")
        .annotate(shops=Count("shop_id", distinct=True))
        .values_list("parent_id", "shops")
    )
    return dict(rows)


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def agenda_page(
    *,
    towns: Sequence[Town],
    days: AgendaRange,
    filters: AgendaFilters,
    at: datetime,
    page_number: int | str | None = 1,
) -> AgendaPage:
    """The published events and offers of `towns` (a town, or a territory's) on `days` (on the first town's
    clock: a territory's towns share one), filtered, one page of dates grouped by day; a fixed number of
    queries whatever the number of events and towns."""
    zone = ZoneInfo(towns[0].timezone)
    by_id = {town.pk: town for town in towns}
    start, end = local_midnight(days.first, zone), local_midnight(days.last + timedelta(days=1), zone)
    occurrences = (
        Occurrence.objects.filter(town_id__in=list(by_id), ends_at__gt=start, starts_at__lt=end)
        .filter(visible_occurrences())
        .select_related("event", "event__shop", "event__parent")
        .order_by("starts_at", "event__title", "pk")
    )
    kinds = filters.kinds()
    if kinds is not None:
        occurrences = occurrences.filter(event__kind__in=kinds)
    if filters.audience:
        occurrences = occurrences.filter(audience_matches(filters.audience))
    if filters.accessibility:
        occurrences = occurrences.filter(_json_list_has("event__accessibility", filters.accessibility))
    page = Paginator(occurrences, PAGE_SIZE).get_page(page_number)
    rows = list(page.object_list)
    town_event_ids = {row.event_id for row in rows if row.event.shop_id is None}
    counts = participating_shop_counts(town_event_ids, at=at) if town_event_ids else {}
    by_day: dict[date, list[PageItem]] = defaultdict(list)
    for row in rows:
        # An item is listed on the day it starts, or on the first day shown when it started before.
        by_day[max(row.starts_at.astimezone(zone).date(), days.first)].append(
            _page_item(row, counts, by_id[row.town_id])
        )
    today = at.astimezone(zone).date()
    return AgendaPage(
        days=[AgendaDay(day, items) for day, items in sorted(by_day.items())],
        page=page,
        valid_until=local_midnight(today + timedelta(days=1), zone),
    )


# --- One event's page -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfferInEvent:
    """A shop's offer taking part in a town event, with its next dates."""

    event: Event
    key: str
    dates: list[tuple[datetime, datetime]]


@dataclass(frozen=True)
class EventPage:
    event: Event
    key: str
    photo: EventPhoto | None
    upcoming: list[tuple[datetime, datetime]]  # the next dates (NEXT_DATES at most)
    more_dates: int  # how many upcoming dates beyond those
    last_date: tuple[datetime, datetime] | None  # the last date, when none is upcoming
    parent: Event | None  # a published town event the offer belongs to
    parent_key: str
    offers: list[OfferInEvent]  # the published offers of the event, by shop name
    audience_labels: list[str]
    accessibility_labels: list[str]
    valid_until: datetime

    @property
    def is_over(self) -> bool:
        return not self.upcoming

    @property
    def last_dates(self) -> list[tuple[datetime, datetime]]:
        return [self.last_date] if self.last_date is not None else []

    @property
    def shown_date(self) -> tuple[datetime, datetime] | None:
        """The date the page leads with: the next one, else the last one."""
        return self.upcoming[0] if self.upcoming else self.last_date


def find_event(*, town_id: int, key: str) -> Event | None:
    """The town's published event or offer named by `key`: its uid, or `<slug>-<id>`; None otherwise."""
    events = visible_events().filter(town_id=town_id)
    try:
        return events.filter(uid=uuid.UUID(key)).first()
    except ValueError:
        pass
    _slug, _dash, number = key.rpartition("-")
    if not number.isdigit():
        return None
    return events.filter(pk=int(number)).first()


def event_page(*, event: Event, at: datetime) -> EventPage:
    """What an event's page shows: its next dates (exceptions respected), its photo, its town event if it is
    an offer, the shops' offers if it is a town event; a few queries."""
    event = (
        Event.objects.select_related("town", "shop", "shop__category", "parent", "photo")
        .filter(pk=event.pk)
        .get()
    )
    upcoming_rows = list(
        Occurrence.objects.filter(event=event, ends_at__gt=at)
        .order_by("starts_at")
        .values_list("starts_at", "ends_at")[: NEXT_DATES + 1]
    )
    upcoming = [(start, end) for start, end in upcoming_rows]
    more = 0
    if len(upcoming) > NEXT_DATES:
        more = Occurrence.objects.filter(event=event, ends_at__gt=at).count() - NEXT_DATES
        upcoming = upcoming[:NEXT_DATES]
    last_date = None
    if not upcoming:
        last = (
            Occurrence.objects.filter(event=event)
            .order_by("-starts_at")
            .values_list("starts_at", "ends_at")
            .first()
        )
        last_date = (last[0], last[1]) if last else (event.starts_at, event.ends_at)
    parent = (
        event.parent
        if event.parent is not None and event.parent.publication == Publication.PUBLISHED
        else None
    )
    offers: list[OfferInEvent] = []
    if event.shop_id is None:
        offers = _offers_in(event, at=at)
    try:
        photo: EventPhoto | None = event.photo
    except EventPhoto.DoesNotExist:
        photo = None
    zone = ZoneInfo(event.town.timezone)
    moments = [local_midnight(at.astimezone(zone).date() + timedelta(days=1), zone)]
    if upcoming:
        moments.append(upcoming[0][1])
    return EventPage(
        event=event,
        key=event_key(event.pk, event.title),
        photo=photo,
        upcoming=upcoming,
        more_dates=more,
        last_date=last_date,
        parent=parent,
        parent_key=event_key(parent.pk, parent.title) if parent is not None else "",
        offers=offers,
        audience_labels=_labels(event.audiences, Audience),
        accessibility_labels=_labels(event.accessibility, Accessibility),
        valid_until=min(moments),
    )


def _offers_in(event: Event, *, at: datetime) -> list[OfferInEvent]:
    """The published offers of a town event that are not over, with their next dates: two queries."""
    offers = list(
        visible_events()
        .filter(parent=event, shop__isnull=False)
        .filter(Q(last_ends_at__isnull=True) | Q(last_ends_at__gt=at))
        .select_related("shop")
        .order_by("shop__name", "starts_at", "pk")[:SUB_EVENTS]
    )
    dates: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    rows = (
        Occurrence.objects.filter(event__in=[offer.pk for offer in offers], ends_at__gt=at)
        .order_by("event_id", "starts_at")
        .values_list("event_id", "starts_at", "ends_at")
    )
    for event_id, start, end in rows:
        if len(dates[event_id]) < OFFER_DATES:
            dates[event_id].append((start, end))
    return [
        OfferInEvent(offer, event_key(offer.pk, offer.title), dates.get(offer.pk, [])) for offer in offers
    ]


# --- A shop's offers, the town's home ---------------------------------------------------------------------


@dataclass(frozen=True)
class OfferSummary:
    """An offer of a shop that is not over, with its current or next date."""

    event_id: int
    key: str
    title: str
    kind_label: str
    status: str
    status_label: str
    starts_at: datetime | None
    ends_at: datetime | None
    all_day: bool
    parent_key: str
    parent_title: str


def shop_current_offers(*, shop_id: int, at: datetime, limit: int = 5) -> list[OfferSummary]:
    """The shop's published offers not over at `at`, the soonest first, each with its current or next date;
    one query."""
    next_date = Occurrence.objects.filter(event=OuterRef("pk"), ends_at__gt=at).order_by("starts_at")
    offers = (
        visible_events()
        .filter(shop_id=shop_id)
        .filter(Q(last_ends_at__isnull=True) | Q(last_ends_at__gt=at))
        .annotate(
            next_starts_at=Subquery(next_date.values("starts_at")[:1]),
            next_ends_at=Subquery(next_date.values("ends_at")[:1]),
        )
        .filter(next_starts_at__isnull=False)
        .select_related("parent")
        .order_by("next_starts_at", "pk")[:limit]
    )
    summaries = []
    for offer in offers:
        parent = offer.parent if offer.parent and offer.parent.publication == Publication.PUBLISHED else None
        summaries.append(
            OfferSummary(
                event_id=offer.pk,
                key=event_key(offer.pk, offer.title),
                title=offer.title,
                kind_label=offer.get_kind_display(),
                status=offer.status,
                status_label=offer.get_status_display(),
                starts_at=offer.next_starts_at,
                ends_at=offer.next_ends_at,
                all_day=offer.all_day,
                parent_key=event_key(parent.pk, parent.title) if parent else "",
                parent_title=parent.title if parent else "",
            )
        )
    return summaries


def offers_valid_until(offers: Iterable[OfferSummary]) -> datetime | None:
    """Until when these offers, as `shop_current_offers` gave them, stay true: the first end of a date shown
    (the offer then moves to its next date, or leaves); None when none is shown."""
    return min((offer.ends_at for offer in offers if offer.ends_at is not None), default=None)


@dataclass(frozen=True)
class WhatsOn:
    """The town home's « ce qui se passe »: a handful of events and offers of today and the next days."""

    items: list[PageItem]
    valid_until: datetime


def whats_on(*, town_id: int, at: datetime, timezone: str | None = None) -> WhatsOn:
    """Today's and the next days' published events and offers not cancelled, each once (its next date), town
    events first on a same day; two queries (three without the town's `timezone`)."""
    if timezone is None:
        timezone = Town.objects.values_list("timezone", flat=True).get(pk=town_id)
    zone = ZoneInfo(timezone)
    today = at.astimezone(zone).date()
    end = local_midnight(today + timedelta(days=WHATS_ON_DAYS), zone)
    rows = list(
        Occurrence.objects.filter(town_id=town_id, ends_at__gt=at, starts_at__lt=end)
        .filter(visible_occurrences())
        .exclude(event__status=EventStatus.CANCELLED)
        .select_related("town", "event", "event__shop", "event__parent")
        .order_by("starts_at", "pk")[: WHATS_ON_ITEMS * 8]
    )
    chosen: list[Occurrence] = []
    seen: set[int] = set()
    for row in rows:
        if row.event_id not in seen:
            seen.add(row.event_id)
            chosen.append(row)
    chosen.sort(
        key=lambda row: (row.starts_at.astimezone(zone).date(), row.event.shop_id is not None, row.starts_at)
    )
    chosen = chosen[:WHATS_ON_ITEMS]
    town_ids = {row.event_id for row in chosen if row.event.shop_id is None}
    counts = participating_shop_counts(town_ids, at=at) if town_ids else {}
    # The block changes when a date read ends (it leaves, another may take its place) and at midnight
    # (« today » moves): the cached home lives no longer.
    moments = [local_midnight(today + timedelta(days=1), zone), *(row.ends_at for row in rows)]
    return WhatsOn(items=[_page_item(row, counts, row.town) for row in chosen], valid_until=min(moments))


@dataclass(frozen=True)
class EventParking:
    """The car parks nearest to an event: their free spaces now, and what is usual at its next date."""

    # Each car park with what is usual at the event's next date (« habituellement complet le mardi matin »).
    rows: list[tuple[NearbyCarPark, str]]
    valid_until: datetime  # live figures age fast: the page cache keeps them no longer


def event_parking(
    *, event: Event, at: datetime, next_start: datetime | None, limit: int = 3
) -> EventParking | None:
    """The `limit` car parks nearest to the event's place (its venue, its shop, or the town centre), or None
    when the place or the town's car parks are unknown."""
    if event.latitude is not None and event.longitude is not None:
        point = (event.latitude, event.longitude)
    elif event.shop is not None and event.shop.latitude is not None and event.shop.longitude is not None:
        point = (event.shop.latitude, event.shop.longitude)
    elif event.town.latitude is not None and event.town.longitude is not None:
        point = (event.town.latitude, event.town.longitude)
    else:
        return None
    now = nearest_car_parks(town_id=event.town_id, latitude=point[0], longitude=point[1], at=at, limit=limit)
    if not now:
        return None
    later = now
    if next_start is not None and next_start > at + LIVE_FOR:
        later = nearest_car_parks(
            town_id=event.town_id, latitude=point[0], longitude=point[1], at=next_start, limit=limit
        )
    usual = {car_park.pk: car_park.usual_words for car_park in later}
    return EventParking(
        rows=[(car_park, usual.get(car_park.pk, "")) for car_park in now], valid_until=at + LIVE_FOR
    )
