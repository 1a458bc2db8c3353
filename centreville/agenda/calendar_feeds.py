"""The agenda as iCalendar (RFC 5545) made with `icalendar`: the town's feed, one per kind of event, one per
shop (its offers), and one file per event, for anyone to subscribe to from a phone or a diary.

Each event is one VEVENT whose UID never changes (`<Event.uid>@<public host>`), its times on its own zone
(TZID, with a VTIMEZONE for each zone used, so that every client reads the same local times), a SEQUENCE
raised at each change of dates or status, and DTSTAMP its last change (no METHOD: RFC 5545 3.8.7.2), so
that the same data always gives the same file. A rule keeps its RRULE, its skipped dates their local
start times (EXDATE, a whole day becoming the start that day); listed dates are an RDATE list on the first
one, and a date lasting otherwise than the first one is a VEVENT of its own with the same UID and its
RECURRENCE-ID (the form Google, Apple and Outlook all read, where RDATE periods are ignored by some).
Feeds list the events still going on `FEED_PAST_DAYS` days ago and later ones; a territory's lists its towns'.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from centreville.core.links import absolute_url, public_host
from centreville.shops.models import Shop
from centreville.towns.models import Town

from .models import Event, EventStatus, PlaceKind, Publication
from .recurrence import MAX_OCCURRENCES, parse_rule
from .selectors import event_key

PRODUCT_ID = "-//Centre-Ville en ligne//Agenda//FR"
FEED_PAST_DAYS = 30
# How often subscribed calendars should fetch the feed again (RFC 7986 REFRESH-INTERVAL).
REFRESH_INTERVAL = timedelta(hours=6)
EVENT_PAGE = "agenda_public:event"

_STATUS: dict[str, str] = {
    EventStatus.SCHEDULED: "CONFIRMED",
    EventStatus.FULL: "CONFIRMED",
    EventStatus.POSTPONED: "TENTATIVE",
    EventStatus.CANCELLED: "CANCELLED",
}


def event_uid(event: Event) -> str:
    """The event's UID in every calendar file, for ever."""
    host = public_host().split(":")[0] or "localhost"
    return f"{event.uid}@{host}"


def event_url(event: Event, town: Town) -> str:
    """The absolute address of the event's page, under its own town."""
    return absolute_url(
        reverse(EVENT_PAGE, kwargs={"town_slug": town.slug, "key": event_key(event.pk, event.title)})
    )


@dataclass(frozen=True)
class FeedAddress:
    """A calendar file's public addresses: `url` to download it or paste it in a calendar, `webcal` the same
    address on webcal://, which phones and desktop calendars open as a subscription."""

    url: str
    webcal: str


def feed_address(path: str) -> FeedAddress:
    """The addresses of the calendar file at `path` (a feed's or an event's), on the platform's public
    address whatever host a request came through (pages holding them are cached)."""
    url = absolute_url(path)
    return FeedAddress(url=url, webcal="webcal://" + url.split("://", 1)[1])


def feed_events(
    *, towns: Sequence[Town], at: datetime, kind: str | None = None, shop: Shop | None = None
) -> QuerySet[Event]:
    """The published events (or a kind of them, or a shop's offers) of `towns` (a town, or a territory's)
    still going on in the window, with their town."""
    events = Event.objects.filter(
        town_id__in=[town.pk for town in towns], publication=Publication.PUBLISHED
    ).filter(Q(last_ends_at__isnull=True) | Q(last_ends_at__gte=window_start(at)))
    if kind is not None:
        events = events.filter(kind=kind)
    if shop is not None:
        events = events.filter(shop=shop)
    return events.select_related("town", "shop").order_by("starts_at", "pk")


def window_start(at: datetime) -> datetime:
    return at - timedelta(days=FEED_PAST_DAYS)


def agenda_calendar(*, events: Iterable[Event], name: str, since: datetime | None = None) -> bytes:
    """An iCalendar file of these events, each placed and linked in its own town (a territory's feed holds
    several); listed dates ending before `since` are left out."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    first: date | None = None
    last: date | None = None
    for event in events:
        for component in event_components(event, town=event.town, since=since):
            calendar.add_component(component)
            start = component.decoded("DTSTART")
            start_day = start.date() if isinstance(start, datetime) else start
            first = start_day if first is None else min(first, start_day)
            last = start_day if last is None else max(last, start_day)
    if first is not None and last is not None:
        # The clock changes around these events, and for some years ahead for rules without end.
        calendar.add_missing_timezones(
            first_date=date(first.year - 1, 1, 1), last_date=date(max(last.year, first.year + 2) + 1, 12, 31)
        )
    return calendar.to_ical()


# --- One event ---------------------------------------------------------------------------------------------


def _listed(event: Event, zone: ZoneInfo) -> list[tuple[datetime, datetime]]:
    pairs = []
    for start_text, end_text in event.timings:
        start, end = datetime.fromisoformat(start_text), datetime.fromisoformat(end_text)
        if start.tzinfo is not None:
            start, end = (
                start.astimezone(zone).replace(tzinfo=None),
                end.astimezone(zone).replace(tzinfo=None),
            )
        pairs.append((start, end))
    return sorted(pairs)


def _value(local: datetime, zone: ZoneInfo, *, all_day: bool) -> date | datetime:
    # fold=0: the first pass of a repeated hour, as `recurrence` reads it.
    return local.date() if all_day else local.replace(tzinfo=zone, fold=0)


def _skipped_starts(event: Event, local_start: datetime) -> list[datetime]:
    """The local start times the event's exceptions skip; a whole day is each start of the rule that day."""
    starts = {datetime.fromisoformat(value) for value in event.exdates if "T" in value}
    days = {date.fromisoformat(value) for value in event.exdates if "T" not in value}
    if days:
        last_day = max(days)
        for count, start in enumerate(parse_rule(event.rrule, local_start=local_start)):
            if start.date() > last_day or count >= MAX_OCCURRENCES:
                break
            if start.date() in days:
                starts.add(start)
    return sorted(start.replace(tzinfo=None) for start in starts)


