"""What search engines read of a product's page: schema.org Product and its offers, sold by the shop's
LocalBusiness (`centreville.shops.seo`)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from centreville.shops.seo import SCHEMA, business_id, business_type, summary

from .models import Product, ProductVariant


def availability(stock: int | None) -> str:
    """schema.org availability of a stock: none given means the shop gets it when asked (back order)."""
    if stock is None:
        return f"{SCHEMA}/BackOrder"
    return f"{SCHEMA}/InStock" if stock > 0 else f"{SCHEMA}/OutOfStock"


def _price(value: Decimal) -> str:
    return f"{value:.2f}"


def product_schema(
    product: Product,
    *,
    url: str,
    shop_url: str,
    images: Sequence[str],
    variants: Sequence[ProductVariant] = (),
) -> dict[str, Any]:
    """schema.org Product with one Offer (or one per variant) sold by the shop's LocalBusiness."""
    shop = product.shop
    seller = {
        "@type": business_type(shop),
        "@id": business_id(shop_url),
        "name": shop.name,
        "url": shop_url,
    }

    def offer(price: Decimal, stock: int | None, name: str = "") -> dict[str, Any]:
        data = {
            "@type": "Offer",
            "price": _price(price),
            "priceCurrency": "EUR",
            "availability": availability(stock),
            "url": url,
            "seller": seller,
        }
        if name:
            data["name"] = name
        return data

    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "Product",
        "name": product.title,
        "url": url,
    }
    if product.description:
        data["description"] = summary(product.description)
    if product.category is not None:
        data["category"] = product.category.name
    if product.reference:
        data["sku"] = product.reference
    if images:
        data["image"] = list(images)
    if variants:
        data["offers"] = [
            offer(variant.price if variant.price is not None else product.price, variant.stock, variant.label)
            for variant in variants
        ]
    else:
        data["offers"] = offer(product.price, product.stock)
    return data
