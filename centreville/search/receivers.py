"""The search index follows the shops and products it holds, once their changes are committed."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from centreville.catalogue.signals import products_changed, products_removed
from centreville.shops.signals import shops_changed

from .services import index_products_on_commit, index_shops_on_commit, remove_products_on_commit


@receiver(shops_changed, dispatch_uid="search.index_changed_shops")
def index_changed_shops(sender: Any, shop_ids: list[int], **kwargs: Any) -> None:
    index_shops_on_commit(shop_ids)


@receiver(products_changed, dispatch_uid="search.index_changed_products")
def index_changed_products(sender: Any, product_ids: list[int], **kwargs: Any) -> None:
    index_products_on_commit(product_ids)


@receiver(products_removed, dispatch_uid="search.unindex_removed_products")
def unindex_removed_products(sender: Any, product_ids: list[int], **kwargs: Any) -> None:
    remove_products_on_commit(product_ids)
