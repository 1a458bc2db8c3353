"""Filters of the public product pages (the ones every showcase page uses: `centreville.shops` `showcase`)."""

from __future__ import annotations

import re

from django import template

from centreville.catalogue.models import ProductVariant

register = template.Library()


@register.filter
def variant_details(variant: ProductVariant) -> list[str]:
    """The size and colour a variant's label does not already say: « Taille 38 » with size 38 adds nothing."""
    return [
        part
        for part in (variant.size, variant.colour)
        if part and not re.search(rf"(?<!\w){re.escape(part)}(?!\w)", variant.label, re.IGNORECASE)
    ]
