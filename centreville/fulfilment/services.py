"""Fulfilment rules: what a shop offers, its pickup slots, delivery fees and the town's subsidy."""

from __future__ import annotations

import secrets

LOCKER_CODE_DIGITS = 6


def new_locker_code() -> str:
    """The code that opens the customer's locker, given when the order is ready."""
    return "".join(secrets.choice("0123456789") for _ in range(LOCKER_CODE_DIGITS))
