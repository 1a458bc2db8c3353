"""Reach a product of a shop the person runs, or answer 404 / 403; count that a shop was kept up to date.

The shop itself is reached with `centreville.shops.access.managed_shop`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from centreville.activity import services as activity
from centreville.activity.models import Metric
from centreville.catalogue import selectors as catalogue_selectors
from centreville.catalogue.models import Product
from centreville.shops.models import Shop


def managed_product(request: HttpRequest, shop: Shop, product_slug: str) -> Product:
    """A product of `shop` (never another shop's, whatever the address says) the person may change."""
    product = catalogue_selectors.shop_product_by_slug(shop, product_slug)
    if product is None:
        raise Http404
    if not request.user.has_perm("catalogue.change_product", product):
        raise PermissionDenied
    return product


def count_update(shop: Shop) -> None:
    """Count, for the town's dashboard, that the shop was kept up to date today: one more for the shop and
    the day, nothing about who did it."""
    activity.record(Metric.MERCHANT_UPDATE, town_id=shop.town_id, shop_slug=shop.slug)
