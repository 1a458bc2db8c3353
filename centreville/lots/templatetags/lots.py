"""Figures of a lot as a page shows them, in the page's language: « 2,5 », « 1,20 € »."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from centreville.enterprises.models import Label

register = template.Library()


@register.filter
def quantity(value: Decimal | None) -> str:
    """A quantity without trailing zeros: 12 → « 12 », 2.500 → « 2,5 »."""
    if value is None:
        return ""
    normalised = value.normalize()
    places = max(0, -normalised.as_tuple().exponent)  # type: ignore[operator]
    return number_format(normalised, places, use_l10n=True)


@register.filter
def euros(value: Decimal | None) -> str:
    """A price in euros with two decimals, or more when the producer typed more (0,125 €)."""
    if value is None:
        return ""
    normalised = value.normalize()
    places = max(2, -normalised.as_tuple().exponent)  # type: ignore[operator]
    return f"{number_format(normalised, places, use_l10n=True)}\N{NO-BREAK SPACE}€"


@register.filter
def times(value: Decimal | None, factor: Decimal | None) -> Decimal | None:
    if value is None or factor is None:
        return None
    return (value * factor).quantize(Decimal("0.01"))


@register.filter
def label_name(code: str) -> str:
    """A label's name in the page's language: « ab » → « Agriculture biologique (AB) »."""
    return str(Label(code).label) if code in Label.values else code
