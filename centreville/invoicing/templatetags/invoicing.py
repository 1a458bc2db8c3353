from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import template
from django.utils.formats import date_format, number_format

register = template.Library()


@register.filter
def euros(value: str | Decimal) -> str:
    """« 1 234,50 € » from the snapshot's decimal text."""
    return number_format(Decimal(value), decimal_pos=2, use_l10n=True, force_grouping=True) + "\u00a0€"


@register.filter
def quantity(value: str | Decimal) -> str:
    number = Decimal(value).normalize()
    return number_format(number, decimal_pos=max(0, -int(number.as_tuple().exponent)), use_l10n=True)


@register.filter
def unit_price(value: str | Decimal) -> str:
    """« 1,80 € », « 1,2345 € »: cents always, more decimals only when the price has them."""
    price = Decimal(value)
    places = min(4, max(2, -int(price.normalize().as_tuple().exponent)))
    return number_format(price, decimal_pos=places, use_l10n=True, force_grouping=True) + "\u00a0€"


@register.filter
def iso_day(value: str) -> str:
    return date_format(date.fromisoformat(value), "j F Y")
