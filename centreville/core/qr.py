"""QR codes drawn into PDF pages (posters, printed vouchers) as vector squares: sharp at any size."""

from __future__ import annotations

import segno
from reportlab.lib.colors import black, white
from reportlab.pdfgen.canvas import Canvas

# The white margin a reader needs around a code, in modules (the standard's minimum).
QUIET_ZONE = 4


def draw_qr(canvas: Canvas, code: segno.QRCode, *, left: float, top: float, box: float) -> None:
    """The code as vector squares (one rectangle per run of dark modules), inside its white quiet zone, in a
    square of side `box` whose top left corner is at (`left`, `top`)."""
    matrix = code.matrix
    module = box / (len(matrix) + 2 * QUIET_ZONE)
    x, top = left + QUIET_ZONE * module, top - QUIET_ZONE * module
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        y = top - (row_index + 1) * module
        column = 0
        while column < len(row):
            if row[column]:
                start = column
                while column < len(row) and row[column]:
                    column += 1
                path.rect(x + start * module, y, (column - start) * module, module)
            else:
                column += 1
    canvas.setFillColor(black)
    canvas.setStrokeColor(white)
    canvas.drawPath(path, stroke=0, fill=1)
