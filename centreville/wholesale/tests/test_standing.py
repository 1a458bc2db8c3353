from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from centreville.core.periodic import periodic_tasks
from centreville.enterprises.models import Enterprise
from centreville.enterprises.tests.factories import BuyerFactory
from centreville.lots.models import Lot
from centreville.wholesale.checkout import place_orders
from centreville.wholesale.handover import HandOverChoice
from centreville.wholesale.models import HandOver, StandingOrder, StandingOrderRun
from centreville.wholesale.signals import standing_order_failed
from centreville.wholesale.standing import (
    next_days,
    standing_order_create,
    standing_order_end,
    standing_order_pause,
    standing_orders_generate,
)
from centreville.wholesale.tasks import generate_standing_orders

from .scenario import AT, Scenario, scenario

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _weekly(
    given: Scenario, weekday: int, hand_over: str = HandOver.FARM, place_id: int | None = None
) -> StandingOrder:
    return standing_order_create(
        buyer=given.buyer,
        producer=given.farm,
        weekday=weekday,
        hand_over=hand_over,
        place_id=place_id or given.place.pk,
        lines=[(given.carrots.pk, Decimal("5"))],
        starts_on=date(2026, 1, 1),
    )


@pytest.mark.parametrize("days_after_monday", range(7))
def test_each_day_makes_the_orders_of_the_next_three_days_once(days_after_monday: int) -> None:
    given = scenario()
    given.place.opening_hours = "Mo-Su 17:00-19:00"
    given.place.save()
    given.carrots.quantity_available = Decimal("500")
    given.carrots.save()
    weekly = {weekday: _weekly(given, weekday) for weekday in range(1, 8)}
    at = AT + timedelta(days=days_after_monday)  # 9:00 in Paris
    today = date(2026, 12, 7) + timedelta(days=days_after_monday)

    made = standing_orders_generate(at=at)
    again = standing_orders_generate(at=at + timedelta(minutes=5))

    expected = {today + timedelta(days=n) for n in (1, 2, 3)}
    runs = StandingOrderRun.objects.select_related("order")
    assert (made, again) == (3, 0)
    assert {run.hand_over_on for run in runs} == expected
    for run in runs:
        assert run.failure == ""
        assert run.standing_order == weekly[run.hand_over_on.isoweekday()]
        assert run.order is not None
        local = run.order.hand_over_at.astimezone(PARIS)
        assert (local.date(), local.hour, local.minute) == (run.hand_over_on, 17, 0)


@pytest.mark.parametrize(
    ("at", "hand_over_on", "utc_hour"),
    [
        (datetime(2026, 3, 26, 9, 0, tzinfo=UTC), date(2026, 3, 29), 15),  # summer time starts that night
        (datetime(2026, 3, 27, 9, 0, tzinfo=UTC), date(2026, 3, 30), 15),
        (datetime(2026, 10, 22, 9, 0, tzinfo=UTC), date(2026, 10, 25), 16),  # winter time starts that night
        (datetime(2026, 10, 23, 9, 0, tzinfo=UTC), date(2026, 10, 26), 16),
    ],
)
def test_the_clock_changes_keep_the_hand_over_at_its_local_time(
    at: datetime, hand_over_on: date, utc_hour: int
) -> None:
    given = scenario()
    given.place.opening_hours = "Mo-Su 17:00-19:00"
    given.place.save()
    _weekly(given, hand_over_on.isoweekday())

    standing_orders_generate(at=at)

    run = StandingOrderRun.objects.get()
    assert run.hand_over_on == hand_over_on
    assert run.order is not None
    assert run.order.hand_over_at == datetime.combine(hand_over_on, datetime.min.time(), tzinfo=UTC).replace(
        hour=utc_hour
    )


def test_a_drive_standing_order_takes_the_first_slot_with_room_and_fails_when_all_are_full() -> None:
    given = scenario()
    given.drive.opening_hours = "Th 16:00-17:00"  # two slots
    given.drive.capacity_per_slot = 1
    given.drive.save()
    weekly = _weekly(given, 4, HandOver.DRIVE, given.drive.pk)
    first = datetime(2026, 12, 10, 15, 0, tzinfo=UTC)
    other = BuyerFactory.create()
    place_orders(
        buyer=other,
        wanted=[(given.cheese.pk, Decimal("6"))],
        choices={given.dairy.pk: HandOverChoice(HandOver.DRIVE, given.drive.pk, starts_at=first)},
        at=AT,
    )

    standing_orders_generate(at=AT)

    run = StandingOrderRun.objects.get(standing_order=weekly)
    assert run.order is not None
    assert run.order.hand_over_at == first + timedelta(minutes=30)
    place_orders(
        buyer=other,
        wanted=[(given.cheese.pk, Decimal("6"))],
        choices={
            given.dairy.pk: HandOverChoice(
                HandOver.DRIVE, given.drive.pk, starts_at=first + timedelta(days=7)
            )
        },
        at=AT,
    )
    place_orders(
        buyer=BuyerFactory.create(),
        wanted=[(given.cheese.pk, Decimal("6"))],
        choices={
            given.dairy.pk: HandOverChoice(
                HandOver.DRIVE, given.drive.pk, starts_at=first + timedelta(days=7, minutes=30)
            )
        },
        at=AT,
    )
    standing_orders_generate(at=AT + timedelta(days=7))
    failed = StandingOrderRun.objects.get(standing_order=weekly, hand_over_on=date(2026, 12, 17))
    assert failed.order is None
    assert failed.failure == "Tous les créneaux du drive sont complets ce jour-là."


