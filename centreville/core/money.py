"""Amounts of money as people read them, in the active language."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats
from django.utils.translation import get_language


def euros_text(amount: Decimal | int, places: int = 2) -> str:
    """« 1 250,50 € » in French, the sign behind a no-break space so that a line never starts with it;
    « €1,250.50 » in English."""
    number = formats.number_format(amount, places, use_l10n=True, force_grouping=True)
    return f"€{number}" if (get_language() or "fr").startswith("en") else f"{number}\u00a0€"
