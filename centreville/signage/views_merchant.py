"""A shop's QR code and poster, for the people who run the shop."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from centreville.core.links import absolute_url
from centreville.shops.access import managed_shop
from centreville.shops.models import Shop
from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from . import codes
from .downloads import code_png_response, code_svg_response, poster_response
from .posters import Poster

# Anyone signed in reaches the merchant area; each shop's page checks that shop.
SIGNED_IN = "shops.add_shop"


def _shop_for(request: HttpRequest, space: Space, shop_slug: str) -> Shop:
    return managed_shop(request, space, shop_slug)


def _shop_poster(shop: Shop, url: str) -> Poster:
    # A poster in the street speaks the town's language, whatever the merchant's screen is set to.
    with translation.override(settings.LANGUAGE_CODE):
        return Poster(
            title=shop.name,
            subtitle=shop.category.name,
            address=f"{shop.street_address}, {shop.postcode} {shop.city}",
            town_name=shop.town.name,
            platform_name=settings.PLATFORM_NAME,
            call_to_action=_("Scannez pour voir nos produits et nos horaires"),
            url=url,
            brand_colour=shop.town.brand_colour,
        )


@require_safe
@space_view(single_town=True, permission=SIGNED_IN, shop_permission="shops.change_shop")
def shop_print(request: HttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    shop = _shop_for(request, space, shop_slug)
    context = {
        "heading": _("QR code et affiche de « %(name)s »") % {"name": shop.name},
        "name": shop.name,
        "scan_url": absolute_url(codes.shop_scan_path(shop)),
        "svg_url": reverse("signage:shop_qr_svg", args=[space.slug, shop.slug]),
        "png_url": reverse("signage:shop_qr_png", args=[space.slug, shop.slug]),
        "pdf_url": reverse("signage:shop_poster", args=[space.slug, shop.slug]),
        "file_stem": f"{space.slug}-{shop.slug}",
        "is_shop": True,
        "shop": shop,
        "shop_is_public": shop.is_public,
    }
    return render(request, "signage/print.html", context)


@require_safe
@space_view(single_town=True, permission=SIGNED_IN, shop_permission="shops.change_shop")
def shop_qr_svg(request: HttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    shop = _shop_for(request, space, shop_slug)
    return code_svg_response(absolute_url(codes.shop_scan_path(shop)), title=shop.name)


@require_safe
@space_view(single_town=True, permission=SIGNED_IN, shop_permission="shops.change_shop")
def shop_qr_png(request: HttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    shop = _shop_for(request, space, shop_slug)
    return code_png_response(absolute_url(codes.shop_scan_path(shop)))


@require_safe
@space_view(single_town=True, permission=SIGNED_IN, shop_permission="shops.change_shop")
def shop_poster(request: HttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    shop = _shop_for(request, space, shop_slug)
    poster = _shop_poster(shop, absolute_url(codes.shop_scan_path(shop)))
    return poster_response(poster, f"affiche-{space.slug}-{shop.slug}.pdf")
