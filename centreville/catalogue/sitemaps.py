"""Sitemaps, one per space at /<slug>/sitemap.xml (robots.txt lists them: `centreville.shops.sitemaps`).

A town's sitemap lists its home, its directory, its published shops and their visible products; a
territory's lists its own home and directory (its shops are in their towns' sitemaps).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from centreville.core.access import public
from centreville.core.links import PublicSitemap
from centreville.core.pagecache import cached_town_page
from centreville.shops.sitemaps import ShopsSitemap, SpacePagesSitemap
from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from . import selectors


class ProductsSitemap(PublicSitemap):
    changefreq = "weekly"

    def __init__(self, town: Town) -> None:
        self.town = town

    def items(self) -> Any:
        return selectors.sitemap_products(self.town)

    def location(self, item: Any) -> str:
        return reverse("catalogue:product", args=[self.town.slug, item.shop.slug, item.slug])

    def lastmod(self, item: Any) -> datetime:
        updated: datetime = item.updated_at
        return updated


@require_safe
@space_view()
@cached_town_page(metric=None)
@public
def space_sitemap(request: HttpRequest, space: Space) -> HttpResponse:
    sitemaps: dict[str, type[Sitemap[Any]] | Sitemap[Any]] = {"pages": SpacePagesSitemap(space)}
    if space.town is not None:
        sitemaps["shops"] = ShopsSitemap(space.town)
        sitemaps["products"] = ProductsSitemap(space.town)
    response = sitemap(request, sitemaps)
    response.render()  # the page cache stores content, which a TemplateResponse only has once rendered
    return response
