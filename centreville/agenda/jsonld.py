"""schema.org JSON-LD of an event's page: an `Event` (or a more precise type), its dates with their offset,
its place, status, offers, and how it repeats (`eventSchedule`); an offer names its town event
(`superEvent`), a town event its shops' offers (`subEvent`).

Serialised by `shops.seo.ld_json`, which escapes `<`, `>` and `&` so that nothing closes the script.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from centreville.shops.seo import SCHEMA, business_id, summary

from .models import Event, EventKind, EventStatus, PlaceKind
from .recurrence import parse_rule
from .selectors import EventPage

# The most precise schema.org type of each kind.
SCHEMA_TYPES = {
    EventKind.MARKET: "Event",
    EventKind.FESTIVAL: "Festival",
    EventKind.CHRISTMAS_MARKET: "Festival",
    EventKind.CONCERT: "MusicEvent",
    EventKind.EXHIBITION: "ExhibitionEvent",
    EventKind.OTHER: "Event",
    EventKind.BRADERIE: "SaleEvent",
    EventKind.LATE_OPENING: "SaleEvent",
    EventKind.SUNDAY_OPENING: "SaleEvent",
    EventKind.PROMOTION: "SaleEvent",
    EventKind.TASTING: "FoodEvent",
    EventKind.WORKSHOP: "EducationEvent",
}
_FREQUENCIES = {"DAILY": "D", "WEEKLY": "W", "MONTHLY": "M", "YEARLY": "Y"}
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def schema_type(event: Event) -> str:
    return SCHEMA_TYPES.get(EventKind(event.kind), "Event")


def moment(value: datetime, event: Event) -> str:
    """ISO 8601 with the offset of the event's time zone (a date alone for an all-day event)."""
    local = value.astimezone(ZoneInfo(event.timezone))
    return local.date().isoformat() if event.all_day else local.isoformat()


def event_status(event: Event) -> str:
    if event.status == EventStatus.CANCELLED:
        return f"{SCHEMA}/EventCancelled"
    if event.status == EventStatus.POSTPONED:
        # With its new date known the event is rescheduled; without it, postponed.
        return f"{SCHEMA}/EventRescheduled" if event.previous_starts_at else f"{SCHEMA}/EventPostponed"
    return f"{SCHEMA}/EventScheduled"


def place(event: Event, *, town_name: str, postcode: str, shop_url: str) -> dict[str, Any]:
    """schema.org Place: the shop, the venue, or the town centre, with its address and position when known."""
    town = event.town
    if event.place_kind == PlaceKind.SHOP and event.shop is not None:
        shop = event.shop
        data: dict[str, Any] = {
            "@type": "Place",
            "@id": business_id(shop_url),
            "name": shop.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": shop.street_address,
                "postalCode": shop.postcode,
                "addressLocality": shop.city,
                "addressCountry": "FR",
            },
        }
        latitude, longitude = shop.latitude, shop.longitude
    else:
        is_centre = event.place_kind == PlaceKind.CENTRE
        address: dict[str, Any] = {
            "@type": "PostalAddress",
            "addressLocality": town_name,
            "addressCountry": "FR",
        }
        if event.address and not is_centre:
            address["streetAddress"] = event.address
        if postcode:
            address["postalCode"] = postcode
        data = {
            "@type": "Place",
            "name": event.venue_name or (f"Centre-ville, {town_name}" if is_centre else town_name),
            "address": address,
        }
        latitude, longitude = event.latitude, event.longitude
        if latitude is None and is_centre:
            latitude, longitude = town.latitude, town.longitude
    if latitude is not None and longitude is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": float(latitude), "longitude": float(longitude)}
    return data


