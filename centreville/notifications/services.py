"""PLACEHOLDER — being written: e-mail and SMS notifications of order events, via the task queue."""

from __future__ import annotations

from typing import Any


def notify_order_event(event: Any) -> None:
    """Queue, once the transaction commits, the messages this order event calls for."""
