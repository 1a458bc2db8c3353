"""Training sessions as iCalendar (RFC 5545), made with `icalendar`: one file per session and the town's
feed, for merchants to add them to their diary (phones, Outlook, Google Calendar…).

Each session is a VEVENT with a UID that never changes (`training-<id>@<host>`), its times in the town's
time zone (TZID, with the VTIMEZONE that defines it), and a SEQUENCE raised at each change, so that
calendars replace their copy; a cancelled session stays, with STATUS:CANCELLED.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from centreville.core.links import absolute_url, public_host
from centreville.towns.models import Town

from .models import TrainingSession

PRODUCT_ID = "-//Centre-Ville en ligne//Formations des commerçants//FR"


def session_uid(session: TrainingSession) -> str:
    """The event's identifier, the same in every file and for ever."""
    host = public_host().split(":")[0] or "localhost"
    return f"training-{session.pk}@{host}"


def training_calendar(*, town: Town, sessions: Iterable[TrainingSession], at: datetime, name: str) -> bytes:
    """An iCalendar file of these sessions of the town; `at` is its time stamp (DTSTAMP)."""
    tz = ZoneInfo(town.timezone)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", town.timezone)
    first: date | None = None
    last: date | None = None
    for session in sessions:
        calendar.add_component(_event(session, tz=tz, at=at, town=town))
        start, end = session.starts_at.astimezone(tz).date(), session.ends_at.astimezone(tz).date()
        first = start if first is None else min(first, start)
        last = end if last is None else max(last, end)
    if first is not None and last is not None:
        # Only the clock changes around these sessions: a short VTIMEZONE.
        calendar.add_missing_timezones(
            first_date=date(first.year - 1, 1, 1), last_date=date(last.year + 1, 12, 31)
        )
    return calendar.to_ical()


def _event(session: TrainingSession, *, tz: ZoneInfo, at: datetime, town: Town) -> Event:
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", at.astimezone(UTC))
    event.add("last-modified", session.updated_at.astimezone(UTC))
    event.add("dtstart", session.starts_at.astimezone(tz))
    event.add("dtend", session.ends_at.astimezone(tz))
    event.add("summary", session.title)
    event.add("sequence", session.sequence)
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    if session.place:
        event.add("location", session.place)
    elif session.video_url:
        event.add("location", session.video_url)
    if session.video_url:
        event.add("url", session.video_url)
    lines = [session.description] if session.description else []
    if session.trainer:
        lines.append(_("Avec %(trainer)s") % {"trainer": session.trainer})
    if session.video_url:
        lines.append(session.video_url)
    lines.append(absolute_url(reverse("support_merchant:training_list", args=[town.slug])))
    event.add("description", "\n\n".join(lines))
    return event
