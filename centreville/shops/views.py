from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from . import selectors


@space_view(single_town=True)
def shop_detail(request: HttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    shop = selectors.shop_for_page(space, shop_slug)
    if shop is None:
        raise Http404
    products = selectors.shop_visible_products(shop)
    return render(request, "shops/shop_detail.html", {"shop": shop, "products": products})
