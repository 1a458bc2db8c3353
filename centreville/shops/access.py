"""Reach a shop of the space's town, or answer 404 / 403: the one gate of every page about a shop it runs."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404, HttpRequest

from centreville.towns.spaces import Space

from .models import Shop


def managed_shop(
    request: HttpRequest, space: Space, shop_slug: str, *, permission: str | None = None
) -> Shop:
    """The shop of this town named `shop_slug`, if the person has on it the `shop_permission` the view
    declared in its `space_view` (its access rule), or `permission` for a shop named elsewhere than in
    the address's path (a filter of the query string)."""
    assert space.town is not None
    permission = permission or getattr(request, "shop_permission", None)
    if not permission:
        raise ImproperlyConfigured("A view reaching a shop declares space_view(shop_permission=…).")
    shop = Shop.objects.for_town(space.town).filter(slug=shop_slug).select_related("town", "category").first()
    if shop is None:
        raise Http404
    if not request.user.has_perm(permission, shop):
        raise PermissionDenied
    return shop
