"""The order's life: from which status it may move to which, for which way of fulfilment, and who may.

`TRANSITIONS` is the whole state machine: every legal move, the permission it needs, and what it does to
stock and money. `order_transitions()` lists the moves an order may make next, `order_transition_rule()`
says whether one move is allowed, and `merchant_moves()` which of them a merchant's buttons offer.
Making a move (locks, stock, refunds, messages) is `services.order_transition()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from centreville.fulfilment.models import FulfilmentMethod

from .models import Order, OrderStatus

# The permissions the moves need (granted in rules.py).
HANDLE_ORDER = "orders.handle_order"
CANCEL_ORDER = "orders.cancel_order"

# Orders still waiting for someone (the merchant or the customer), in the order a merchant works.
WAITING_STATUSES = (OrderStatus.PLACED, OrderStatus.ACCEPTED, OrderStatus.READY, OrderStatus.DROPPED)

RELAY_ONLY = frozenset({FulfilmentMethod.RELAY})
# At the shop, in a locker or at the door: the order goes straight from "ready" to the customer.
NOT_RELAY = frozenset(set(FulfilmentMethod) - {FulfilmentMethod.RELAY})


@dataclass(frozen=True)
class Transition:
    permission: str | None  # None: only the platform itself (scheduled expiry)
    needs_reason: bool = False  # the customer reads it
    gives_stock_back: bool = False  # the order's articles go back on sale
    # The shop names the articles missing or damaged: those are not put back on sale, the others are.
    names_unavailable_lines: bool = False
    refunds: bool = False  # what the customer paid online is given back
    fulfilments: frozenset[str] | None = None  # only for orders collected one of these ways; None: any


# Every legal move, who may make it, what it does to stock and money, in the order a merchant's buttons
# show them. Anything else is refused.
TRANSITIONS: dict[tuple[str, str], Transition] = {
    (OrderStatus.PLACED, OrderStatus.ACCEPTED): Transition(HANDLE_ORDER),
    (OrderStatus.PLACED, OrderStatus.REFUSED): Transition(
        HANDLE_ORDER, needs_reason=True, gives_stock_back=True, refunds=True
    ),
    (OrderStatus.ACCEPTED, OrderStatus.READY): Transition(HANDLE_ORDER),
    # A relay order is ready once prepared in the shop; the customer is sent there once it is dropped.
    (OrderStatus.READY, OrderStatus.DROPPED): Transition(HANDLE_ORDER, fulfilments=RELAY_ONLY),
    (OrderStatus.READY, OrderStatus.COLLECTED): Transition(HANDLE_ORDER, fulfilments=NOT_RELAY),
    (OrderStatus.DROPPED, OrderStatus.COLLECTED): Transition(HANDLE_ORDER),
    # Nobody came (or answered the door): the articles come back to the shelf.
    (OrderStatus.READY, OrderStatus.NOT_COLLECTED): Transition(
        HANDLE_ORDER, needs_reason=True, gives_stock_back=True, refunds=True, fulfilments=NOT_RELAY
    ),
    (OrderStatus.DROPPED, OrderStatus.NOT_COLLECTED): Transition(
        HANDLE_ORDER, needs_reason=True, gives_stock_back=True, refunds=True
    ),
    # The shop cannot honour an order it accepted: what is missing or damaged is not on the shelf any more.
    (OrderStatus.ACCEPTED, OrderStatus.SHOP_CANCELLED): Transition(
        HANDLE_ORDER, needs_reason=True, gives_stock_back=True, names_unavailable_lines=True, refunds=True
    ),
    (OrderStatus.READY, OrderStatus.SHOP_CANCELLED): Transition(
        HANDLE_ORDER, needs_reason=True, gives_stock_back=True, names_unavailable_lines=True, refunds=True
    ),
    (OrderStatus.PLACED, OrderStatus.CANCELLED): Transition(
        CANCEL_ORDER, gives_stock_back=True, refunds=True
    ),
    (OrderStatus.ACCEPTED, OrderStatus.CANCELLED): Transition(
        CANCEL_ORDER, gives_stock_back=True, refunds=True
    ),
    (OrderStatus.PLACED, OrderStatus.EXPIRED): Transition(None, gives_stock_back=True, refunds=True),
    (OrderStatus.ACCEPTED, OrderStatus.EXPIRED): Transition(None, gives_stock_back=True, refunds=True),
    (OrderStatus.READY, OrderStatus.EXPIRED): Transition(None, gives_stock_back=True, refunds=True),
    (OrderStatus.DROPPED, OrderStatus.EXPIRED): Transition(None, gives_stock_back=True, refunds=True),
}

# The statuses an order never leaves (collected, refused, cancelled, not collected, expired): it has ended.
ENDED_STATUSES: frozenset[str] = frozenset(set(OrderStatus.values) - {start for start, _ in TRANSITIONS})

# The statuses from which the customer may still cancel their order.
CUSTOMER_CAN_CANCEL = frozenset(
    from_status
    for (from_status, to_status), transition in TRANSITIONS.items()
    if to_status == OrderStatus.CANCELLED and transition.permission == CANCEL_ORDER
)


def order_transition_rule(order: Order, to_status: str) -> Transition | None:
    """The move of this order to `to_status` if its life allows it (from its status, for its way)."""
    transition = TRANSITIONS.get((order.status, to_status))
    if transition is None or (
        transition.fulfilments is not None and order.fulfilment not in transition.fulfilments
    ):
        return None
    return transition


def order_transitions(order: Order) -> list[tuple[str, Transition]]:
    """Every status this order may move to next, with its rule, in the table's order."""
    return [
        (to_status, transition)
        for (from_status, to_status), transition in TRANSITIONS.items()
        if from_status == order.status and order_transition_rule(order, to_status) is transition
    ]


def merchant_moves(user: Any, order: Order) -> list[str]:
    """The statuses `user` may move `order` to from the merchant pages, in the order of the workflow."""
    if not user.has_perm(HANDLE_ORDER, order):
        return []
    return [
        to_status
        for to_status, transition in order_transitions(order)
        if transition.permission == HANDLE_ORDER
    ]
