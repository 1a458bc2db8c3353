"""An event's dates across the clock changes, checked against an independent RFC 5545 implementation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from django.core.exceptions import ValidationError

from centreville.agenda.models import Event, Occurrence
from centreville.agenda.recurrence import (
    HORIZON_DAYS,
    extend_horizons,
    occurrences_between,
    parse_rule,
    refresh_occurrences,
)
from centreville.agenda.tests.factories import EventFactory

PARIS = ZoneInfo("Europe/Paris")

# (first local start, duration, rule, local exceptions): around the spring change (2027-03-28) and the
# autumn one (2026-10-25), at hours the changes skip or repeat.
CASES = [
    (datetime(2026, 10, 3, 8, 0), timedelta(hours=5), "FREQ=WEEKLY;BYDAY=SA", []),
    (datetime(2026, 10, 4, 2, 30), timedelta(hours=1), "FREQ=WEEKLY;BYDAY=SU;COUNT=6", []),
    (datetime(2027, 3, 7, 2, 30), timedelta(hours=2), "FREQ=WEEKLY;BYDAY=SU;COUNT=6", []),
    (datetime(2027, 3, 20, 23, 0), timedelta(hours=4), "FREQ=DAILY;COUNT=15", ["2027-03-27T23:00:00"]),
    (datetime(2026, 10, 20, 18, 0), timedelta(hours=3), "FREQ=DAILY;UNTIL=20261105T180000", ["2026-10-25"]),
    (datetime(2027, 1, 30, 8, 0), timedelta(hours=5), "FREQ=MONTHLY;BYDAY=-1SA;COUNT=12", []),
    (datetime(2026, 11, 1, 10, 0), timedelta(days=1), "FREQ=YEARLY;COUNT=3", []),
]


def oracle(local_start, duration, rule, exdates, start, end):
    vevent = icalendar.Event()
    vevent.add("uid", "oracle@test")
    vevent.add("dtstamp", datetime(2026, 1, 1, tzinfo=UTC))
    vevent.add("dtstart", local_start.replace(tzinfo=PARIS))
    vevent.add("dtend", (local_start + duration).replace(tzinfo=PARIS))
    vevent.add("rrule", icalendar.vRecur.from_ical(rule))
    for value in exdates:
        if "T" in value:
            vevent.add("exdate", datetime.fromisoformat(value).replace(tzinfo=PARIS))
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//oracle//")
    calendar.add("version", "2.0")
    calendar.add_component(vevent)
    found = recurring_ical_events.of(calendar).between(start, end)
    days = {date.fromisoformat(value) for value in exdates if "T" not in value}
    return sorted(
        (item["DTSTART"].dt.astimezone(UTC), item["DTEND"].dt.astimezone(UTC))
        for item in found
        if item["DTSTART"].dt.date() not in days
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("local_start", "duration", "rule", "exdates"), CASES)
def test_dates_match_an_independent_implementation_across_clock_changes(local_start, duration, rule, exdates):
    event = EventFactory.create(
        starts_at=local_start.replace(tzinfo=PARIS),
        ends_at=(local_start + duration).replace(tzinfo=PARIS),
        rrule=rule,
        exdates=exdates,
    )
    start, end = datetime(2026, 9, 1, tzinfo=UTC), datetime(2027, 12, 31, tzinfo=UTC)
    ours = sorted(
        (s.astimezone(UTC), e.astimezone(UTC)) for s, e in occurrences_between(event, start=start, end=end)
    )
    assert ours == oracle(local_start, duration, rule, exdates, start, end)
    assert len(ours) >= 2


@pytest.mark.django_db
def test_the_weekly_market_stays_at_eight_on_the_wall_clock():
    event = EventFactory.create(
        starts_at=datetime(2027, 3, 20, 8, 0, tzinfo=PARIS),
        ends_at=datetime(2027, 3, 20, 13, 0, tzinfo=PARIS),
        rrule="FREQ=WEEKLY;BYDAY=SA;COUNT=3",
    )
    dates = occurrences_between(
        event, start=datetime(2027, 1, 1, tzinfo=UTC), end=datetime(2028, 1, 1, tzinfo=UTC)
    )
    assert [(s.astimezone(PARIS).hour, (e - s).total_seconds() / 3600) for s, e in dates] == [(8, 5.0)] * 3
    assert [s.astimezone(UTC).hour for s, _ in dates] == [7, 7, 6]  # the clocks go forward on 28 March
    assert Occurrence.objects.filter(event=event).count() == 3
    event.refresh_from_db()
    assert event.last_ends_at == dates[-1][1]


@pytest.mark.django_db
def test_a_rule_that_never_ends_is_written_up_to_the_horizon_and_moved_forward():
    at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    event = EventFactory.create(rrule="FREQ=WEEKLY;BYDAY=SA", occurrences=at)
    event.refresh_from_db()
    assert event.last_ends_at is None
    last = Occurrence.objects.filter(event=event).latest("starts_at").starts_at
    assert at + timedelta(days=HORIZON_DAYS - 7) < last <= at + timedelta(days=HORIZON_DAYS)
    assert extend_horizons(at=at + timedelta(days=30)) == 1
    assert Occurrence.objects.filter(event=event).latest("starts_at").starts_at > last
    refresh_occurrences(event, at=at)
    refresh_occurrences(event, at=at)
    assert Occurrence.objects.filter(event=event, starts_at=last).count() == 1


@pytest.mark.django_db
def test_listed_dates_are_the_occurrences():
    event = EventFactory.create(
        timings=[
            ["2026-12-19T10:00:00", "2026-12-19T18:00:00"],
            ["2026-12-20T14:00:00", "2026-12-20T17:30:00"],
        ]
    )
    assert list(Occurrence.objects.filter(event=event).values_list("starts_at", "ends_at")) == [
        (datetime(2026, 12, 19, 9, 0, tzinfo=UTC), datetime(2026, 12, 19, 17, 0, tzinfo=UTC)),
        (datetime(2026, 12, 20, 13, 0, tzinfo=UTC), datetime(2026, 12, 20, 16, 30, tzinfo=UTC)),
    ]
    assert Event.objects.get(pk=event.pk).last_ends_at == datetime(2026, 12, 20, 16, 30, tzinfo=UTC)


@pytest.mark.parametrize("rule", ["FREQ=HOURLY", "FREQ=WEEKLY;BYDAY=XX", "n'importe quoi", ""])
def test_an_unreadable_rule_is_refused_in_french(rule):
    with pytest.raises(ValidationError, match="Récurrence illisible"):
        parse_rule(rule, local_start=datetime(2026, 12, 12, 8, 0))