@pytest.mark.parametrize(
    ("spoil", "failure"),
    [
        (
            lambda given: Lot.objects.filter(pk=given.carrots.pk).update(quantity_available=0),
            "« Carottes » n'est plus disponible.",
        ),
        (
            lambda given: Lot.objects.filter(pk=given.carrots.pk).update(is_published=False),
            "« Carottes » n'est plus en vente.",
        ),
        (
            lambda given: Lot.objects.filter(pk=given.carrots.pk).delete(),
            "Plus aucun lot de cette commande n'est en vente.",
        ),
        (
            lambda given: Enterprise.objects.filter(pk=given.farm.pk).update(is_active=False),
            "Ferme des Sources ne prend plus de commandes.",
        ),
    ],
)
def test_a_week_that_cannot_be_ordered_records_why_and_tells_the_buyer(spoil, failure) -> None:
    given = scenario()
    _weekly(given, 2)  # Tuesday, at the farm
    spoil(given)
    told: list[str] = []
    standing_order_failed.connect(
        lambda sender, run, at, **kw: told.append(run.failure), weak=False, dispatch_uid="t"
    )

    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(
                "django.db.transaction.on_commit", lambda callback, using=None, robust=False: callback()
            )
            made = standing_orders_generate(at=AT)
    finally:
        standing_order_failed.disconnect(dispatch_uid="t")

    run = StandingOrderRun.objects.get()
    assert (made, run.order, run.failure) == (1, None, failure)
    assert told == [failure]


def test_a_round_standing_order_is_made_before_the_cutoff() -> None:
    given = scenario()
    given.delivery_round.minimum_order = Decimal("0")
    given.delivery_round.cutoff_days_before = 4
    given.delivery_round.save()
    weekly = _weekly(given, 5, HandOver.ROUND, given.delivery_round.pk)  # Friday 11 December

    standing_orders_generate(at=AT)  # Monday 9:00, cut-off Monday 12:00

    run = StandingOrderRun.objects.get(standing_order=weekly)
    assert (run.hand_over_on, run.failure) == (date(2026, 12, 11), "")
    assert run.order is not None
    assert run.order.delivery_round == given.delivery_round


def test_paused_and_ended_weeks_are_skipped_and_the_next_days_are_shown() -> None:
    given = scenario()
    given.place.opening_hours = "We 17:00-19:00"  # the farm hands over on the standing order's Wednesday
    given.place.save()
    weekly = _weekly(given, 3)
    standing_order_pause(
        standing_order=weekly, paused_from=date(2026, 12, 9), paused_until=date(2026, 12, 16)
    )
    weekly.refresh_from_db()

    assert next_days(weekly, at=AT, count=2) == [date(2026, 12, 23), date(2026, 12, 30)]
    assert standing_orders_generate(at=AT) == 0
    with pytest.raises(ValidationError):
        standing_order_pause(
            standing_order=weekly, paused_from=date(2026, 12, 9), paused_until=date(2026, 12, 1)
        )
    standing_order_end(standing_order=weekly, today=date(2026, 12, 7))
    weekly.refresh_from_db()
    assert next_days(weekly, at=AT) == []


def test_a_standing_order_refuses_a_round_that_does_not_pass_that_day_and_a_wrong_quantity() -> None:
    given = scenario()

    with pytest.raises(ValidationError):
        _weekly(given, 3, HandOver.ROUND, given.delivery_round.pk)
    with pytest.raises(ValidationError):
        standing_order_create(
            buyer=given.buyer,
            producer=given.farm,
            weekday=2,
            hand_over=HandOver.FARM,
            place_id=given.place.pk,
            lines=[(given.carrots.pk, Decimal("2"))],
            starts_on=date(2026, 1, 1),
        )
    assert not StandingOrder.objects.exists()


def test_the_scheduler_runs_the_generation_with_its_round_time() -> None:
    given = scenario()
    _weekly(given, 2)

    registered = {periodic.name: periodic.pass_time for periodic in periodic_tasks()}
    made = generate_standing_orders.call(at=AT.isoformat())

    assert registered[generate_standing_orders.name] is True
    assert made == 1
    assert StandingOrderRun.objects.get().hand_over_on == date(2026, 12, 8)
