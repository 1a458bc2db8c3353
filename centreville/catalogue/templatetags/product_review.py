"""The products part of the town manager's review pages (`centreville.shops.views_manage`)."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import QuerySet

from centreville.catalogue import review
from centreville.shops.models import Shop

register = template.Library()


@register.simple_tag
def with_product_counts(shops: QuerySet[Shop]) -> QuerySet[Shop]:
    """`{% with_product_counts shops as shops %}`: each shop of the queue with its `product_count`."""
    return review.with_product_counts(shops)


@register.inclusion_tag("catalogue/manage/_review_products.html")
def review_products(shop: Shop) -> dict[str, Any]:
    """The shop's products section of its preview: the first ones and how many there are."""
    content = review.review_products(shop)
    return {"products": content.products, "product_count": content.count}
