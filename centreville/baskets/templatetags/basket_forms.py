"""What the "Ajouter au panier" forms of the public pages need to know."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from centreville.catalogue.models import ProductVariant
from centreville.shops.models import Shop

register = template.Library()


@register.filter
def orderable_variants(variants: Iterable[ProductVariant]) -> list[ProductVariant]:
    """The variants still in stock (or on request)."""
    return [variant for variant in variants if variant.stock is None or variant.stock > 0]


@register.filter
def takes_orders(shop: Shop) -> bool:
    """Whether the shop's products may go in the basket, as its page's selector found it at the moment of
    the page (`shop.order_taking`, see centreville.shops.ordering); no button when it was not asked."""
    taking = getattr(shop, "order_taking", None)
    return bool(taking is not None and taking.takes_orders)
