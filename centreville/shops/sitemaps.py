"""Sitemaps, one per space at /<slug>/sitemap.xml, and /robots.txt that lists them.

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

from centreville.core.links import PublicSitemap, absolute_url
from centreville.core.pagecache import cached_town_page
from centreville.towns.decorators import space_view
from centreville.towns.models import Territory, Town
from centreville.towns.spaces import Space

from . import selectors


class SpacePagesSitemap(PublicSitemap):
    """The space's home and directory."""

    changefreq = "daily"

    def __init__(self, space: Space) -> None:
        self.space = space

    def items(self) -> list[str]:
        return ["showcase:home", "shops:directory"]

    def location(self, item: str) -> str:
        return reverse(item, args=[self.space.slug])


class ShopsSitemap(PublicSitemap):
    changefreq = "weekly"

    def __init__(self, town: Town) -> None:
        self.town = town

    def items(self) -> Any:
        return selectors.sitemap_shops(self.town)

    def location(self, item: Any) -> str:
        return reverse("shops:detail", args=[self.town.slug, item.slug])

    def lastmod(self, item: Any) -> datetime:
        updated: datetime = item.updated_at
        return updated


class ProductsSitemap(PublicSitemap):
    changefreq = "weekly"

    def __init__(self, town: Town) -> None:
        self.town = town

    def items(self) -> Any:
        return selectors.sitemap_products(self.town)

    def location(self, item: Any) -> str:
        return reverse("shops:product", args=[self.town.slug, item.shop.slug, item.slug])

    def lastmod(self, item: Any) -> datetime:
        updated: datetime = item.updated_at
        return updated


@require_safe
@space_view()
@cached_town_page(metric=None)
def space_sitemap(request: HttpRequest, space: Space) -> HttpResponse:
    sitemaps: dict[str, type[Sitemap[Any]] | Sitemap[Any]] = {"pages": SpacePagesSitemap(space)}
    if space.town is not None:
        sitemaps["shops"] = ShopsSitemap(space.town)
        sitemaps["products"] = ProductsSitemap(space.town)
    response = sitemap(request, sitemaps)
    response.render()  # the page cache stores content, which a TemplateResponse only has once rendered
    return response


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read every public page, and find each published space's sitemap here."""
    towns = Town.objects.filter(is_published=True).values_list("slug", flat=True)
    territories = Territory.objects.filter(is_published=True, towns__is_published=True).values_list(
        "slug", flat=True
    )
    slugs = sorted({*towns, *territories})
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /compte/",
        "Disallow: /langue/",
        "Disallow: /*/gestion/",
        "Disallow: /*/espace-commercant/",
        "",
        *(f"Sitemap: {absolute_url(reverse('space_sitemap', args=[slug]))}" for slug in slugs),
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
