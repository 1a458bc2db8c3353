"""Amounts in cents and voucher codes as pages show them, in the page's language."""

from __future__ import annotations

from django import template

from centreville.vouchers.codes import code_display
from centreville.vouchers.ledger import euros as euros_of

register = template.Library()


@register.filter
def euros(cents: int | None) -> str:
    """1250 → « 12,50 € »; None counts as nothing spent: « 0,00 € »."""
    return euros_of(cents or 0)


@register.filter
def euros_or_blank(cents: int | None) -> str:
    """1250 → « 12,50 € »; nothing for None (a budget or a cap not set)."""
    return "" if cents is None else euros_of(int(cents))


@register.filter
def signed_euros(cents: int) -> str:
    """A movement: « +30,00 € » credited, « \u221212,50 € » spent (with a true minus sign)."""
    return ("+" if cents > 0 else "\u2212" if cents < 0 else "") + euros_of(abs(cents))


@register.filter
def voucher_code(code: str) -> str:
    """The code in four groups of four."""
    return code_display(code)


@register.filter
def code_groups(displayed: str) -> list[str]:
    """« 7K3M-QX2P-9VTA-H4RC » → its four groups, shown apart to be read out."""
    return displayed.split("-")
