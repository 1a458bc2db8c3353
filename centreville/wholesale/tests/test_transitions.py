from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from centreville.lots.tests.factories import LotFactory
from centreville.wholesale.checkout import place_orders
from centreville.wholesale.models import OrderStatus, WholesaleOrder
from centreville.wholesale.services import LineAdjustment, order_adjust, order_transition
from centreville.wholesale.signals import wholesale_order_changed, wholesale_order_collected
from centreville.wholesale.transitions import ENDED_STATUSES, TRANSITIONS, Actor, moves

from .scenario import AT, Scenario, scenario

pytestmark = pytest.mark.django_db
LATER = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)


def _placed() -> tuple[Scenario, WholesaleOrder]:
    given = scenario()
    [order] = place_orders(
        buyer=given.buyer,
        wanted=[(given.carrots.pk, Decimal("10"))],
        choices={given.farm.pk: given.farm_choice()},
        at=AT,
    )
    return given, order


def test_the_map_holds_every_legal_move_and_ended_statuses_leave_none() -> None:
    assert {OrderStatus.REFUSED, OrderStatus.COLLECTED, OrderStatus.CANCELLED} == ENDED_STATUSES
    assert (OrderStatus.ACCEPTED, OrderStatus.CANCELLED) not in TRANSITIONS
    order = WholesaleOrder(status=OrderStatus.PLACED)
    assert moves(order, Actor.PRODUCER) == [OrderStatus.ACCEPTED, OrderStatus.REFUSED]
    assert moves(order, Actor.BUYER) == [OrderStatus.CANCELLED]


@pytest.mark.parametrize(
    ("steps", "actor", "illegal"),
    [
        ([], Actor.PRODUCER, OrderStatus.READY),
        ([], Actor.PRODUCER, OrderStatus.CANCELLED),  # only the buyer cancels
        ([], Actor.BUYER, OrderStatus.ACCEPTED),
        ([OrderStatus.ACCEPTED], Actor.BUYER, OrderStatus.CANCELLED),  # too late once accepted
        ([OrderStatus.ACCEPTED, OrderStatus.READY, OrderStatus.COLLECTED], Actor.PRODUCER, OrderStatus.READY),
    ],
)
def test_illegal_moves_are_refused_in_french_and_change_nothing(steps, actor, illegal) -> None:
    _given, order = _placed()
    for step in steps:
        order = order_transition(order=order, to_status=step, actor=Actor.PRODUCER, at=LATER)

    with pytest.raises(ValidationError) as refused:
        order_transition(order=order, to_status=illegal, actor=actor, at=LATER)

    assert "ce changement n'est pas possible" in refused.value.messages[0]
    order.refresh_from_db()
    assert order.status == (steps[-1] if steps else OrderStatus.PLACED)


def test_a_refusal_needs_a_reason_and_gives_the_quantities_back(django_capture_on_commit_callbacks) -> None:
    given, order = _placed()
    heard: list[str] = []
    wholesale_order_changed.connect(
        lambda sender, order, previous_status, at, **kw: heard.append(order.status),
        weak=False,
        dispatch_uid="t1",
    )

    with pytest.raises(ValidationError):
        order_transition(
            order=order, to_status=OrderStatus.REFUSED, actor=Actor.PRODUCER, at=LATER, reason="  "
        )
    with django_capture_on_commit_callbacks(execute=True):
        order_transition(
            order=order, to_status=OrderStatus.REFUSED, actor=Actor.PRODUCER, at=LATER, reason="Gel"
        )
    wholesale_order_changed.disconnect(dispatch_uid="t1")

    order.refresh_from_db()
    given.carrots.refresh_from_db()
    assert (order.status, order.refusal_reason, order.decided_at) == (OrderStatus.REFUSED, "Gel", LATER)
    assert given.carrots.quantity_available == Decimal("40")
    assert heard == [OrderStatus.REFUSED]


def test_the_buyer_cancels_before_acceptance_and_the_lot_gets_it_back() -> None:
    given, order = _placed()

    order_transition(order=order, to_status=OrderStatus.CANCELLED, actor=Actor.BUYER, at=LATER)

    given.carrots.refresh_from_db()
    assert given.carrots.quantity_available == Decimal("40")


def test_a_short_delivery_gives_the_difference_back_and_weights_are_recorded(
    django_capture_on_commit_callbacks,
) -> None:
    given, order = _placed()
    ham = LotFactory.create(
        enterprise=given.farm,
        title="Jambon",
        unit="piece",
        variable_weight=True,
        estimated_weight=Decimal("2.000"),
        unit_price=Decimal("18.0000"),
        minimum_quantity=Decimal("1"),
        quantity_available=Decimal("4"),
    )
    [order] = place_orders(
        buyer=given.buyer,
        wanted=[(given.carrots.pk, Decimal("10")), (ham.pk, Decimal("2"))],
        choices={given.farm.pk: given.farm_choice()},
        at=AT,
    )
    order = order_transition(order=order, to_status=OrderStatus.ACCEPTED, actor=Actor.PRODUCER, at=LATER)
    carrots_line, ham_line = order.lines.order_by("pk")
    assert ham_line.total == Decimal("72.00")  # estimated: 2 × 2 kg × 18 €

    with pytest.raises(ValidationError):
        order_adjust(
            order=order,
            adjustments=[LineAdjustment(carrots_line.pk, delivered_quantity=Decimal("11"))],
            at=LATER,
        )
    order_adjust(
        order=order,
        adjustments=[
            LineAdjustment(carrots_line.pk, delivered_quantity=Decimal("7")),
            LineAdjustment(ham_line.pk, final_weight=Decimal("4.250")),
        ],
        at=LATER,
    )

    given.carrots.refresh_from_db()
    carrots_line.refresh_from_db()
    ham_line.refresh_from_db()
    assert given.carrots.quantity_available == Decimal("23")  # 40 - 10 - 10 + 3
    assert carrots_line.delivered_quantity == Decimal("7")
    assert ham_line.total == Decimal("76.50")
    collected: list[WholesaleOrder] = []
    wholesale_order_collected.connect(
        lambda sender, order, at, **kw: collected.append(order), weak=False, dispatch_uid="t2"
    )
    order_transition(order=order, to_status=OrderStatus.READY, actor=Actor.PRODUCER, at=LATER)
    with django_capture_on_commit_callbacks(execute=True):
        order_transition(order=order, to_status=OrderStatus.COLLECTED, actor=Actor.PRODUCER, at=LATER)
    wholesale_order_collected.disconnect(dispatch_uid="t2")
    assert [o.pk for o in collected] == [order.pk]
    order.refresh_from_db()
    assert order.collected_at == LATER
    with pytest.raises(ValidationError):
        order_adjust(
            order=order,
            adjustments=[LineAdjustment(carrots_line.pk, delivered_quantity=Decimal("1"))],
            at=LATER,
        )
