"""The merchant's monthly reimbursement statement as a PDF: who pays whom (the programme's holder, the shop
with its SIRET and IBAN), the statement's number and month, every spend it holds and the totals.

Laid out with reportlab like the invoices (`invoicing/documents.py`): fonts embedded (Bitstream Vera, shipped
with reportlab) and `invariant=True`, so that the same statement always gives the same bytes.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.timezone import localtime
from django.utils.translation import gettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .ledger import euros
from .models import Statement

FONT, BOLD = "VoucherVera", "VoucherVera-Bold"
pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))
pdfmetrics.registerFont(TTFont(BOLD, "VeraBd.ttf"))
pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
# Characters the font lacks, and what to write instead.
_SUBSTITUTES = str.maketrans({"\u202f": "\u00a0", "\u2009": " ", "\u2212": "-"})

STYLE = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, textColor=colors.HexColor("#1b1b1b"))
TITLE = ParagraphStyle("title", parent=STYLE, fontName=BOLD, fontSize=16, leading=20, spaceAfter=6)
HEADING = ParagraphStyle("heading", parent=STYLE, fontName=BOLD, fontSize=10, leading=13, spaceBefore=6)
SIDE_BY_SIDE = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), FONT, 9)])
GRID = TableStyle(
    [
        ("FONT", (0, 0), (-1, 0), BOLD, 8),
        ("FONT", (0, 1), (-1, -1), FONT, 8),
        ("FONT", (0, -1), (-1, -1), BOLD, 8),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("LINEBELOW", (0, 1), (-1, -2), 0.3, colors.HexColor("#c9c9c9")),
        ("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (3, 0), (3, -1), "RIGHT"),
    ]
)


def _text(value: object) -> str:
    """Escaped for a Paragraph, in characters the font has."""
    return escape(str(value).translate(_SUBSTITUTES))


def _amount(cents: int) -> str:
    return str(euros(cents)).translate(_SUBSTITUTES)


def _lines(*lines: str) -> Paragraph:
    return Paragraph("<br/>".join(lines), STYLE)


def statement_pdf(statement: Statement) -> bytes:
    """The statement for the merchant's accounts and the holder's payment, from the ledger's rows."""
    programme, shop = statement.programme, statement.shop
    month = formats.date_format(statement.month, "F Y")
    number = gettext("Relevé de remboursement n° %(number)s") % {"number": statement.number}
    story: list[Any] = [
        Paragraph(_text(number), TITLE),
        _lines(
            _text(gettext("Bons d'achat de %(month)s") % {"month": month}),
            _text(gettext("Opération : %(name)s") % {"name": programme.name}),
            _text(
                gettext("Établi le %(day)s")
                % {"day": formats.date_format(localtime(statement.made_at).date(), "j F Y")}
            ),
        ),
        Spacer(1, 4 * mm),
    ]
    holder = [
        "<b>" + _text(gettext("Porteur de l'opération, qui rembourse")) + "</b>",
        f"<b>{_text(programme.holder_name)}</b>",
    ]
    if programme.holder_siret:
        holder.append(_text(gettext("SIRET : %(siret)s") % {"siret": programme.holder_siret}))
    payee = [
        f"<b>{_text(gettext('Commerce remboursé'))}</b>",
        f"<b>{_text(shop.name)}</b>",
        _text(shop.street_address),
        _text(f"{shop.postcode} {shop.city}"),
        _text(gettext("SIRET : %(siret)s") % {"siret": shop.siret or gettext("non renseigné")}),
        _text(gettext("IBAN : %(iban)s") % {"iban": statement.iban or gettext("non renseigné")}),
    ]
    story.append(Table([[_lines(*holder), _lines(*payee)]], colWidths=["50%", "50%"], style=SIDE_BY_SIDE))
    story.append(Paragraph(_text(gettext("Achats payés en bons")), HEADING))
    rows: list[list[Any]] = [
        [gettext("Date"), gettext("Bon"), gettext("Nature"), gettext("Montant"), gettext("Référence")]
    ]
    movements = statement.movements.select_related("voucher").order_by("at", "pk")
    for movement in movements:
        rows.append(
            [
                localtime(movement.at).strftime("%d/%m/%Y %H:%M"),
                "…" + movement.voucher.code[-4:],
                Paragraph(_text(movement.get_kind_display()), STYLE),
                _amount(-movement.amount_cents),
                Paragraph(_text(movement.reference), STYLE),
            ]
        )
    rows.append(
        [
            gettext("Total"),
            "",
            gettext("%(count)s mouvements") % {"count": len(rows) - 1},
            _amount(statement.amount_cents),
            "",
        ]
    )
    story.append(Table(rows, colWidths=[30 * mm, 18 * mm, 50 * mm, 28 * mm, None], repeatRows=1, style=GRID))
    story.append(Spacer(1, 4 * mm))
    due = gettext("Montant à rembourser : %(amount)s") % {"amount": _amount(statement.amount_cents)}
    status = [
        f"<b>{_text(due)}</b>",
        _text(gettext("État : %(status)s") % {"status": statement.get_status_display()}),
    ]
    if statement.paid_at:
        status.append(
            _text(
                gettext("Remboursé le %(day)s, virement %(reference)s")
                % {
                    "day": formats.date_format(localtime(statement.paid_at).date(), "j F Y"),
                    "reference": statement.transfer_reference,
                }
            )
        )
    story.append(_lines(*status))
    out = BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=number,
        author=programme.holder_name,
        invariant=True,  # no clock, no random id: the same content gives the same bytes
        initialFontName=FONT,  # else each page names Helvetica, a font not embedded
    )
    document.build(story)
    return out.getvalue()
