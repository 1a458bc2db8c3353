"""A4 posters for a shop window or a street totem: a name, a big QR code and a short call to action.

Drawn with reportlab's built-in Helvetica (WinAnsi: French accents, œ and € included), black on white
for the code and the text, the town's colour only in the header band, with text in whichever of black
or white contrasts with it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.colors import HexColor, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from centreville.core.qr import draw_qr
from centreville.towns.spaces import readable_text_colour

from .codes import make_code

REGULAR = "Helvetica"
BOLD = "Helvetica-Bold"
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
BAND_HEIGHT = 32 * mm
# The code with its quiet zone (4 modules of white): the code itself is about 10 cm, readable from 3 m.
QR_BOX = 130 * mm


@dataclass(frozen=True)
class Poster:
    title: str  # the shop's (or the town's) name, the largest text
    subtitle: str  # its trade, or what the town poster leads to
    address: str
    town_name: str
    platform_name: str
    call_to_action: str
    url: str  # what the code encodes, also printed for those who cannot scan
    brand_colour: str  # "#rrggbb"


def poster_pdf(poster: Poster) -> bytes:
    """The poster as a one-page A4 PDF."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{poster.title} — {poster.platform_name}")
    canvas.setAuthor(poster.platform_name)
    canvas.setSubject(poster.call_to_action)
    canvas.setCreator(poster.platform_name)

    _header(canvas, poster)
    y = PAGE_HEIGHT - BAND_HEIGHT - 16 * mm
    y = _centred_lines(canvas, poster.title, BOLD, y, largest=46, smallest=26, max_lines=2)
    if poster.subtitle:
        y = _centred_lines(canvas, poster.subtitle, REGULAR, y - 2 * mm, largest=22, smallest=16)
    if poster.address:
        y = _centred_lines(canvas, poster.address, REGULAR, y, largest=18, smallest=13)

    left = (PAGE_WIDTH - QR_BOX) / 2
    draw_qr(canvas, make_code(poster.url), left=left, top=y, box=QR_BOX)
    canvas.linkURL(poster.url, (left, y - QR_BOX, left + QR_BOX, y))

    y = y - QR_BOX - 2 * mm
    y = _centred_lines(canvas, poster.call_to_action, BOLD, y, largest=28, smallest=18, max_lines=2)
    display_url = poster.url.split("://", 1)[-1]
    _centred_lines(canvas, display_url, REGULAR, y - 2 * mm, largest=14, smallest=8)

    canvas.setFont(REGULAR, 11)
    canvas.setFillColor(black)
    canvas.drawCentredString(
        PAGE_WIDTH / 2, MARGIN / 2 + 2 * mm, f"{poster.platform_name} · {poster.town_name}"
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _header(canvas: Canvas, poster: Poster) -> None:
    canvas.setFillColor(HexColor(poster.brand_colour))
    canvas.rect(0, PAGE_HEIGHT - BAND_HEIGHT, PAGE_WIDTH, BAND_HEIGHT, stroke=0, fill=1)
    canvas.setFillColor(HexColor(readable_text_colour(poster.brand_colour)))
    size = _fitting_size(poster.town_name, BOLD, largest=30, smallest=16)
    canvas.setFont(BOLD, size)
    canvas.drawString(MARGIN, PAGE_HEIGHT - BAND_HEIGHT / 2 + 1 * mm, poster.town_name)
    canvas.setFont(REGULAR, 14)
    canvas.drawString(MARGIN, PAGE_HEIGHT - BAND_HEIGHT / 2 - 8 * mm, poster.platform_name)


def _fitting_size(text: str, font: str, *, largest: float, smallest: float) -> float:
    size = largest
    while size > smallest and stringWidth(text, font, size) > CONTENT_WIDTH:
        size -= 1
    return size


def _centred_lines(
    canvas: Canvas,
    text: str,
    font: str,
    top: float,
    *,
    largest: float,
    smallest: float,
    max_lines: int = 1,
) -> float:
    """Draw `text` centred below `top`, as large as fits in `max_lines` lines; returns the y below it.

    One line is preferred while it stays at three quarters of the largest size or more.
    """
    size = _fitting_size(text, font, largest=largest, smallest=max(smallest, largest * 0.75))
    lines = [text]
    if stringWidth(text, font, size) > CONTENT_WIDTH:
        size = largest
        lines = simpleSplit(text, font, size, CONTENT_WIDTH)
        while size > smallest and (len(lines) > max_lines or _too_wide(lines, font, size)):
            size -= 1
            lines = simpleSplit(text, font, size, CONTENT_WIDTH)
    canvas.setFillColor(black)
    canvas.setFont(font, size)
    leading = size * 1.2
    y = top
    for line in lines:
        y -= leading
        canvas.drawCentredString(PAGE_WIDTH / 2, y + size * 0.2, line)
    return y


def _too_wide(lines: list[str], font: str, size: float) -> bool:
    return any(stringWidth(line, font, size) > CONTENT_WIDTH for line in lines)