def schedule(event: Event) -> dict[str, Any] | None:
    """schema.org Schedule of a repeating event, from its rule; None when it does not repeat by a rule."""
    if not event.rrule or event.timings:
        return None
    zone = ZoneInfo(event.timezone)
    local_start = event.starts_at.astimezone(zone).replace(tzinfo=None)
    local_end = event.ends_at.astimezone(zone).replace(tzinfo=None)
    parse_rule(event.rrule, local_start=local_start)  # raises on a rule the agenda would not expand
    text = event.rrule.strip().removeprefix("RRULE:").upper()
    parts = dict(part.split("=", 1) for part in text.split(";") if "=" in part)
    data: dict[str, Any] = {
        "@type": "Schedule",
        "repeatFrequency": f"P{int(parts.get('INTERVAL', '1'))}{_FREQUENCIES[parts['FREQ']]}",
        "startDate": local_start.date().isoformat(),
        "scheduleTimezone": event.timezone,
    }
    if not event.all_day:
        data["startTime"] = local_start.strftime("%H:%M")
        data["endTime"] = local_end.strftime("%H:%M")
    days = [day for day in parts.get("BYDAY", "").split(",") if day]
    if not days and parts["FREQ"] == "WEEKLY":
        days = [_ICAL_DAYS[local_start.weekday()]]
    # A plain weekday is a schema.org DayOfWeek; « the last Saturday » (-1SA) stays iCalendar's text, which
    # schema.org accepts.
    by_day = [f"{SCHEMA}/{_DAYS[_ICAL_DAYS.index(day)]}" if day in _ICAL_DAYS else day for day in days]
    if by_day:
        data["byDay"] = by_day if len(by_day) > 1 else by_day[0]
    if "BYMONTHDAY" in parts:
        data["byMonthDay"] = [int(day) for day in parts["BYMONTHDAY"].split(",")]
    if "BYMONTH" in parts:
        data["byMonth"] = [int(month) for month in parts["BYMONTH"].split(",")]
    if "COUNT" in parts:
        data["repeatCount"] = int(parts["COUNT"])
    if "UNTIL" in parts:
        until = parts["UNTIL"]
        data["endDate"] = date(int(until[:4]), int(until[4:6]), int(until[6:8])).isoformat()
    if event.exdates:
        data["exceptDate"] = [_except_date(value, event) for value in event.exdates]
    return data


def _except_date(value: str, event: Event) -> str:
    if "T" not in value:
        return date.fromisoformat(value).isoformat()
    local = datetime.fromisoformat(value)
    return (
        local.replace(tzinfo=ZoneInfo(event.timezone)).isoformat()
        if local.tzinfo is None
        else local.isoformat()
    )


def event_json_ld(
    content: EventPage,
    *,
    url: str,
    image: str,
    town_name: str,
    town_url: str,
    postcode: str,
    shop_url: str,
    parent_url: str,
    offer_urls: dict[int, str],
) -> dict[str, Any]:
    """schema.org data of an event's page; `shop_url`, `parent_url`, `offer_urls` are absolute addresses."""
    event = content.event
    shown = content.shown_date or (event.starts_at, event.ends_at)
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": schema_type(event),
        "@id": f"{url}#evenement",
        "name": event.title,
        "url": url,
        "startDate": moment(shown[0], event),
        "endDate": moment(shown[1], event),
        "eventStatus": event_status(event),
        "eventAttendanceMode": f"{SCHEMA}/OfflineEventAttendanceMode",
        "location": place(event, town_name=town_name, postcode=postcode, shop_url=shop_url),
        "isAccessibleForFree": event.is_free,
    }
    if event.description:
        data["description"] = summary(event.description)
    if image:
        data["image"] = [image]
    if event.status == EventStatus.POSTPONED and event.previous_starts_at:
        data["previousStartDate"] = moment(event.previous_starts_at, event)
    repeats = schedule(event)
    if repeats is not None:
        data["eventSchedule"] = repeats
    offer: dict[str, Any] = {
        "@type": "Offer",
        "priceCurrency": "EUR",
        "availability": f"{SCHEMA}/{'SoldOut' if event.status == EventStatus.FULL else 'InStock'}",
        "url": event.registration_url or url,
    }
    if event.is_free:
        offer["price"] = "0"
    elif event.price is not None:
        offer["price"] = f"{event.price:.2f}"
    data["offers"] = offer
    if event.shop is not None:
        data["organizer"] = {
            "@type": "Organization",
            "@id": business_id(shop_url),
            "name": event.shop.name,
            "url": shop_url,
        }
    elif event.organiser_name:
        data["organizer"] = {"@type": "Organization", "name": event.organiser_name}
    else:
        data["organizer"] = {"@type": "Organization", "name": town_name, "url": town_url}
    if content.parent is not None:
        parent = content.parent
        data["superEvent"] = {
            "@type": schema_type(parent),
            "@id": f"{parent_url}#evenement",
            "name": parent.title,
            "url": parent_url,
        }
    if content.offers:
        data["subEvent"] = [
            {
                "@type": schema_type(offer_in.event),
                "@id": f"{offer_urls[offer_in.event.pk]}#evenement",
                "name": offer_in.event.title,
                "url": offer_urls[offer_in.event.pk],
                **({"startDate": moment(offer_in.dates[0][0], offer_in.event)} if offer_in.dates else {}),
            }
            for offer_in in content.offers
        ]
    return data
