"""Filters of the public showcase pages: prices in euros, stock in words, responsive photo sources."""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from centreville.core.images import RENDITION_NAMES, RENDITION_WIDTHS
from centreville.core.models import Photo
from centreville.core.money import euros_text

register = template.Library()


class NamedCategory(Protocol):
    """A trade (shops) or a product category (catalogue): a French name, shown translated if it can be."""

    name: str

    @property
    def display_name(self) -> str: ...


@register.filter
def euros(value: Decimal | int | None) -> str:
    """A price as people read it: « 1 250,50 € » in French (no-break spaces), « €1,250.50 » in English."""
    return "" if value is None else euros_text(value)


@register.filter
def category_name(category: NamedCategory | None) -> SafeString:
    """A trade's or product category's name in the page's language; marked as French (RGAA 8.7) when it has
    no translation and the page is not in French."""
    if category is None:
        return SafeString("")
    shown = category.display_name
    if shown == category.name and not get_language().startswith("fr"):
        return format_html('<span lang="fr">{}</span>', shown)
    return conditional_escape(shown)


@register.filter
def stock_label(stock: int | None) -> str:
    """In stock, available (no stock kept: not « sur demande », read as "made to order") or sold out."""
    if stock is None:  # the merchant keeps no count: it is there, as far as a visitor can tell
        return _("Disponible")
    if stock > 0:
        return _("En stock")
    return _("Épuisé")


def _medium_width(photo: Photo) -> int:
    # Only the small and large widths are stored; the medium one follows from images._fit().
    wanted = RENDITION_WIDTHS["medium"]
    if not photo.width or not photo.height:
        return wanted
    scale = min(wanted / photo.width, 2 * wanted / photo.height)
    return photo.width if scale >= 1 else max(1, round(photo.width * scale))


@register.filter
def srcset(photo: Photo, largest: str = "large") -> str:
    """The photo's renditions with their widths, for <img srcset>; each width once. `largest` ("medium")
    leaves the bigger ones out: a card's photo never needs 1280 px, whatever the screen's density."""
    kept = RENDITION_NAMES[: RENDITION_NAMES.index(largest) + 1]
    candidates = {}
    for field_name, width in (
        ("small", photo.small_width),
        ("medium", _medium_width(photo)),
        ("large", photo.width),
    ):
        if field_name not in kept:
            continue
        file = getattr(photo, field_name)
        if file and width and width not in candidates:
            candidates[width] = file.url
    return ", ".join(f"{url} {width}w" for width, url in sorted(candidates.items()))
