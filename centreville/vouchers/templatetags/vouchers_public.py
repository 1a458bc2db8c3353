"""Amounts in cents as the residents' pages show them, in the page's language."""

from __future__ import annotations

from django import template

from centreville.vouchers.ledger import euros as euros_of

register = template.Library()


@register.filter
def euros(cents: int | None) -> str:
    """1250 → « 12,50 € »."""
    return euros_of(cents or 0)


@register.filter
def signed_euros(cents: int) -> str:
    """A movement: « +30,00 € » credited, « \u221212,50 € » spent (with a true minus sign)."""
    return ("+" if cents > 0 else "\u2212" if cents < 0 else "") + euros_of(abs(cents))


@register.filter
def code_groups(code_display: str) -> list[str]:
    """« 7K3M-QX2P-9VTA-H4RC » → its four groups, shown apart to be read out."""
    return code_display.split("-")
