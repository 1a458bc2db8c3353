"""Open now / opens at… in the town's time zone, around midnight, public holidays, closures and DST."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from centreville.shops.hours import Opening, closures_rule, opening_state

PARIS = ZoneInfo("Europe/Paris")
SHOP_HOURS = "Tu-Sa 09:00-12:30,14:00-19:00; PH off"


@pytest.fixture(autouse=True)
def _french() -> None:
    translation.activate("fr")


def at(text: str, tz: ZoneInfo = PARIS) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=tz)


@pytest.mark.parametrize(
    ("moment", "status", "label"),
    [
        ("2026-11-24 10:00", Opening.OPEN, "Ouvert · ferme à 12:30"),
        ("2026-11-24 13:00", Opening.CLOSED, "Fermé · ouvre à 14:00"),
        ("2026-11-24 19:00", Opening.CLOSED, "Fermé · ouvre demain à 09:00"),
        ("2026-11-22 11:00", Opening.CLOSED, "Fermé aujourd'hui · ouvre mardi à 09:00"),
        ("2026-11-28 20:00", Opening.CLOSED, "Fermé · ouvre mardi à 09:00"),
    ],
)
def test_opening_state_of_a_regular_week(moment: str, status: Opening, label: str) -> None:
    state = opening_state(SHOP_HOURS, "Europe/Paris", at=at(moment))
    assert state.status is status
    assert state.label == label


def test_a_french_public_holiday_closes_the_shop() -> None:
    # 11 November 2026 is a Wednesday and a public holiday.
    state = opening_state(SHOP_HOURS, "Europe/Paris", at=at("2026-11-11 10:00"))
    assert state.status is Opening.CLOSED
    assert state.label == "Fermé aujourd'hui · ouvre demain à 09:00"


def test_an_exceptional_closure_closes_the_shop_until_it_ends() -> None:
    state = opening_state(
        SHOP_HOURS,
        "Europe/Paris",
        closures=[(date(2026, 12, 24), date(2027, 1, 2))],
        at=at("2026-12-24 10:00"),
    )
    assert state.status is Opening.CLOSED
    assert state.next_change == at("2027-01-05 09:00")


def test_hours_across_midnight_belong_to_the_evening_they_started() -> None:
    bar = "Mo-Sa 18:00-02:00"
    assert (
        opening_state(bar, "Europe/Paris", at=at("2026-11-24 23:30")).label == "Ouvert · ferme demain à 02:00"
    )
    after_midnight = opening_state(bar, "Europe/Paris", at=at("2026-11-25 01:30"))
    assert after_midnight.status is Opening.OPEN
    assert after_midnight.label == "Ouvert · ferme à 02:00"
    # Sunday night after 02:00: Saturday's evening is over and Sunday has no opening.
    assert opening_state(bar, "Europe/Paris", at=at("2026-11-29 03:00")).status is Opening.CLOSED


def test_the_time_zone_is_the_towns_not_the_servers() -> None:
    # 08:30 UTC is 09:30 in Paris (open) but 12:30 in Réunion (closed for lunch).
    moment = datetime(2026, 11, 24, 8, 30, tzinfo=ZoneInfo("UTC"))
    assert opening_state(SHOP_HOURS, "Europe/Paris", at=moment).status is Opening.OPEN
    assert (
        opening_state("Tu-Sa 09:00-12:00,14:00-18:00", "Indian/Reunion", at=moment).status is Opening.CLOSED
    )


def test_daylight_saving_changes_keep_local_hours() -> None:
    # Clocks go forward on 29 March 2026 and back on 25 October 2026 in France.
    bakery = "Mo-Su 07:00-13:00"
    assert opening_state(bakery, "Europe/Paris", at=at("2026-03-29 07:30")).status is Opening.OPEN
    assert opening_state(bakery, "Europe/Paris", at=at("2026-10-25 06:30")).status is Opening.CLOSED
    spring = opening_state("Mo-Su 20:00-04:00", "Europe/Paris", at=at("2026-03-29 01:30"))
    assert spring.status is Opening.OPEN
    assert spring.next_change is not None
    assert spring.next_change.utcoffset() == at("2026-06-01 12:00").utcoffset()  # summer time after the jump


def test_unknown_and_unreadable_hours_are_said_so() -> None:
    noon = at("2026-11-24 12:00")
    assert opening_state("", "Europe/Paris", at=noon).status is Opening.UNKNOWN
    unreadable = opening_state("Tu-Fr 09:00-12:15 / 14:15-19:00", "Europe/Paris", at=noon)
    assert unreadable.label == "Horaires à vérifier"


def test_closures_become_osm_rules() -> None:
    assert closures_rule([(date(2026, 8, 3), date(2026, 8, 21))]) == "; 2026 Aug 03-2026 Aug 21 off"
