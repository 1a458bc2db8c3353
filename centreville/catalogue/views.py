"""The public pages that list products: a shop's page (/<town>/commerces/<shop>/), which shows the shop
and one page of its products, and a product's page under it (…/<shop>/produits/<product>/).

Anonymous visitors are served from the page cache; nothing on these pages depends on who is looking.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from centreville.activity.models import Metric
from centreville.agenda import selectors as agenda_selectors
from centreville.core.access import public
from centreville.core.pagecache import cached_town_page, expire_page_at
from centreville.shops import selectors as shop_selectors
from centreville.shops import seo
from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from . import selectors
from .seo import product_schema


@require_safe
@space_view(single_town=True)
@cached_town_page(metric=Metric.SHOP_VIEW)
@public
def shop_detail(request: HttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    now = timezone.now()
    content = shop_selectors.shop_page(space, shop_slug, at=now)
    if content is None:
        raise Http404
    shop = content.shop
    products = selectors.shop_page_products(shop, page_number=request.GET.get("page", 1))
    absolute = seo.canonical_url(reverse("catalogue:shop", args=[space.slug, shop.slug]))
    images = seo.image_urls(content.photos)
    meta = seo.PageMeta(
        title=shop.name,
        description=seo.summary(shop.description)
        or _("%(trade)s à %(town)s : adresse, horaires et produits.")
        % {"trade": shop.category.display_name, "town": shop.city},
        canonical=absolute if products.number == 1 else f"{absolute}?page={products.number}",
        og_type="business.business",
        image=images[0] if images else "",
        image_alt=content.photos[0].alt_text if content.photos else "",
        json_ld=seo.ld_json(
            seo.local_business(shop, url=absolute, images=images, closures=content.closures, at=now)
        ),
    )
    context = {"meta": meta, "shop": shop, "content": content, "products": products}
    context["offers"] = offers = agenda_selectors.shop_current_offers(shop_id=shop.pk, at=now)
    # An offer's date that ends changes the page: the cached copy lives no longer.
    valid_until = shop_selectors.earliest(content.valid_until, agenda_selectors.offers_valid_until(offers))
    return expire_page_at(render(request, "catalogue/shop_detail.html", context), valid_until, now=now)


@require_safe
@space_view(single_town=True)
@cached_town_page(metric=Metric.PRODUCT_VIEW)
@public
def product_detail(request: HttpRequest, space: Space, shop_slug: str, product_slug: str) -> HttpResponse:
    now = timezone.now()
    content = selectors.product_page(space, shop_slug, product_slug, at=now)
    if content is None:
        raise Http404
    product, shop = content.product, content.shop
    url = seo.canonical_url(reverse("catalogue:product", args=[space.slug, shop.slug, product.slug]))
    shop_url = seo.canonical_url(reverse("catalogue:shop", args=[space.slug, shop.slug]))
    images = seo.image_urls(content.photos)
    data = product_schema(product, url=url, shop_url=shop_url, images=images, variants=content.variants)
    meta = seo.PageMeta(
        title=f"{product.title} — {shop.name}",
        description=seo.summary(product.description) or f"{product.title} — {shop.name}, {shop.city}",
        canonical=url,
        og_type="product",
        image=images[0] if images else "",
        image_alt=content.photos[0].alt_text if content.photos else "",
        json_ld=seo.ld_json(data),
    )
    context = {"meta": meta, "content": content, "product": product, "shop": shop}
    return expire_page_at(
        render(request, "catalogue/product_detail.html", context), content.valid_until, now=now
    )
