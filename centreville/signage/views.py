"""Counting addresses behind the QR codes, and the codes and posters for merchants and managers."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from centreville.activity import services as activity
from centreville.activity.models import Metric
from centreville.core.french import de
from centreville.core.links import absolute_url
from centreville.shops.models import Shop
from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from . import codes
from .posters import Poster, poster_pdf

# --- What a scan does: count it (no cookie, no address, no identifier) and go on ----------------------


@require_safe
@never_cache
@space_view(single_town=True)
def town_scan(request: HttpRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    if request.method == "GET":  # link checkers send HEAD: not a person scanning
        activity.record(Metric.QR_SCAN, town_id=space.town.pk)
    return redirect("showcase:home", town_slug=space.slug)


@require_safe
@never_cache
@space_view(single_town=True)
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


# --- Codes and posters ------------------------------------------------------------------------------------


def _shop_for(request: HttpRequest, space: Space, shop_slug: str) -> Shop:
    assert space.town is not None
    shop = get_object_or_404(
        Shop.objects.for_town(space.town).select_related("town", "category"), slug=shop_slug
    )
    if not request.user.has_perm("shops.change_shop", shop):
        raise PermissionDenied
    return shop


def _svg(url: str, title: str) -> HttpResponse:
    return HttpResponse(codes.code_svg(codes.make_code(url), title=title), content_type="image/svg+xml")


def _png(url: str) -> HttpResponse:
    return HttpResponse(codes.code_png(codes.make_code(url)), content_type="image/png")


def _pdf(poster: Poster, filename: str) -> HttpResponse:
    response = HttpResponse(poster_pdf(poster), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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


def _town_poster(town: Town, url: str) -> Poster:
    with translation.override(settings.LANGUAGE_CODE):
        return Poster(
            title=town.name,
            subtitle=_("Les commerces indépendants du centre-ville"),
            address="",
            town_name=town.name,
            platform_name=settings.PLATFORM_NAME,
            call_to_action=_("Scannez pour découvrir les commerces, leurs produits et leurs horaires"),
            url=url,
            brand_colour=town.brand_colour,
        )


@require_safe
@login_required
@space_view(single_town=True)
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
@login_required
@space_view(single_town=True)
def shop_qr_svg(request: HttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    shop = _shop_for(request, space, shop_slug)
    return _svg(absolute_url(codes.shop_scan_path(shop)), title=shop.name)


@require_safe
@login_required
@space_view(single_town=True)
def shop_qr_png(request: HttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    shop = _shop_for(request, space, shop_slug)
    return _png(absolute_url(codes.shop_scan_path(shop)))


@require_safe
@login_required
@space_view(single_town=True)
def shop_poster(request: HttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    shop = _shop_for(request, space, shop_slug)
    poster = _shop_poster(shop, absolute_url(codes.shop_scan_path(shop)))
    return _pdf(poster, f"affiche-{space.slug}-{shop.slug}.pdf")


@require_safe
@space_view(permission="towns.change_town")
def town_print(request: HttpRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    context = {
        "heading": _("QR code et affiche %(de_name)s") % {"de_name": de(space.town.name)},
        "name": space.town.name,
        "scan_url": absolute_url(codes.town_scan_path(space.town)),
        "svg_url": reverse("signage:town_qr_svg", args=[space.slug]),
        "png_url": reverse("signage:town_qr_png", args=[space.slug]),
        "pdf_url": reverse("signage:town_poster", args=[space.slug]),
        "file_stem": space.slug,
        "is_shop": False,
    }
    return render(request, "signage/print.html", context)


@require_safe
@space_view(permission="towns.change_town")
def town_qr_svg(request: HttpRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    return _svg(absolute_url(codes.town_scan_path(space.town)), title=space.town.name)


@require_safe
@space_view(permission="towns.change_town")
def town_qr_png(request: HttpRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    return _png(absolute_url(codes.town_scan_path(space.town)))


@require_safe
@space_view(permission="towns.change_town")
def town_poster(request: HttpRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    poster = _town_poster(space.town, absolute_url(codes.town_scan_path(space.town)))
    return _pdf(poster, f"affiche-{space.slug}.pdf")
