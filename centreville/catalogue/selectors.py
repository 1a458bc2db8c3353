"""Reads about products; every function is given the shop (and so the town) explicitly."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, QuerySet

from centreville.shops.models import Shop

from .models import Product, ProductCategory, ProductVariant

VISIBILITY_FILTERS = {"visible": Q(is_visible=True), "hidden": Q(is_visible=False)}


def shop_products(shop: Shop, *, query: str = "", visibility: str = "") -> QuerySet[Product]:
    """A shop's products for its merchants, by title; `query` matches the title or the reference,
    `visibility` is "visible", "hidden" or anything else for all."""
    products = (
        Product.objects.for_town(shop.town)
        .filter(shop=shop)
        .select_related("category")
        .order_by("title", "pk")
    )
    query = query.strip()
    if query:
        products = products.filter(Q(title__icontains=query) | Q(reference__iexact=query))
    if visibility in VISIBILITY_FILTERS:
        products = products.filter(VISIBILITY_FILTERS[visibility])
    return products


def shop_product_by_slug(shop: Shop, slug: str) -> Product | None:
    """One product of this shop by its address (never another shop's of the same name)."""
    return (
        Product.objects.for_town(shop.town)
        .filter(shop=shop, slug=slug)
        .select_related("category", "shop", "town")
        .first()
    )


def product_categories() -> list[ProductCategory]:
    return list(ProductCategory.objects.order_by("position", "name"))


def article_title(product: Product, variant: ProductVariant | None) -> str:
    """How an article reads in a basket or an order: the product, and its variant if any."""
    return f"{product.title} ({variant.label})" if variant is not None else product.title


def unit_price(product: Product, variant: ProductVariant | None) -> Decimal:
    """What one unit costs: the variant's own price if it has one, else the product's."""
    return variant.price if variant is not None and variant.price is not None else product.price
