"""A wholesale order's life: every legal move, who makes it, and what it does to the lots.

`TRANSITIONS` is the whole state machine; anything else is refused. Making a move (locks, lots, signals) is
`services.order_transition()`; adjusting the quantities handed over (not a move) is `services.order_adjust()`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .models import OrderStatus, WholesaleOrder


class Actor(enum.Enum):
    PRODUCER = "producer"
    BUYER = "buyer"


@dataclass(frozen=True)
class Transition:
    actor: Actor
    needs_reason: bool = False  # the buyer reads it
    gives_back: bool = False  # the order's quantities go back on their lots


TRANSITIONS: dict[tuple[str, str], Transition] = {
    (OrderStatus.PLACED, OrderStatus.ACCEPTED): Transition(Actor.PRODUCER),
    (OrderStatus.PLACED, OrderStatus.REFUSED): Transition(Actor.PRODUCER, needs_reason=True, gives_back=True),
    (OrderStatus.ACCEPTED, OrderStatus.READY): Transition(Actor.PRODUCER),
    (OrderStatus.READY, OrderStatus.COLLECTED): Transition(Actor.PRODUCER),
    # The buyer changes their mind before the producer has said yes.
    (OrderStatus.PLACED, OrderStatus.CANCELLED): Transition(Actor.BUYER, gives_back=True),
}

# The statuses an order never leaves.
ENDED_STATUSES: frozenset[str] = frozenset(set(OrderStatus.values) - {start for start, _ in TRANSITIONS})
# While the producer may still change what it hands over (short deliveries, weights).
ADJUSTABLE_STATUSES = frozenset({OrderStatus.ACCEPTED, OrderStatus.READY})


def transition_rule(order: WholesaleOrder, to_status: str) -> Transition | None:
    return TRANSITIONS.get((order.status, to_status))


def moves(order: WholesaleOrder, actor: Actor) -> list[str]:
    """The statuses `actor` may move the order to next, in the table's order."""
    return [
        to_status
        for (from_status, to_status), transition in TRANSITIONS.items()
        if from_status == order.status and transition.actor is actor
    ]
