"""QR codes that lead to a town or to a shop through our counting address (/<town>/qr/…)."""

from __future__ import annotations

import io

import segno
from django.urls import reverse

from centreville.core.qr import QUIET_ZONE
from centreville.shops.models import Shop
from centreville.towns.models import Town

# Error correction Q: the code still reads with a quarter of it dirty, torn or in a window's glare.
ERROR_LEVEL = "q"
PNG_TARGET_PIXELS = 1200


def town_scan_path(town: Town) -> str:
    return reverse("signage:town_scan", args=[town.slug])


def shop_scan_path(shop: Shop) -> str:
    return reverse("signage:shop_scan", args=[shop.town.slug, shop.slug])


def make_code(url: str) -> segno.QRCode:
    return segno.make_qr(url, error=ERROR_LEVEL)


def code_svg(code: segno.QRCode, *, title: str) -> bytes:
    """A vector image with a quiet zone, scalable to any print size."""
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", scale=10, border=QUIET_ZONE, title=title, svgclass=None, lineclass=None)
    return buffer.getvalue()


def code_png(code: segno.QRCode) -> bytes:
    """A bitmap about 1200 pixels wide: sharp enough for an A4 print or a social network post."""
    width, _height = code.symbol_size(scale=1, border=QUIET_ZONE)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=max(4, PNG_TARGET_PIXELS // width), border=QUIET_ZONE)
    return buffer.getvalue()
