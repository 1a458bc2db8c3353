"""The QR codes and posters as files to download, for the merchant's and the town team's pages."""

from __future__ import annotations

from django.http import HttpResponse

from . import codes
from .posters import Poster, poster_pdf


def code_svg_response(url: str, title: str) -> HttpResponse:
    return HttpResponse(codes.code_svg(codes.make_code(url), title=title), content_type="image/svg+xml")


def code_png_response(url: str) -> HttpResponse:
    return HttpResponse(codes.code_png(codes.make_code(url)), content_type="image/png")


def poster_response(poster: Poster, filename: str) -> HttpResponse:
    response = HttpResponse(poster_pdf(poster), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
