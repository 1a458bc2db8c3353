"""Pickup slots come from the opening hours, the preparation time and the capacity per slot."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from centreville.fulfilment.selectors import ACTIVE_STATUSES, COLLECTED, pickup_slots
from centreville.orders.models import OrderStatus
from centreville.shops.tests.factories import ShopClosureFactory, ShopFactory
from centreville.towns.tests.factories import TownFactory

from .factories import ShopFulfilmentFactory, order_for

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
LUNCH_BREAK = "Tu-Sa 09:00-12:30,14:00-19:00"


def paris(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


MONDAY = date(2026, 11, 30)
TUESDAY = MONDAY + timedelta(days=1)
WEDNESDAY = MONDAY + timedelta(days=2)


def starts(slots: list) -> list[datetime]:
    return [slot.start for slot in slots]


def test_slots_follow_the_opening_hours_with_the_lunch_break_and_the_closed_day() -> None:
    rules = ShopFulfilmentFactory.create(shop__opening_hours=LUNCH_BREAK, slot_minutes=30)

    slots = pickup_slots(rules.shop, now=paris(MONDAY, 8), open_days=2)

    tuesday = [slot for slot in slots if slot.start.date() == TUESDAY]
    assert not [slot for slot in slots if slot.start.date() == MONDAY]  # closed on Mondays
    assert starts(tuesday)[:3] == [paris(TUESDAY, 9), paris(TUESDAY, 9, 30), paris(TUESDAY, 10)]
    assert paris(TUESDAY, 12) in starts(tuesday)  # 12:00-12:30 still fits the morning
    assert not [s for s in tuesday if paris(TUESDAY, 12, 30) <= s.start < paris(TUESDAY, 14)]
    assert tuesday[-1].start == paris(TUESDAY, 18, 30)
    assert tuesday[-1].end == paris(TUESDAY, 19)
    assert len(tuesday) == 7 + 10
    assert len(slots) == 2 * 17  # Tuesday and Wednesday
    assert all(slot.remaining == rules.slot_capacity for slot in slots)


def test_an_exceptional_closure_and_a_public_holiday_offer_no_slot() -> None:
    rules = ShopFulfilmentFactory.create(shop__opening_hours=LUNCH_BREAK + "; PH off")
    ShopClosureFactory.create(shop=rules.shop, start_date=WEDNESDAY, end_date=WEDNESDAY)

    around_closure = pickup_slots(rules.shop, now=paris(MONDAY, 8), open_days=2)
    christmas = pickup_slots(rules.shop, now=paris(date(2026, 12, 24), 20), open_days=1)

    # Closed Monday as usual, then Wednesday: the second open day is Thursday.
    assert {slot.start.date() for slot in around_closure} == {TUESDAY, WEDNESDAY + timedelta(days=1)}
    # The 24th is over and Friday 25 December is a public holiday: Saturday comes first.
    assert christmas[0].start == paris(date(2026, 12, 26), 9)


def test_the_first_slot_starts_after_the_preparation_time_on_the_slot_grid() -> None:
    rules = ShopFulfilmentFactory.create(shop__opening_hours=LUNCH_BREAK, preparation_minutes=60)

    slots = pickup_slots(rules.shop, now=paris(TUESDAY, 10, 10), open_days=1)

    assert slots[0].start == paris(TUESDAY, 11, 30)  # 11:10 is ready, the next slot starts at 11:30


def test_a_long_preparation_moves_the_first_slot_to_another_day() -> None:
    rules = ShopFulfilmentFactory.create(shop__opening_hours=LUNCH_BREAK, preparation_minutes=24 * 60)

    slots = pickup_slots(rules.shop, now=paris(TUESDAY, 15), open_days=1)

    assert slots[0].start == paris(WEDNESDAY, 15)


def test_a_slot_counts_active_orders_and_disappears_when_full() -> None:
    rules = ShopFulfilmentFactory.create(shop__opening_hours=LUNCH_BREAK, slot_capacity=2)
    shop = rules.shop
    nine, half_past = paris(TUESDAY, 9), paris(TUESDAY, 9, 30)
    order_for(shop, slot_start=nine, status=OrderStatus.PLACED)
    order_for(shop, slot_start=nine, status=OrderStatus.READY)
    order_for(shop, slot_start=half_past, status=OrderStatus.ACCEPTED)
    order_for(shop, slot_start=half_past, status=OrderStatus.CANCELLED)  # gave its place back
    order_for(shop, slot_start=half_past, status=OrderStatus.COLLECTED)  # came and went
    order_for(ShopFactory.create(town=shop.town), slot_start=half_past)  # another shop's customer

    slots = pickup_slots(shop, now=paris(MONDAY, 8), open_days=1)

    assert nine not in starts(slots)
    assert slots[0].start == half_past
    assert slots[0].remaining == 1
    assert slots[1].remaining == 2


def test_slots_are_cut_in_the_town_time_zone() -> None:
    cayenne = TownFactory.create(timezone="America/Cayenne")  # UTC-3 all year
    rules = ShopFulfilmentFactory.create(
        shop__town=cayenne, shop__opening_hours="Mo-Su 09:00-10:00", slot_minutes=60
    )
    # 11:00 in Paris on Monday is 07:00 in Cayenne: the shop opens later that same morning.
    now = paris(MONDAY, 11)

    slots = pickup_slots(rules.shop, now=now, open_days=1)

    assert [(s.start, s.end) for s in slots] == [
        (
            datetime(2026, 11, 30, 9, tzinfo=ZoneInfo("America/Cayenne")),
            datetime(2026, 11, 30, 10, tzinfo=ZoneInfo("America/Cayenne")),
        )
    ]
    assert slots[0].start.utcoffset() == timedelta(hours=-3)


def test_slots_keep_their_length_when_the_clocks_go_forward() -> None:
    rules = ShopFulfilmentFactory.create(shop__opening_hours="Su 01:00-04:00", slot_minutes=60)
    spring_forward = date(2026, 3, 29)  # 02:00 becomes 03:00 in Paris

    slots = pickup_slots(rules.shop, now=paris(spring_forward, 0), open_days=1)

    # Subtracting two times of one zone compares wall clocks: compare real durations, in UTC.
    assert [slot.end.astimezone(UTC) - slot.start.astimezone(UTC) for slot in slots] == [
        timedelta(hours=1)
    ] * 2
    assert [slot.start.hour for slot in slots] == [1, 3]
    assert slots[-1].end == paris(spring_forward, 4)


def test_a_shop_without_readable_hours_offers_no_slot() -> None:
    rules = ShopFulfilmentFactory.create(shop__opening_hours="")

    assert pickup_slots(rules.shop, now=paris(MONDAY, 8)) == []


def test_a_shop_without_settings_gets_the_default_slots_and_no_row_is_written() -> None:
    shop = ShopFactory.create(opening_hours=LUNCH_BREAK)

    slots = pickup_slots(shop, now=paris(MONDAY, 8), open_days=1)

    assert slots[0].start == paris(TUESDAY, 9)  # 08:00 + 60 min of default preparation
    assert slots[0].end == paris(TUESDAY, 9, 30)
    assert slots[0].remaining == 4
    assert not type(shop).objects.filter(fulfilment__isnull=False).exists()


def test_slots_take_three_queries_whatever_the_days(django_assert_num_queries) -> None:
    rules = ShopFulfilmentFactory.create(shop__opening_hours=LUNCH_BREAK)
    shop = type(rules.shop).objects.select_related("town").get(pk=rules.shop.pk)

    with django_assert_num_queries(3):
        slots = pickup_slots(shop, now=paris(MONDAY, 8))

    assert len(slots) == 7 * 17  # seven open days: Tuesday to Saturday, then Tuesday and Wednesday


SATURDAY = date(2026, 12, 5)


@pytest.mark.parametrize("weekday", range(7))
def test_a_week_of_open_days_is_offered_from_any_day_of_the_week(weekday: int) -> None:
    # Closed on Sundays and Mondays: on a Saturday evening the next open days are still offered.
    rules = ShopFulfilmentFactory.create(shop__opening_hours=LUNCH_BREAK, preparation_minutes=60)
    evening = paris(MONDAY + timedelta(days=weekday), 19, 30)

    slots = pickup_slots(rules.shop, now=evening)

    days = sorted({slot.start.date() for slot in slots})
    assert len(days) == 7
    assert all(day.weekday() in (1, 2, 3, 4, 5) for day in days)
    assert days[0] > evening.date()
    assert days[-1] - days[0] <= timedelta(days=10)  # seven days of a five-day week


def test_on_a_saturday_evening_a_shop_closed_sunday_and_monday_offers_tuesday_onwards() -> None:
    rules = ShopFulfilmentFactory.create(shop__opening_hours=LUNCH_BREAK)

    slots = pickup_slots(rules.shop, now=paris(SATURDAY, 19, 30))

    assert slots[0].start == paris(SATURDAY + timedelta(days=3), 9)  # Tuesday 8 December
    assert slots[-1].end == paris(SATURDAY + timedelta(days=11), 19)  # Wednesday of the week after


def test_a_closure_that_takes_orders_offers_slots_after_it_reopens() -> None:
    rules = ShopFulfilmentFactory.create(shop__opening_hours=LUNCH_BREAK)
    ShopClosureFactory.create(
        shop=rules.shop, start_date=date(2026, 12, 1), end_date=date(2026, 12, 19), takes_orders=True
    )

    slots = pickup_slots(rules.shop, now=paris(SATURDAY, 11))

    assert slots[0].start == paris(date(2026, 12, 22), 9)  # the Tuesday after the closure
    assert len({slot.start.date() for slot in slots}) == 7


def test_slots_of_the_days_around_both_clock_changes_are_whole() -> None:
    rules = ShopFulfilmentFactory.create(shop__opening_hours="Mo-Su 09:00-12:00", slot_minutes=60)

    for day in (date(2026, 3, 28), date(2026, 10, 24)):
        slots = pickup_slots(rules.shop, now=paris(day, 6), open_days=3)
        assert [(s.start.hour, s.end.hour) for s in slots] == [(9, 10), (10, 11), (11, 12)] * 3
        assert all(s.end.astimezone(UTC) - s.start.astimezone(UTC) == timedelta(hours=1) for s in slots)


def test_the_order_statuses_read_through_the_relations_are_the_orders_own() -> None:
    assert set(ACTIVE_STATUSES) == {OrderStatus.PLACED, OrderStatus.ACCEPTED, OrderStatus.READY}
    assert COLLECTED == OrderStatus.COLLECTED
