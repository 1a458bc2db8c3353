"""The newsletter's week at fixed clocks, across both clock changes; the hours a marketing SMS may leave."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from centreville.agenda.models import Publication
from centreville.agenda.tests.factories import EventFactory, OfferFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

from ..letters import week_agenda
from ..sms_hours import next_sms_moment, sms_allowed

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def paris(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def town() -> Town:
    return TownFactory.create(timezone="Europe/Paris")


def _event(town: Town, title: str, starts_at: datetime, written_at: datetime) -> None:
    EventFactory.create(town=town, title=title, starts_at=starts_at, occurrences=written_at)


def _titles(town: Town, at: datetime) -> list[tuple[date, list[str]]]:
    return [
        (day.day, [item.title for item in day.items])
        for day in week_agenda(town_id=town.pk, tz_name="Europe/Paris", at=at)
    ]


def test_the_week_runs_from_the_sending_days_midnight_for_seven_days_with_the_shops_offers(
    town: Town,
) -> None:
    written = datetime(2026, 12, 1, tzinfo=UTC)
    _event(town, "La veille", paris(2026, 12, 7, 23, 30), written)
    _event(town, "Marché", paris(2026, 12, 12, 8, 0), written)
    _event(town, "Dernier soir", paris(2026, 12, 14, 23, 59), written)
    _event(town, "Trop tard", paris(2026, 12, 15, 0, 0), written)
    OfferFactory.create(
        shop__town=town, title="Nocturne", starts_at=paris(2026, 12, 10, 19, 0), occurrences=written
    )
    EventFactory.create(
        town=town,
        title="Brouillon",
        starts_at=paris(2026, 12, 9, 10, 0),
        publication=Publication.DRAFT,
        occurrences=written,
    )
    _event(TownFactory.create(), "Ailleurs", paris(2026, 12, 9, 10, 0), written)

    # Sent on Tuesday 8 December at 18:00: the week is Tuesday 8 to Monday 14 included.
    assert _titles(town, paris(2026, 12, 8, 18, 0)) == [
        (date(2026, 12, 8), ["La veille"]),  # begun the evening before, still going on (5 hours long)
        (date(2026, 12, 10), ["Nocturne"]),
        (date(2026, 12, 12), ["Marché"]),
        (date(2026, 12, 14), ["Dernier soir"]),
    ]


def test_a_week_across_the_spring_clock_change_ends_at_local_midnight(town: Town) -> None:
    written = datetime(2026, 3, 1, tzinfo=UTC)
    # Clocks go forward on Sunday 29 March 2026: the week from Monday 23 is 167 hours long.
    _event(town, "Dimanche soir", paris(2026, 3, 29, 23, 30), written)
    _event(town, "Lundi suivant", paris(2026, 3, 30, 0, 30), written)
    _event(town, "Dimanche matin", paris(2026, 3, 29, 3, 0), written)
    titles = _titles(town, datetime(2026, 3, 22, 23, 30, tzinfo=UTC))  # Monday 23 March, 00:30 in Paris
    assert titles == [(date(2026, 3, 29), ["Dimanche matin", "Dimanche soir"])]


def test_a_week_across_the_autumn_clock_change_keeps_its_last_evening(town: Town) -> None:
    written = datetime(2026, 10, 1, tzinfo=UTC)
    # Clocks go back on Sunday 25 October 2026: the week from Monday 19 is 169 hours long.
    _event(town, "Dimanche 23 h 30", paris(2026, 10, 25, 23, 30), written)
    _event(town, "Lundi minuit", paris(2026, 10, 26, 0, 0), written)
    assert _titles(town, paris(2026, 10, 19, 7, 0)) == [(date(2026, 10, 25), ["Dimanche 23 h 30"])]


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (paris(2026, 12, 8, 10, 0), paris(2026, 12, 8, 10, 0)),  # a Tuesday morning: at once
        (paris(2026, 12, 8, 7, 59), paris(2026, 12, 8, 8, 0)),
        (paris(2026, 12, 12, 19, 59), paris(2026, 12, 12, 19, 59)),  # Saturday evening, still allowed
        (paris(2026, 12, 12, 20, 0), paris(2026, 12, 14, 8, 0)),  # then nothing before Monday
        (paris(2026, 12, 13, 12, 0), paris(2026, 12, 14, 8, 0)),  # Sunday
        (paris(2026, 12, 24, 21, 0), paris(2026, 12, 26, 8, 0)),  # Christmas Day is a public holiday
        (paris(2026, 3, 28, 21, 0), paris(2026, 3, 30, 8, 0)),  # across the spring clock change
        (paris(2026, 10, 24, 22, 0), paris(2026, 10, 26, 8, 0)),  # across the autumn one
    ],
)
def test_marketing_sms_leave_monday_to_saturday_from_8_to_20_never_on_sundays_or_holidays(
    at: datetime, expected: datetime
) -> None:
    moment = next_sms_moment(at=at, tz_name="Europe/Paris")
    assert moment == expected
    assert moment.utcoffset() == expected.utcoffset()
    assert sms_allowed(at=at, tz_name="Europe/Paris") == (at == expected)
