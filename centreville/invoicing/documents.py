"""Documents made from an invoice's snapshot: the Factur-X PDF (a PDF/A-3 for people with its CII XML,
profile EN 16931, made and checked against the standard's schema by the `factur-x` library), the buyer's
« bulletins d'achat » and yearly statements for farmers under the remboursement forfaitaire agricole.

Laid out with reportlab, like the observatory's reports, but with the fonts embedded (Bitstream Vera,
shipped with reportlab), as PDF/A asks. PDF/A also asks for an output intent saying what its colours are:
the Factur-X PDF carries sRGB's, with the ICC profile LittleCMS builds (through Pillow) embedded.
"""

from __future__ import annotations

import functools
import struct
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from django.utils.formats import number_format
from django.utils.translation import gettext
from facturx import generate_cii_xml, generate_from_binary
from PIL import ImageCms
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .mentions import legal_identity

# UN/ECE Recommendation 20 unit codes.
UNIT_CODES = {"kg": "KGM", "l": "LTR", "piece": "H87"}
FACTURX_LEVEL = "en16931"
FONT, BOLD = "InvoiceVera", "InvoiceVera-Bold"
pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))
pdfmetrics.registerFont(TTFont(BOLD, "VeraBd.ttf"))
pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
# Characters the font lacks, and what to write instead.
_SUBSTITUTES = str.maketrans({"\u202f": "\u00a0", "\u2009": " ", "\u2212": "-"})


def _text(value: object) -> str:
    """Escaped for a Paragraph."""
    return escape(str(value).translate(_SUBSTITUTES))


def _euros(amount: str | Decimal) -> str:
    return number_format(Decimal(amount), decimal_pos=2, use_l10n=True, force_grouping=True) + " €"


def _decimal(value: str | Decimal, places: int | None = None) -> str:
    number = Decimal(value)
    if places is None:
        number = number.normalize()
        places = max(0, -int(number.as_tuple().exponent))
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


def _unit_price(value: str) -> str:
    """« 1,20 € », or « 1,2345 € » when the price has more than cents."""
    price = Decimal(value)
    return _euros(price) if price == price.quantize(Decimal("0.01")) else f"{_decimal(price, 4)} €"


def _day(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


STYLE = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, textColor=colors.HexColor("#1b1b1b"))
SMALL = ParagraphStyle("small", parent=STYLE, fontSize=8, leading=10)
RIGHT = ParagraphStyle("right", parent=STYLE, alignment=TA_RIGHT)
TITLE = ParagraphStyle("title", parent=STYLE, fontName=BOLD, fontSize=18, leading=22, spaceAfter=6)
HEADING = ParagraphStyle("heading", parent=STYLE, fontName=BOLD, fontSize=10, leading=13, spaceBefore=6)
# A table names a font even when its cells are paragraphs: the embedded one, then.
SIDE_BY_SIDE = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), FONT, 9)])
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


def _pdf(story: list[Any], *, title: str, author: str) -> bytes:
    out = BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=title,
        author=author,
        invariant=True,  # no clock, no random id: the same content gives the same bytes
        initialFontName=FONT,  # else each page names Helvetica, a font not embedded
    )
    document.build(story)
    return out.getvalue()


def _party_block(heading: str, snapshot_party: dict[str, Any]) -> list[Paragraph]:
    lines = [
        f"<b>{_text(heading)}</b>",
        f"<b>{_text(snapshot_party['name'])}</b>",
        _text(snapshot_party["street_address"]),
        _text(f"{snapshot_party['postcode']} {snapshot_party['city']}"),
        _text(legal_identity(snapshot_party)),
    ]
    return [Paragraph("<br/>".join(lines), STYLE)]


