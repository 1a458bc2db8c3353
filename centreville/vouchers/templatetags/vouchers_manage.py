"""Amounts in cents and voucher codes, as the town team's pages show them."""

from __future__ import annotations

from django import template

from centreville.vouchers.codes import code_display
from centreville.vouchers.ledger import euros

register = template.Library()


@register.filter
def cents(value: int | None) -> str:
    """1250 → « 12,50 € » in the page's language; nothing for None."""
    return "" if value is None else euros(int(value))


@register.filter
def voucher_code(code: str) -> str:
    """The code in four groups of four."""
    return code_display(code)
