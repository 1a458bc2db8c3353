"""Printable A4 sheets of vouchers, for the households without a phone: eight vouchers a page, each with
its QR code (the voucher's wallet page, or its code), its code in groups of four, its amount, its dates, the
programme's name and where to find the shops that take it. Cut along the dashed lines.

Drawn with reportlab's built-in Helvetica (WinAnsi: French accents and € included), black on white.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import timedelta
from zoneinfo import ZoneInfo

import segno
from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib.colors import black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from centreville.core.qr import draw_qr

from .codes import code_display
from .ledger import euros
from .models import Programme, Voucher

REGULAR = "Helvetica"
BOLD = "Helvetica-Bold"
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 10 * mm
COLUMNS, ROWS = 2, 4
PER_PAGE = COLUMNS * ROWS
CARD_WIDTH = (PAGE_WIDTH - 2 * MARGIN) / COLUMNS
CARD_HEIGHT = (PAGE_HEIGHT - 2 * MARGIN) / ROWS
PADDING = 5 * mm
QR_BOX = 34 * mm
# Error correction M and a quiet zone of 4 modules: a 34 mm code reads well from a phone at arm's length.
QR_ERROR = "m"


def vouchers_sheets_pdf(
    vouchers: Sequence[Voucher],
    *,
    programme: Programme,
    shops_address: str,
    encoded: Callable[[Voucher], str],
) -> bytes:
    """The vouchers, eight per A4 page; `encoded(voucher)` is what its QR code holds."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(programme.name)
    canvas.setAuthor(programme.holder_name)
    for start in range(0, max(len(vouchers), 1), PER_PAGE):
        for place, voucher in enumerate(vouchers[start : start + PER_PAGE]):
            column, row = place % COLUMNS, place // COLUMNS
            left = MARGIN + column * CARD_WIDTH
            top = PAGE_HEIGHT - MARGIN - row * CARD_HEIGHT
            _card(canvas, voucher, programme, shops_address, encoded(voucher), left=left, top=top)
        _cut_lines(canvas)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _day(moment: object) -> str:
    local = moment.astimezone(ZoneInfo(settings.TIME_ZONE))  # type: ignore[attr-defined]
    return formats.date_format(local, "j F Y")


def _card(
    canvas: Canvas,
    voucher: Voucher,
    programme: Programme,
    shops_address: str,
    qr_content: str,
    *,
    left: float,
    top: float,
) -> None:
    inner_left, y = left + PADDING, top - PADDING
    width = CARD_WIDTH - 2 * PADDING
    canvas.setFillColor(black)
    canvas.setFont(BOLD, 11)
    for line in simpleSplit(programme.name, BOLD, 11, width)[:2]:
        y -= 13
        canvas.drawString(inner_left, y, line)
    y -= 4
    draw_qr(canvas, segno.make_qr(qr_content, error=QR_ERROR), left=inner_left, top=y, box=QR_BOX)
    text_left = inner_left + QR_BOX + 3 * mm
    text_width = left + CARD_WIDTH - PADDING - text_left
    canvas.setFont(BOLD, 20)
    canvas.drawString(text_left, y - 22, euros(voucher.paid_issued_cents + voucher.town_issued_cents))
    canvas.setFont(REGULAR, 8)
    canvas.drawString(text_left, y - 36, _("Code du bon"))
    canvas.setFont("Courier-Bold", 11)
    canvas.drawString(text_left, y - 49, code_display(voucher.code))
    canvas.setFont(REGULAR, 8)
    last_day = max(voucher.paid_expires_at, voucher.town_expires_at) - timedelta(days=1)
    validity = _("Valable du %(first)s au %(last)s") % {
        "first": _day(voucher.issued_at),
        "last": _day(last_day),
    }
    line_y = y - 63
    for line in simpleSplit(validity, REGULAR, 8, text_width):
        canvas.drawString(text_left, line_y, line)
        line_y -= 10
    if voucher.beneficiary_name:
        for line in simpleSplit(voucher.beneficiary_name, REGULAR, 8, text_width)[:2]:
            canvas.drawString(text_left, line_y, line)
            line_y -= 10
    bottom = top - CARD_HEIGHT + PADDING
    canvas.setFont(REGULAR, 7.5)
    lines = simpleSplit(
        _("Liste des commerces : %(address)s") % {"address": shops_address}, REGULAR, 7.5, width
    )
    for index, line in enumerate(reversed(lines[:3])):
        canvas.drawString(inner_left, bottom + index * 9, line)


def _cut_lines(canvas: Canvas) -> None:
    canvas.setStrokeColor(black)
    canvas.setLineWidth(0.3)
    canvas.setDash(3, 3)
    for column in range(COLUMNS + 1):
        x = MARGIN + column * CARD_WIDTH
        canvas.line(x, MARGIN, x, PAGE_HEIGHT - MARGIN)
    for row in range(ROWS + 1):
        y = MARGIN + row * CARD_HEIGHT
        canvas.line(MARGIN, y, PAGE_WIDTH - MARGIN, y)
    canvas.setDash()
