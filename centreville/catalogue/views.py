"""The public page of a product, under its shop: /<town>/commerces/<shop>/produits/<product>/."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from centreville.activity.models import Metric
from centreville.core.pagecache import cached_town_page, expire_page_at
from centreville.shops import selectors, seo
from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space


@require_safe
@space_view(single_town=True)
@cached_town_page(metric=Metric.PRODUCT_VIEW)
def product_detail(request: HttpRequest, space: Space, shop_slug: str, product_slug: str) -> HttpResponse:
    now = timezone.now()
    content = selectors.product_page(space, shop_slug, product_slug, at=now)
    if content is None:
        raise Http404
    product, shop = content.product, content.shop
    url = seo.canonical_url(reverse("shops:product", args=[space.slug, shop.slug, product.slug]))
    shop_url = seo.canonical_url(reverse("shops:detail", args=[space.slug, shop.slug]))
    images = seo.image_urls(content.photos)
    data = seo.product_schema(product, url=url, shop_url=shop_url, images=images, variants=content.variants)
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
