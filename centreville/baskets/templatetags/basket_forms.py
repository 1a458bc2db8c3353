"""What the "Ajouter au panier" forms of the public pages need to know."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from centreville.catalogue.models import ProductVariant

register = template.Library()


@register.filter
def orderable_variants(variants: Iterable[ProductVariant]) -> list[ProductVariant]:
    """The variants still in stock (or on request)."""
    return [variant for variant in variants if variant.stock is None or variant.stock > 0]
