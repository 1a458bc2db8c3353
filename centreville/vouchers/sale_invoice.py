"""The invoice of a company's purchase of vouchers, as a PDF drawn from what the sale wrote once
(`Sale.invoice`, `sales._invoice`): the same sale always gives the same bytes."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT, BOLD = "VoucherVera", "VoucherVera-Bold"
pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))
pdfmetrics.registerFont(TTFont(BOLD, "VeraBd.ttf"))
pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)

STYLE = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, textColor=colors.HexColor("#1b1b1b"))
TITLE = ParagraphStyle("title", parent=STYLE, fontName=BOLD, fontSize=18, leading=22, spaceAfter=6)
GRID = TableStyle(
    [
        ("FONT", (0, 0), (-1, 0), BOLD, 8),
        ("FONT", (0, 1), (-1, -1), FONT, 8),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor("#c9c9c9")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
    ]
)
SIDE_BY_SIDE = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), FONT, 9)])


def _text(value: object) -> str:
    return escape(str(value).replace("\u202f", "\u00a0"))


def _euros(cents: int) -> str:
    whole, rest = divmod(cents, 100)
    return f"{whole:,}".replace(",", "\u00a0") + f",{rest:02d} €"


def _lines(*parts: str) -> Paragraph:
    return Paragraph("<br/>".join(part for part in parts if part), STYLE)


def sale_invoice_pdf(invoice: dict[str, Any]) -> bytes:
    """The PDF of an invoice written by `sales._invoice` (French, as the law asks of an invoice)."""
    holder, buyer = invoice["holder"], invoice["buyer"]
    day = date.fromisoformat(invoice["date"]).strftime("%d/%m/%Y")
    story: list[Any] = [
        Paragraph(_text(f"Facture {invoice['number']}"), TITLE),
        _lines(_text(f"Date : {day}"), _text(f"Référence de l'achat : {invoice['reference']}")),
        Spacer(1, 6 * mm),
        Table(
            [
                [
                    _lines(
                        "<b>Émetteur (porteur de l'opération)</b>",
                        f"<b>{_text(holder['name'])}</b>",
                        _text(holder.get("place", "")),
                        _text(f"SIRET {holder['siret']}") if holder.get("siret") else "",
                    ),
                    _lines(
                        "<b>Client</b>",
                        f"<b>{_text(buyer['name'])}</b>",
                        *(_text(line) for line in str(buyer.get("address", "")).splitlines()),
                        _text(f"SIRET {buyer['siret']}"),
                    ),
                ]
            ],
            colWidths=[89 * mm, 89 * mm],
            style=SIDE_BY_SIDE,
        ),
        Spacer(1, 8 * mm),
        Table(
            [
                ["Désignation", "Quantité", "Prix unitaire", "Montant"],
                [
                    Paragraph(
                        _text(
                            f"Bons d'achat « {invoice['programme']} », "
                            f"valeur faciale {_euros(invoice['face_value_cents'])}"
                        ),
                        STYLE,
                    ),
                    str(invoice["count"]),
                    _euros(invoice["unit_price_cents"]),
                    _euros(invoice["amount_cents"]),
                ],
                ["", "", "Total payé", _euros(invoice["amount_cents"])],
            ],
            colWidths=[92 * mm, 22 * mm, 32 * mm, 32 * mm],
            style=GRID,
        ),
        Spacer(1, 6 * mm),
        Paragraph(_text(invoice["mention"]), STYLE),
        Paragraph(_text("Payée en ligne à la commande."), STYLE),
    ]
    out = BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=f"Facture {invoice['number']}",
        author=holder["name"],
        invariant=True,
        initialFontName=FONT,
    )
    document.build(story)
    return out.getvalue()
