"""An event's dates: its first date, repeated by its rule (RFC 5545 RRULE) or listed one by one.

Rules are expanded on the event's local time, then each date is placed on the time line with its own
offset: the weekly market at 8:00 is at 8:00 in winter and in summer. A local time the spring clock change
skips (2:30 on the last Sunday of March) takes the offset before the change, as RFC 5545 says (so 3:30);
a local time the autumn change repeats is its first pass. An occurrence lasts as long on the wall clock as
the first one.

`refresh_occurrences()` writes an event's dates into `Occurrence` up to a horizon (`HORIZON_DAYS` after
now); `extend_horizons()` (a daily periodic task) moves it forward for rules that never end.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule as dateutil_rrule
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from .models import Event, Occurrence

HORIZON_DAYS = 400
# A rule may not make more dates than this (OpenAgenda allows 800 timings per event).
MAX_OCCURRENCES = 1000
ALLOWED_FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
_EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
_LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def parse_rule(rule: str, *, local_start: datetime) -> dateutil_rrule.rrule:
    """The rule of `rule` (an RRULE value without DTSTART) from `local_start`, or a French ValidationError."""
    text = rule.strip().removeprefix("RRULE:")
    parts = dict(part.split("=", 1) for part in text.upper().split(";") if "=" in part)
    if parts.get("FREQ") not in ALLOWED_FREQUENCIES:
        raise ValidationError(
            gettext(
                "Récurrence illisible : « %(rule)s ». Fréquences possibles : DAILY, WEEKLY, MONTHLY, YEARLY."
            ),
            params={"rule": rule},
            code="rrule",
        )
    try:
        parsed = dateutil_rrule.rrulestr(text, dtstart=local_start, ignoretz=True)
    except (ValueError, TypeError) as error:
        raise ValidationError(
            gettext("Récurrence illisible : « %(rule)s » (%(error)s)."),
            params={"rule": rule, "error": error},
            code="rrule",
        ) from error
    assert isinstance(parsed, dateutil_rrule.rrule)
    return parsed


def _local(value: datetime, zone: ZoneInfo) -> datetime:
    return value.astimezone(zone).replace(tzinfo=None)


def _aware(local: datetime, zone: ZoneInfo) -> datetime:
    # fold=0: the first pass of a repeated hour; a skipped hour keeps the offset before the change.
    return local.replace(tzinfo=zone, fold=0)


def _parse_local(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=None) if parsed.tzinfo is None else parsed


def local_dates(event: Event, *, until: datetime) -> Iterator[tuple[datetime, datetime]]:
    """The event's (start, end) pairs on its local wall clock, starting before `until` (aware)."""
    zone = ZoneInfo(event.timezone)
    if event.timings:
        for start_text, end_text in event.timings:
            start, end = _parse_local(start_text), _parse_local(end_text)
            if start.tzinfo is not None:
                start, end = _local(start, zone), _local(end, zone)
            if _aware(start, zone) < until:
                yield start, end
        return
    local_start = _local(event.starts_at, zone)
    duration = _local(event.ends_at, zone) - local_start
    if not event.rrule:
        if event.starts_at < until:
            yield local_start, local_start + duration
        return
    # An exception is a local start time ("2026-12-26T08:00:00") or a whole day ("2026-12-26").
    skipped_starts = {_parse_local(value) for value in event.exdates if "T" in value}
    skipped_days = {date.fromisoformat(value) for value in event.exdates if "T" not in value}
    local_until = _local(until, zone)
    for count, start in enumerate(parse_rule(event.rrule, local_start=local_start)):
        if start >= local_until or count >= MAX_OCCURRENCES:
            return
        if start not in skipped_starts and start.date() not in skipped_days:
            yield start, start + duration


def occurrences_between(event: Event, *, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """The event's (start, end) pairs, aware, that overlap [start, end)."""
    zone = ZoneInfo(event.timezone)
    found = []
    for local_start, local_end in local_dates(event, until=end):
        aware_start, aware_end = _aware(local_start, zone), _aware(local_end, zone)
        if aware_end > start:
            found.append((aware_start, aware_end))
    return found


def rule_ends(event: Event) -> bool:
    """Whether the event has a last date (no rule, listed dates, or a rule with COUNT or UNTIL)."""
    if not event.rrule or event.timings:
        return True
    upper = event.rrule.upper()
    return "COUNT=" in upper or "UNTIL=" in upper


def horizon(at: datetime) -> datetime:
    return at + timedelta(days=HORIZON_DAYS)


@transaction.atomic
def refresh_occurrences(event: Event, *, at: datetime) -> int:
    """Write the event's dates into `Occurrence` up to the horizon, and its `last_ends_at`; their number.

    The event must be saved. Safe to run twice: it replaces the event's rows.
    """
    ends = rule_ends(event)
    dates = occurrences_between(event, start=_EARLIEST, end=_LATEST if ends else horizon(at))
    Occurrence.objects.filter(event=event).delete()
    Occurrence.objects.bulk_create(
        Occurrence(event=event, town_id=event.town_id, starts_at=start, ends_at=end) for start, end in dates
    )
    last_ends_at = max((end for _, end in dates), default=event.ends_at) if ends else None
    if event.last_ends_at != last_ends_at:
        event.last_ends_at = last_ends_at
        Event.objects.filter(pk=event.pk).update(last_ends_at=last_ends_at)
    return len(dates)


def extend_horizons(*, at: datetime) -> int:
    """Move the horizon of every never-ending rule forward (daily); the number of events refreshed."""
    refreshed = 0
    for event in Event.objects.filter(last_ends_at__isnull=True).exclude(rrule="").iterator():
        refresh_occurrences(event, at=at)
        refreshed += 1
    return refreshed
