"""Reach a shop or a product of the space's town, or answer 404 / 403: the one gate of every merchant page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest

from centreville.activity import services as activity
from centreville.activity.models import Metric
from centreville.catalogue import selectors as catalogue_selectors
from centreville.catalogue.models import Product
from centreville.shops.models import Shop
from centreville.towns.spaces import Space


def managed_shop(request: HttpRequest, space: Space, shop_slug: str, *, permission: str) -> Shop:
    """The shop of this town named `shop_slug`, if the person has `permission` on it."""
    assert space.town is not None
    shop = Shop.objects.for_town(space.town).filter(slug=shop_slug).select_related("town", "category").first()
    if shop is None:
        raise Http404
    if not request.user.has_perm(permission, shop):
        raise PermissionDenied
    return shop


def managed_product(request: HttpRequest, shop: Shop, product_slug: str) -> Product:
    """A product of `shop` (never another shop's, whatever the address says) the person may change."""
    product = catalogue_selectors.shop_product_by_slug(shop, product_slug)
    if product is None:
        raise Http404
    if not request.user.has_perm("catalogue.change_product", product):
        raise PermissionDenied
    return product


def add_service_error(form: BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        target: Any = name if name in form.fields else None
        form.add_error(target, errors)


def count_update(shop: Shop) -> None:
    """Count, for the town's dashboard, that the shop was kept up to date today: one more for the shop and
    the day, nothing about who did it."""
    activity.record(Metric.MERCHANT_UPDATE, town_id=shop.town_id, shop_slug=shop.slug)
