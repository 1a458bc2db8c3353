"""Amounts in cents as pages show them: `{{ 1250|euros }}` gives « 12,50 € » in the page's language."""

from __future__ import annotations

from django import template

from centreville.vouchers.ledger import euros as euros_of

register = template.Library()


@register.filter
def euros(cents: int | None) -> str:
    return euros_of(cents or 0)
