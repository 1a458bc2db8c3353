"""The sitemaps' sections about shops, and /robots.txt that lists the sitemaps of the spaces.

Each space has its sitemap at /<slug>/sitemap.xml (`centreville.catalogue.sitemaps.space_sitemap`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from centreville.core.access import public
from centreville.core.links import PublicSitemap, absolute_url
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
        return reverse("catalogue:shop", args=[self.town.slug, item.slug])

    def lastmod(self, item: Any) -> datetime:
        updated: datetime = item.updated_at
        return updated


@require_safe
@public
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
