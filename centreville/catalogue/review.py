"""What the town manager reads of a shop's products before deciding on it (the rest of the shop's review:
`centreville.shops.review`); the review pages get it through `templatetags/product_review.py`."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from centreville.shops.models import Shop
from centreville.shops.review import count_per_shop

from .models import Product, ProductPhoto

PREVIEW_PRODUCTS = 12


def with_product_counts(shops: QuerySet[Shop]) -> QuerySet[Shop]:
    """The same shops, each with its `product_count`, in the same one query."""
    return shops.annotate(product_count=count_per_shop(Product))


@dataclass(frozen=True)
class ReviewProducts:
    products: list[Product]  # the first ones, visible first, each with its photos
    count: int  # all of them


def review_products(shop: Shop) -> ReviewProducts:
    """A shop's first products, hidden ones included (marked as such on the page), and how many it has."""
    products = list(
        Product.objects.for_town(shop.town)
        .filter(shop=shop)
        .order_by("-is_visible", "title", "pk")
        .prefetch_related(Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "pk")))[
            :PREVIEW_PRODUCTS
        ]
    )
    if len(products) < PREVIEW_PRODUCTS:
        return ReviewProducts(products, len(products))
    return ReviewProducts(products, Product.objects.for_town(shop.town).filter(shop=shop).count())
