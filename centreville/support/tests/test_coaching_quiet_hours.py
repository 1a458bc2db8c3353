"""Quiet hours and the slots they offer, under fixed clocks: every weekday, a shop without hours, the
merchant's preference, closures and holidays, both clock changes (the rule: `support/quiet_hours.py`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from centreville.support.quiet_hours import Preference, quiet_slots, quiet_windows

PARIS = ZoneInfo("Europe/Paris")
TZ = "Europe/Paris"
MONDAY = date(2026, 3, 2)  # a week without public holiday, before the clocks go forward
SHOP_HOURS = "Tu-Sa 09:00-12:30,14:00-19:00; PH off"


def _local(windows: list[tuple[datetime, datetime]]) -> list[tuple[str, str]]:
    return [
        (start.astimezone(PARIS).strftime("%H:%M"), end.astimezone(PARIS).strftime("%H:%M"))
        for start, end in windows
    ]


# Monday first: what the rule gives a shop open Tuesday to Saturday with a lunch break.
LUNCH_BREAK_WEEK = [
    [],
    [("09:00", "09:30"), ("14:00", "16:30")],
    [("09:00", "09:30"), ("14:00", "16:30")],
    [("09:00", "09:30"), ("14:00", "16:30")],
    [("09:00", "09:30"), ("14:00", "16:30")],
    [("09:00", "09:30"), ("14:00", "14:30")],  # Saturday: the busy day keeps only its first half-hours
    [],
]


@pytest.mark.parametrize("weekday", range(7))
def test_each_weekday_of_a_shop_with_a_lunch_break(weekday: int) -> None:
    day = MONDAY + timedelta(days=weekday)
    windows = quiet_windows(opening_hours=SHOP_HOURS, tz_name=TZ, first=day, days=1)
    assert _local(windows) == LUNCH_BREAK_WEEK[weekday]


@pytest.mark.parametrize("weekday", range(7))
@pytest.mark.parametrize("hours", ["", "ouvert tous les jours sauf le lundi"])
def test_a_shop_without_readable_hours_gets_the_default_week(weekday: int, hours: str) -> None:
    day = MONDAY + timedelta(days=weekday)
    windows = quiet_windows(opening_hours=hours, tz_name=TZ, first=day, days=1)
    assert _local(windows) == LUNCH_BREAK_WEEK[weekday]


@pytest.mark.parametrize(
    ("weekday", "expected"),
    [
        (0, [("09:00", "09:30"), ("14:30", "16:30")]),
        (4, [("09:00", "09:30"), ("14:30", "16:30")]),
        (5, [("09:00", "09:30")]),
        (6, [("09:00", "09:30")]),
    ],
)
def test_a_shop_open_all_day_every_day(weekday: int, expected: list[tuple[str, str]]) -> None:
    day = MONDAY + timedelta(days=weekday)
    windows = quiet_windows(opening_hours="Mo-Su 09:00-19:00", tz_name=TZ, first=day, days=1)
    assert _local(windows) == expected


def test_the_merchants_preference_replaces_the_opening_hours() -> None:
    preference = Preference(weekday=1, start=time(14), end=time(16))
    at = datetime(2026, 3, 2, 8, 0, tzinfo=PARIS)  # Monday morning
    slots = quiet_slots(opening_hours="We-Sa 09:00-19:00", tz_name=TZ, at=at, preference=preference)
    # Two Tuesdays in the fortnight, eight quarter hours each, though the shop is closed on Tuesdays.
    assert len(slots) == 16
    assert {slot.date() for slot in slots} == {date(2026, 3, 3), date(2026, 3, 10)}
    assert slots[0] == datetime(2026, 3, 3, 14, 0, tzinfo=PARIS)
    assert slots[-1] == datetime(2026, 3, 10, 15, 45, tzinfo=PARIS)


def test_slots_start_two_hours_ahead_and_skip_busy_quarters() -> None:
    at = datetime(2026, 3, 3, 8, 0, tzinfo=PARIS)  # Tuesday 08:00: 09:00 is too soon
    busy = [(datetime(2026, 3, 3, 14, 15, tzinfo=PARIS), datetime(2026, 3, 3, 14, 30, tzinfo=PARIS))]
    slots = quiet_slots(opening_hours=SHOP_HOURS, tz_name=TZ, at=at, busy=busy)
    today = [slot.strftime("%H:%M") for slot in slots if slot.date() == date(2026, 3, 3)]
    assert today == ["14:00", "14:30", "14:45", "15:00", "15:15", "15:30", "15:45", "16:00", "16:15"]


def test_slots_fall_on_quarter_hours_within_fourteen_days() -> None:
    at = datetime(2026, 3, 3, 13, 7, 30, tzinfo=PARIS)
    slots = quiet_slots(opening_hours=SHOP_HOURS, tz_name=TZ, at=at)
    assert slots[0] == datetime(2026, 3, 3, 15, 15, tzinfo=PARIS)  # 15:07:30 rounded up to the quarter
    assert all(slot.minute % 15 == 0 and slot.second == 0 for slot in slots)
    assert max(slot.date() for slot in slots) == date(2026, 3, 14)  # Saturday; Monday 16th is closed
    every_day = quiet_slots(opening_hours="Mo-Su 09:00-19:00", tz_name=TZ, at=at)
    assert max(slot.date() for slot in every_day) == date(2026, 3, 16)  # the 14th day, today included


def test_exceptional_closures_and_public_holidays_offer_nothing() -> None:
    closures = [(date(2026, 3, 4), date(2026, 3, 5))]
    windows = quiet_windows(opening_hours=SHOP_HOURS, tz_name=TZ, first=MONDAY, days=7, closures=closures)
    days = {start.astimezone(PARIS).date() for start, _end in windows}
    assert days == {date(2026, 3, 3), date(2026, 3, 6), date(2026, 3, 7)}
    # Friday 1 May 2026 is a public holiday: "PH off" closes it.
    may_day = quiet_windows(opening_hours=SHOP_HOURS, tz_name=TZ, first=date(2026, 5, 1), days=1)
    assert may_day == []


@pytest.mark.parametrize(
    ("first", "utc_hours"),
    [
        # The clocks go forward on Sunday 29 March 2026: 09:00 in Paris is 08:00 UTC before, 07:00 after.
        (date(2026, 3, 28), [8, 7, 7]),
        # They go back on Sunday 25 October 2026: 07:00 UTC before, 08:00 after.
        (date(2026, 10, 24), [7, 8, 8]),
    ],
)
def test_clock_changes_keep_the_wall_clock(first: date, utc_hours: list[int]) -> None:
    windows = quiet_windows(opening_hours="Mo-Su 09:00-19:00", tz_name=TZ, first=first, days=3)
    mornings = [start for start, _end in windows if start.astimezone(PARIS).hour == 9]
    assert [start.astimezone(UTC).hour for start in mornings] == utc_hours
    assert _local(windows)[:2] == [("09:00", "09:30"), ("09:00", "09:30")]  # Saturday, Sunday
    # Each window is as long on the day of the change as on any other.
    assert all(end - start == timedelta(minutes=30) for start, end in windows[:2])


@pytest.mark.parametrize(
    "at", [datetime(2026, 3, 28, 20, 0, tzinfo=PARIS), datetime(2026, 10, 24, 20, 0, tzinfo=PARIS)]
)
def test_slots_across_a_clock_change_are_quarter_hours_of_the_wall_clock(at: datetime) -> None:
    preference = Preference(weekday=6, start=time(10), end=time(11))  # Sunday, the day of the change
    slots = quiet_slots(opening_hours="", tz_name=TZ, at=at, preference=preference)
    first_sunday = [slot for slot in slots if slot.date() == at.date() + timedelta(days=1)]
    assert [slot.strftime("%H:%M") for slot in first_sunday] == ["10:00", "10:15", "10:30", "10:45"]
    assert all(slot.utcoffset() == first_sunday[0].utcoffset() for slot in first_sunday)