def invoice_pdf(snapshot: dict[str, Any]) -> bytes:
    """The invoice for people, from its snapshot only."""
    seller, buyer = snapshot["seller"], snapshot["buyer"]
    story: list[Any] = [Paragraph(_text(f"{snapshot['title']} {snapshot['number']}"), TITLE)]
    dates = [
        gettext("Date d'émission : %(date)s") % {"date": _day(snapshot["issue_date"])},
        gettext("Date de livraison : %(date)s") % {"date": _day(snapshot["delivery_date"])},
        gettext("Commande : %(reference)s") % {"reference": snapshot["order_reference"]},
    ]
    if snapshot["kind"] == "invoice":
        dates.append(gettext("Date d'échéance : %(date)s") % {"date": _day(snapshot["due_date"])})
    if snapshot["cancels"]:
        dates.append(
            gettext("Annule la facture %(number)s du %(date)s")
            % {"number": snapshot["cancels"]["number"], "date": _day(snapshot["cancels"]["issue_date"])}
        )
    story.append(Paragraph("<br/>".join(_text(line) for line in dates), STYLE))
    story.append(Spacer(1, 4 * mm))
    story.append(
        Table(
            [[_party_block(gettext("Vendeur"), seller), _party_block(gettext("Acheteur"), buyer)]],
            colWidths=["50%", "50%"],
            style=SIDE_BY_SIDE,
        )
    )
    story.append(Spacer(1, 4 * mm))
    rows: list[list[Any]] = [
        [
            gettext("Désignation"),
            gettext("Quantité"),
            gettext("Prix unitaire HT"),
            gettext("TVA"),
            gettext("Montant HT"),
        ]
    ]
    for line in snapshot["lines"]:
        title = _text(line["title"])
        if line["detail"]:
            title += f"<br/><font size=7>{_text(line['detail'])}</font>"
        rows.append(
            [
                Paragraph(title, SMALL),
                f"{_decimal(line['quantity'])} {line['unit_label']}",
                _unit_price(line["unit_price"]),
                f"{_decimal(line['vat_rate'])} %",
                _euros(line["amount"]),
            ]
        )
    story.append(Table(rows, colWidths=["46%", "14%", "16%", "8%", "16%"], style=GRID, repeatRows=1))
    story.append(Spacer(1, 4 * mm))
    vat_rows: list[list[Any]] = [[gettext("Taux de TVA"), gettext("Base HT"), gettext("Montant de TVA")]]
    for rate in snapshot["vat"]:
        vat_rows.append([f"{_decimal(rate['rate'])} %", _euros(rate["base"]), _euros(rate["vat"])])
    totals = snapshot["totals"]
    vat_rows += [
        [gettext("Total HT"), "", _euros(totals["excl_vat"])],
        [gettext("Total TVA"), "", _euros(totals["vat"])],
        [gettext("Total TTC"), "", _euros(totals["incl_vat"])],
    ]
    story.append(Table(vat_rows, colWidths=["30%", "20%", "20%"], style=GRID, hAlign="RIGHT"))
    story.append(Spacer(1, 4 * mm))
    story += [Paragraph(_text(mention), SMALL) for mention in snapshot["mentions"]]
    return _pdf(story, title=f"{snapshot['title']} {snapshot['number']}", author=seller["name"])


def _amount(value: str | Decimal) -> str:
    return f"{Decimal(value):.2f}"


def _cii_party(snapshot_party: dict[str, Any], *, with_vat: bool, legal_info: str = "") -> dict[str, Any]:
    """A party's EN 16931 block: SIRET (scheme 0009), SIREN as legal id (0002), VAT number, address. A
    seller not subject to VAT (« O ») shows no VAT number, nor its buyer's (BR-O-2)."""
    block: dict[str, Any] = {
        "name": snapshot_party["name"],
        "identifiers": {"0009": snapshot_party["siret"]},
        "legal_identifier": snapshot_party["siren"],
        "legal_identifier_schemeid": "0002",
        "addr_l1": snapshot_party["street_address"],
        "city": snapshot_party["city"],
        "postcode": snapshot_party["postcode"],
        "country_code": "FR",
    }
    if legal_info:
        block["legal_info"] = legal_info
    if with_vat and snapshot_party["vat_number"]:
        block["vat_identifier"] = snapshot_party["vat_number"]
    elif with_vat and legal_info:
        block["tax_identifier"] = snapshot_party["siren"]  # an exempt seller's tax registration (BR-E-2)
    return block


