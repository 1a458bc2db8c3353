"""The town's QR code and poster, for the town team."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from centreville.core.french import de
from centreville.core.links import absolute_url
from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from . import codes
from .downloads import code_png_response, code_svg_response, poster_response
from .posters import Poster


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
    return code_svg_response(absolute_url(codes.town_scan_path(space.town)), title=space.town.name)


@require_safe
@space_view(permission="towns.change_town")
def town_qr_png(request: HttpRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    return code_png_response(absolute_url(codes.town_scan_path(space.town)))


@require_safe
@space_view(permission="towns.change_town")
def town_poster(request: HttpRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    poster = _town_poster(space.town, absolute_url(codes.town_scan_path(space.town)))
    return poster_response(poster, f"affiche-{space.slug}.pdf")
