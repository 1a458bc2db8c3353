"""The sessions as iCalendar files, read back with `icalendar`: one file per session, the town's feed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from centreville.support import training
from centreville.support.models import SessionStatus
from centreville.towns.tests.factories import TownFactory

from .factories_training import TrainingSessionFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def read(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_a_session_file_has_its_event_on_the_town_clock_with_its_time_zone() -> None:
    session = TrainingSessionFactory.create(
        starts_at=datetime(2026, 3, 28, 14, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 3, 28, 16, 30, tzinfo=PARIS),
        video_url="https://visio.example.fr/formation",
    )
    calendar = read(Client().get(f"/{session.town.slug}/accompagnement/formations/{session.pk}.ics"))
    (event,) = calendar.events
    assert str(event["UID"]) == f"training-{session.pk}@testserver"
    assert event.start == datetime(2026, 3, 28, 14, 0, tzinfo=PARIS)
    assert event.end == datetime(2026, 3, 28, 16, 30, tzinfo=PARIS)
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert str(event["SUMMARY"]) == session.title
    assert str(event["LOCATION"]) == "Salle du conseil, mairie"
    assert str(event["URL"]) == "https://visio.example.fr/formation"
    assert "Avec Camille Martin" in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["SEQUENCE"] == 0
    stamp: Any = event["DTSTAMP"]
    assert stamp.dt.tzinfo is not None
    (vtimezone,) = calendar.timezones
    assert vtimezone.tz_name == "Europe/Paris"
    assert calendar.get_missing_tzids() == set()


@pytest.mark.parametrize(
    ("starts", "ends", "utc_start", "utc_end"),
    [
        # Across the night clocks go forward: 01:00 CET to 04:00 CEST is two real hours.
        (
            datetime(2026, 3, 29, 1, 0, tzinfo=PARIS),
            datetime(2026, 3, 29, 4, 0, tzinfo=PARIS),
            datetime(2026, 3, 29, 0, 0, tzinfo=UTC),
            datetime(2026, 3, 29, 2, 0, tzinfo=UTC),
        ),
        # Across the night clocks go back: 01:00 CEST to 04:00 CET is four real hours.
        (
            datetime(2026, 10, 25, 1, 0, tzinfo=PARIS),
            datetime(2026, 10, 25, 4, 0, tzinfo=PARIS),
            datetime(2026, 10, 24, 23, 0, tzinfo=UTC),
            datetime(2026, 10, 25, 3, 0, tzinfo=UTC),
        ),
    ],
)
def test_a_session_across_a_clock_change_keeps_its_real_times(
    starts: datetime, ends: datetime, utc_start: datetime, utc_end: datetime
) -> None:
    session = TrainingSessionFactory.create(starts_at=starts, ends_at=ends)
    calendar = read(Client().get(f"/{session.town.slug}/accompagnement/formations/{session.pk}.ics"))
    (event,) = calendar.events
    assert event.start == utc_start
    assert event.end == utc_end
    start: Any = event.start
    end: Any = event.end
    assert start.utcoffset() != end.utcoffset()  # read back through the VTIMEZONE
    assert event["DTSTART"].to_ical() == starts.strftime("%Y%m%dT%H%M%S").encode()


def test_a_change_raises_the_sequence_and_a_cancelled_session_stays_cancelled() -> None:
    session = TrainingSessionFactory.create(starts_at=timezone.now() + timedelta(days=5))
    later = session.starts_at + timedelta(hours=1)
    training.session_update(
        session=session,
        data=training.SessionData(
            title=session.title,
            starts_at=later,
            ends_at=later + timedelta(hours=1),
            capacity=5,
            place="Mairie",
        ),
        at=timezone.now(),
    )
    training.session_cancel(session=session, at=timezone.now())
    calendar = read(Client().get(f"/{session.town.slug}/accompagnement/formations/{session.pk}.ics"))
    (event,) = calendar.events
    assert event["SEQUENCE"] == 2
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == f"training-{session.pk}@testserver"


def test_the_town_feed_has_sessions_to_come_and_recent_ones_of_the_town_only() -> None:
    now = timezone.now()
    town = TownFactory.create()
    soon = TrainingSessionFactory.create(town=town, starts_at=now + timedelta(days=3))
    recent = TrainingSessionFactory.create(town=town, starts_at=now - timedelta(days=30))
    cancelled = TrainingSessionFactory.create(
        town=town, starts_at=now + timedelta(days=4), status=SessionStatus.CANCELLED
    )
    TrainingSessionFactory.create(town=town, starts_at=now - timedelta(days=200))
    TrainingSessionFactory.create(starts_at=now + timedelta(days=3))  # another town's
    calendar = read(Client().get(f"/{town.slug}/accompagnement/formations.ics"))
    uids = [str(event["UID"]) for event in calendar.events]
    assert uids == [f"training-{s.pk}@testserver" for s in (recent, soon, cancelled)]
    assert str(calendar["X-WR-CALNAME"]) == f"Formations des commerçants — {town.name}"


def test_a_session_of_another_town_is_not_found() -> None:
    session = TrainingSessionFactory.create()
    other = TownFactory.create()
    assert Client().get(f"/{other.slug}/accompagnement/formations/{session.pk}.ics").status_code == 404
