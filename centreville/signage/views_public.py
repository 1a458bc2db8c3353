"""What a scan does: count it (no cookie, no address, no identifier) and go on to the town's or the shop's
page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from centreville.activity import services as activity
from centreville.activity.models import Metric
from centreville.core.access import public
from centreville.shops.models import Shop
from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space


@require_safe
@never_cache
@space_view(single_town=True)
@public
def town_scan(request: HttpRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    if request.method == "GET":  # link checkers send HEAD: not a person scanning
        activity.record(Metric.QR_SCAN, town_id=space.town.pk)
    return redirect("showcase:home", town_slug=space.slug)


@require_safe
@never_cache
@space_view(single_town=True)
@public
def shop_scan(request: HttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    assert space.town is not None
    shop = Shop.objects.for_town(space.town).filter(slug=shop_slug).only("slug", "status").first()
    if shop is None:
        raise Http404
    if request.method == "GET":
        activity.record(Metric.QR_SCAN, town_id=space.town.pk, shop_slug=shop.slug)
    if not shop.is_public:  # a poster outlives a closure: lead to the town rather than to a dead end
        return redirect("showcase:home", town_slug=space.slug)
    return redirect("catalogue:shop", town_slug=space.slug, shop_slug=shop.slug)