def _rule(event: Event, zone: ZoneInfo) -> icalendar.vRecur:
    """The event's rule; a local UNTIL is written in UTC, as RFC 5545 asks when DTSTART has a TZID."""
    rule = icalendar.vRecur.from_ical(event.rrule.removeprefix("RRULE:"))
    until = rule.get("UNTIL")
    if until:
        value = until[0] if isinstance(until, list) else until
        if event.all_day and isinstance(value, datetime):
            rule["UNTIL"] = [value.date()]
        elif isinstance(value, datetime) and value.tzinfo is None:
            rule["UNTIL"] = [value.replace(tzinfo=zone).astimezone(UTC)]
        elif not event.all_day and not isinstance(value, datetime):
            rule["UNTIL"] = [datetime.combine(value, datetime.max.time(), tzinfo=zone).astimezone(UTC)]
    return rule


def _description(event: Event) -> str:
    lines = [event.description] if event.description else []
    if event.status == EventStatus.POSTPONED:
        lines.insert(0, _("Reporté : la nouvelle date sera annoncée."))
    elif event.status == EventStatus.FULL:
        lines.insert(0, _("Complet."))
    if event.shop is not None:
        lines.append(_("Une offre de %(shop)s.") % {"shop": event.shop.name})
    if event.organiser_name:
        lines.append(_("Organisé par %(name)s.") % {"name": event.organiser_name})
    return "\n\n".join(lines)


def _place(event: Event, town: Town) -> tuple[str, tuple[float, float] | None]:
    """The event's LOCATION text and GEO (latitude, longitude) when known."""
    shop = event.shop
    if event.place_kind == PlaceKind.SHOP and shop is not None:
        text = f"{shop.name}, {shop.street_address}, {shop.postcode} {shop.city}"
        latitude, longitude = event.latitude or shop.latitude, event.longitude or shop.longitude
    elif event.place_kind == PlaceKind.CENTRE and not event.venue_name:
        text = _("Centre-ville de %(town)s") % {"town": town.name}
        latitude, longitude = event.latitude, event.longitude
    else:
        parts = [event.venue_name] if event.venue_name else []
        if event.address.startswith(event.venue_name):
            parts = [event.address]  # an imported LOCATION: the name is its first part already
        elif event.address:
            parts.append(event.address)
        text = ", ".join(parts)
        latitude, longitude = event.latitude, event.longitude
    geo = (float(latitude), float(longitude)) if latitude is not None and longitude is not None else None
    return text, geo


def _base(event: Event, town: Town) -> icalendar.Event:
    component = icalendar.Event()
    component.add("uid", event_uid(event))
    changed = event.updated_at.astimezone(UTC).replace(microsecond=0)
    component.add("dtstamp", changed)
    component.add("last-modified", changed)
    component.add("summary", event.title)
    description = _description(event)
    if description:
        component.add("description", description)
    location, geo = _place(event, town)
    if location:
        component.add("location", location)
    if geo is not None:
        component.add("geo", geo)
    component.add("url", event_url(event, town))
    component.add("status", _STATUS.get(event.status, "CONFIRMED"))
    component.add("sequence", event.sequence)
    component.add("categories", [str(event.get_kind_display())])
    return component


def event_components(event: Event, *, town: Town, since: datetime | None = None) -> list[icalendar.Event]:
    """The VEVENTs of one event: one, or with listed dates one more per date that lasts otherwise."""
    zone = ZoneInfo(event.timezone)
    all_day = event.all_day
    master = _base(event, town)
    if not event.timings:
        local_start = event.starts_at.astimezone(zone).replace(tzinfo=None)
        local_end = event.ends_at.astimezone(zone).replace(tzinfo=None)
        master.add("dtstart", _value(local_start, zone, all_day=all_day))
        master.add("dtend", _end_value(local_start, local_end, zone, all_day=all_day))
        if event.rrule:
            master.add("rrule", _rule(event, zone))
            skipped = _skipped_starts(event, local_start)
            if skipped:
                master.add("exdate", [_value(start, zone, all_day=all_day) for start in skipped])
        return [master]
    pairs = _listed(event, zone)
    if since is not None:
        pairs = [(start, end) for start, end in pairs if end.replace(tzinfo=zone, fold=0) > since]
    if not pairs:
        return []
    (first_start, first_end), others = pairs[0], pairs[1:]
    master.add("dtstart", _value(first_start, zone, all_day=all_day))
    master.add("dtend", _end_value(first_start, first_end, zone, all_day=all_day))
    if others:
        master.add("rdate", [_value(start, zone, all_day=all_day) for start, _end in others])
    components = [master]
    duration = first_end - first_start
    for start, end in others:
        if end - start != duration:
            override = _base(event, town)
            override.add("recurrence-id", _value(start, zone, all_day=all_day))
            override.add("dtstart", _value(start, zone, all_day=all_day))
            override.add("dtend", _end_value(start, end, zone, all_day=all_day))
            components.append(override)
    return components


def _end_value(start: datetime, end: datetime, zone: ZoneInfo, *, all_day: bool) -> date | datetime:
    if not all_day:
        return _value(end, zone, all_day=False)
    # A whole-day event ends the day after its last day (DTEND is exclusive).
    last_day = (end - timedelta(microseconds=1)).date() if end > start else start.date()
    return last_day + timedelta(days=1)