def cii_data(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The snapshot as the `factur-x` library's EN 16931 data (keys are the standard's business terms)."""
    seller, buyer = snapshot["seller"], snapshot["buyer"]
    category = snapshot["vat_category"]
    credit = snapshot["kind"] == "credit_note"
    data: dict[str, Any] = {
        "BT-1": snapshot["number"],
        "BT-2": date.fromisoformat(snapshot["issue_date"]),
        "BT-3": "381" if credit else "380",
        "BT-5": "EUR",
        "BT-13": snapshot["order_reference"],
        "BG-4": _cii_party(seller, legal_info=legal_identity(seller), with_vat=category != "O"),
        "BG-7": _cii_party(buyer, with_vat=category != "O"),
        "BT-72": date.fromisoformat(snapshot["delivery_date"]),
        "BG-1": [{"BT-22": mention} for mention in snapshot["mentions"]],
        "BG-23": [
            {
                "BT-116": _amount(rate["base"]),
                "BT-117": _amount(rate["vat"]),
                "BT-118": category,
                "BT-119": f"{Decimal(rate['rate']):.2f}",
                **({"BT-120": snapshot["vat_exemption"]} if category != "S" else {}),
            }
            for rate in snapshot["vat"]
        ],
        "BT-106": _amount(snapshot["totals"]["excl_vat"]),
        "BT-109": _amount(snapshot["totals"]["excl_vat"]),
        "BT-110": _amount(snapshot["totals"]["vat"]),
        "BT-112": _amount(snapshot["totals"]["incl_vat"]),
        "BT-115": _amount(snapshot["totals"]["incl_vat"]),
        "BG-25": [
            {
                "BT-126": str(line["position"]),
                "BT-153": line["title"][:100],
                **({"BT-154": line["detail"]} if line["detail"] else {}),
                "BT-146": f"{Decimal(line['unit_price']):.4f}",
                "BT-129": f"{Decimal(line['quantity']):.3f}",
                "BT-130": UNIT_CODES.get(line["unit"], "C62"),
                "BT-151": category,
                # A line not subject to VAT has no rate (BR-O-05).
                **({"BT-152": f"{Decimal(line['vat_rate']):.2f}"} if category != "O" else {}),
                "BT-131": _amount(line["amount"]),
            }
            for line in snapshot["lines"]
        ],
    }
    if not credit:
        data["BT-9"] = date.fromisoformat(snapshot["due_date"])
    else:
        data["BG-3"] = [
            {
                "BT-25": snapshot["cancels"]["number"],
                "BT-26": date.fromisoformat(snapshot["cancels"]["issue_date"]),
            }
        ]
    return data


def cii_xml(snapshot: dict[str, Any]) -> bytes:
    """The CII XML, checked against the Factur-X EN 16931 schema (the library raises when it fails)."""
    return bytes(
        generate_cii_xml(cii_data(snapshot), level=FACTURX_LEVEL, check_xsd=True, check_schematron=False)
    )


SRGB = "sRGB IEC61966-2.1"


@functools.cache
def srgb_icc_profile() -> bytes:
    """An sRGB ICC profile (display class, RGB), the same bytes every time: its creation date is fixed."""
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    # Header bytes 24-35 are the creation date and time; the profile ID (84-99) is left blank, so no
    # checksum covers them.
    return profile[:24] + struct.pack(">6H", 2026, 1, 1, 0, 0, 0) + profile[36:]


def with_srgb_output_intent(pdf: bytes) -> bytes:
    """`pdf` with the output intent PDF/A asks for (GTS_PDFA1): its colours are sRGB, profile embedded."""
    writer = PdfWriter(clone_from=BytesIO(pdf))
    profile = DecodedStreamObject()
    profile.set_data(srgb_icc_profile())
    profile[NameObject("/N")] = NumberObject(3)
    intent = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OutputIntent"),
            NameObject("/S"): NameObject("/GTS_PDFA1"),
            NameObject("/OutputConditionIdentifier"): TextStringObject(SRGB),
            NameObject("/RegistryName"): TextStringObject("http://www.color.org"),
            NameObject("/Info"): TextStringObject(SRGB),
            NameObject("/DestOutputProfile"): writer._add_object(profile.flate_encode()),
        }
    )
    writer.root_object[NameObject("/OutputIntents")] = ArrayObject([writer._add_object(intent)])
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def facturx_pdf(snapshot: dict[str, Any]) -> tuple[bytes, bytes]:
    """The Factur-X PDF/A-3 (the PDF for people with `factur-x.xml` attached) and its XML."""
    xml = cii_xml(snapshot)
    pdf = generate_from_binary(
        with_srgb_output_intent(invoice_pdf(snapshot)),
        xml,
        flavor="factur-x",
        level=FACTURX_LEVEL,
        check_xsd=False,  # checked just above
        pdf_metadata={
            "author": snapshot["seller"]["name"],
            "keywords": "Factur-X",
            "title": f"{snapshot['title']} {snapshot['number']}",
            "subject": f"{snapshot['title']} {snapshot['number']}",
        },
        lang="fr-FR",
    )
    return bytes(pdf), xml


def purchase_note_pdf(*, payment: Any) -> bytes:
    """The buyer's « bulletin d'achat » for one payment to a farmer under the remboursement forfaitaire
    agricole (CGI, annexe II, art. 265): date, nature, quantity and value of the goods, both parties."""
    invoice = payment.invoice
    snapshot = invoice.snapshot
    story: list[Any] = [
        Paragraph(
            _text(gettext("Bulletin d'achat %(number)s") % {"number": payment.purchase_note_number}), TITLE
        ),
        Paragraph(
            _text(
                gettext("Paiement du %(date)s de la facture %(invoice)s du %(invoice_date)s")
                % {
                    "date": payment.paid_on.strftime("%d/%m/%Y"),
                    "invoice": invoice.number,
                    "invoice_date": invoice.issue_date.strftime("%d/%m/%Y"),
                }
            ),
            STYLE,
        ),
        Spacer(1, 4 * mm),
        Table(
            [
                [
                    _party_block(gettext("Exploitant agricole (vendeur)"), snapshot["seller"]),
                    _party_block(gettext("Acheteur"), snapshot["buyer"]),
                ]
            ],
            colWidths=["50%", "50%"],
            style=SIDE_BY_SIDE,
        ),
        Spacer(1, 4 * mm),
    ]
    rows: list[list[Any]] = [[gettext("Nature des produits"), gettext("Quantité"), gettext("Valeur")]]
    for line in snapshot["lines"]:
        rows.append(
            [
                Paragraph(_text(line["title"]), SMALL),
                f"{_decimal(line['quantity'])} {line['unit_label']}",
                _euros(line["amount"]),
            ]
        )
    rows.append([gettext("Montant payé"), "", _euros(payment.amount)])
    story.append(Table(rows, colWidths=["60%", "20%", "20%"], style=GRID))
    story.append(Spacer(1, 4 * mm))
    story.append(
        Paragraph(
            _text(
                gettext(
                    "Bulletin remis par l'acheteur à l'exploitant placé sous le régime du remboursement "
                    "forfaitaire agricole (art. 298 quater du CGI ; CGI, annexe II, art. 265)."
                )
            ),
            SMALL,
        )
    )
    return _pdf(story, title=payment.purchase_note_number, author=snapshot["buyer"]["name"])


def yearly_statement_pdf(
    *, year: int, seller: dict[str, Any], buyer: dict[str, Any], payments: Sequence[Any], total: Decimal
) -> bytes:
    """The buyer's yearly statement of its purchases paid to one farmer (CGI, annexe II, art. 266)."""
    story: list[Any] = [
        Paragraph(_text(gettext("Attestation annuelle d'achats %(year)s") % {"year": year}), TITLE),
        Table(
            [
                [
                    _party_block(gettext("Exploitant agricole (vendeur)"), seller),
                    _party_block(gettext("Acheteur"), buyer),
                ]
            ],
            colWidths=["50%", "50%"],
            style=SIDE_BY_SIDE,
        ),
        Spacer(1, 4 * mm),
    ]
    rows: list[list[Any]] = [
        [gettext("Bulletin d'achat"), gettext("Payé le"), gettext("Facture"), gettext("Montant")]
    ]
    for payment in payments:
        rows.append(
            [
                payment.purchase_note_number,
                payment.paid_on.strftime("%d/%m/%Y"),
                payment.invoice.number,
                _euros(payment.amount),
            ]
        )
    rows.append([gettext("Total de l'année"), "", "", _euros(total)])
    story.append(Table(rows, colWidths=["30%", "20%", "25%", "25%"], style=GRID))
    story.append(Spacer(1, 4 * mm))
    story.append(
        Paragraph(
            _text(
                gettext(
                    "L'acheteur atteste avoir payé à l'exploitant ci-dessus, au cours de l'année %(year)s, "
                    "les achats de produits agricoles listés, pour un total de %(total)s."
                )
                % {"year": year, "total": _euros(total)}
            ),
            STYLE,
        )
    )
    return _pdf(
        story, title=gettext("Attestation annuelle d'achats %(year)s") % {"year": year}, author=buyer["name"]
    )
