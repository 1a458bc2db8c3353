"""PLACEHOLDER — being written: online payment through a provider, webhooks, refunds."""

from __future__ import annotations

from typing import Any


def payment_refund_order(order: Any) -> None:
    """Refund what the customer paid online for this order, if anything (inside the transaction)."""
