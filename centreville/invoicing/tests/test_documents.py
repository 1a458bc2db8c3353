"""The Factur-X PDF: a PDF/A-3 carrying `factur-x.xml`, valid against the EN 16931 schema, for each VAT
regime and for a credit note; kept once made."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from facturx import get_facturx_xml_from_pdf, get_level, xml_check_xsd
from lxml import etree
from PIL import ImageCms
from pypdf import PdfReader

from centreville.enterprises.models import VatRegime
from centreville.enterprises.tests.factories import EnterpriseFactory
from centreville.invoicing.documents import invoice_pdf, srgb_icc_profile, with_srgb_output_intent
from centreville.invoicing.models import InvoiceDocument
from centreville.invoicing.services import credit_note_issue, invoice_document_store
from centreville.invoicing.tests.factories import COLLECTED_AT, collected_order, issued_invoice
from centreville.lots.tests.factories import LotFactory
from centreville.wholesale.signals import wholesale_order_collected

pytestmark = pytest.mark.django_db
NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}


def _attached_xml(pdf: bytes) -> bytes:
    filename, xml = get_facturx_xml_from_pdf(BytesIO(pdf), check_xsd=False)
    assert filename == "factur-x.xml"
    return bytes(xml)


@pytest.mark.parametrize(
    ("regime", "category"),
    [(VatRegime.REGISTERED, "S"), (VatRegime.FRANCHISE, "E"), (VatRegime.FLAT_RATE_FARMER, "O")],
)
def test_the_invoice_pdf_carries_its_factur_x_xml_valid_against_the_en16931_schema(
    regime: str, category: str
) -> None:
    producer = EnterpriseFactory.create(vat_regime=regime)
    cider = LotFactory.create(
        enterprise=producer, title="Cidre", unit="piece", unit_price="3.5000", vat_rate="20"
    )
    invoice = issued_invoice(producer=producer, lines=[{}, {"lot": cider}])

    document = invoice_document_store(invoice=invoice)

    pdf = bytes(document.pdf)
    xml = _attached_xml(pdf)
    assert xml == bytes(document.xml)
    assert xml_check_xsd(xml, flavor="factur-x", level="en16931") is True
    root = etree.fromstring(xml)
    assert get_level(root, "factur-x") == "en16931"
    assert root.findtext(".//rsm:ExchangedDocument/ram:ID", namespaces=NS) == invoice.number
    assert root.findtext(".//rsm:ExchangedDocument/ram:TypeCode", namespaces=NS) == "380"
    assert {node.text for node in root.iterfind(".//ram:ApplicableTradeTax/ram:CategoryCode", NS)} == {
        category
    }
    assert root.findtext(".//ram:GrandTotalAmount", namespaces=NS) == f"{invoice.total_incl_vat:.2f}"
    reader = PdfReader(BytesIO(pdf))
    assert "factur-x.xml" in reader.attachments
    assert reader.xmp_metadata is not None
    xmp = etree.fromstring(reader.xmp_metadata.stream.get_data())  # PDF/A-3 says so in its metadata
    assert xmp.findtext(".//{http://www.aiim.org/pdfa/ns/id/}part") == "3"
    assert xmp.findtext(".//{http://www.aiim.org/pdfa/ns/id/}conformance") == "B"
    for page in reader.pages:  # every font embedded
        resources: Any = page["/Resources"]
        fonts = resources["/Font"]
        assert all("/FontFile2" in font.get_object()["/FontDescriptor"] for font in fonts.values())
    text = reader.pages[0].extract_text()
    assert invoice.number in text
    assert "40 €" in text


def test_the_pdf_a_has_an_srgb_output_intent_and_its_xml_is_an_associated_file() -> None:
    # Given an issued invoice's Factur-X PDF
    pdf = bytes(invoice_document_store(invoice=issued_invoice()).pdf)

    # When its catalogue is read
    root: Any = PdfReader(BytesIO(pdf)).trailer["/Root"]

    # Then one output intent for PDF/A says its colours are sRGB, with the ICC profile embedded
    [intent] = [item.get_object() for item in root["/OutputIntents"]]
    assert (intent["/Type"], intent["/S"]) == ("/OutputIntent", "/GTS_PDFA1")
    assert intent["/OutputConditionIdentifier"] == "sRGB IEC61966-2.1"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3
    icc = profile.get_data()
    assert icc == srgb_icc_profile()
    assert (icc[12:16], icc[16:20], icc[36:40]) == (b"mntr", b"RGB ", b"acsp")  # display, RGB, ICC
    assert ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(BytesIO(icc))).strip() == "sRGB built-in"
    # And factur-x.xml is the document's associated file, as its data
    [spec] = [item.get_object() for item in root["/AF"]]
    assert (spec["/F"], spec["/AFRelationship"]) == ("factur-x.xml", "/Data")
    embedded = spec["/EF"]["/F"].get_object()
    assert embedded["/Subtype"] == "/text/xml"
    assert embedded.get_data().startswith(b"<?xml")


def test_the_output_intent_keeps_the_pages_and_their_text() -> None:
    plain = invoice_pdf(issued_invoice().snapshot)

    with_intent = PdfReader(BytesIO(with_srgb_output_intent(plain)))

    assert [page.extract_text() for page in with_intent.pages] == [
        page.extract_text() for page in PdfReader(BytesIO(plain)).pages
    ]


def test_a_credit_note_is_type_381_and_refers_to_the_invoice_it_cancels() -> None:
    invoice = issued_invoice()
    credit_note = credit_note_issue(invoice=invoice, reason="Erreur de pesée", at=COLLECTED_AT)

    xml = _attached_xml(bytes(invoice_document_store(invoice=credit_note).pdf))

    assert xml_check_xsd(xml, flavor="factur-x", level="en16931") is True
    root = etree.fromstring(xml)
    assert root.findtext(".//rsm:ExchangedDocument/ram:TypeCode", namespaces=NS) == "381"
    assert (
        root.findtext(".//ram:InvoiceReferencedDocument/ram:IssuerAssignedID", namespaces=NS)
        == invoice.number
    )


def test_the_document_is_made_once_and_kept() -> None:
    invoice = issued_invoice()

    first = invoice_document_store(invoice=invoice)
    again = invoice_document_store(invoice=invoice)

    assert again.pk == first.pk
    assert bytes(again.pdf) == bytes(first.pdf)
    assert InvoiceDocument.objects.count() == 1


def test_collecting_an_order_keeps_its_invoices_document_once_the_transaction_commits(
    django_capture_on_commit_callbacks: Any,
) -> None:
    order = collected_order()

    with django_capture_on_commit_callbacks(execute=True):
        wholesale_order_collected.send(sender=None, order=order, at=COLLECTED_AT)
        assert not InvoiceDocument.objects.exists()  # not while the numbering lock is held

    document = InvoiceDocument.objects.get()
    assert document.invoice.order == order
    assert _attached_xml(bytes(document.pdf)) == bytes(document.xml)
