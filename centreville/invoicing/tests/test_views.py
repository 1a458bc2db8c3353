"""The producer's and the buyer's invoice pages: who may see what, the credit-note and payment forms, the
downloads, and how many queries the lists take."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from centreville.accounts.tests.factories import UserFactory
from centreville.enterprises.models import Enterprise, Label, VatRegime
from centreville.enterprises.tests.factories import BuyerFactory, EnterpriseFactory, EnterpriseMemberFactory
from centreville.invoicing.models import Invoice, InvoiceKind, InvoicePayment
from centreville.invoicing.tests.factories import issued_invoice
from centreville.lots.tests.factories import LotFactory

pytestmark = pytest.mark.django_db


def _member_client(enterprise: Enterprise) -> Client:
    client = Client()
    client.force_login(EnterpriseMemberFactory.create(enterprise=enterprise).user)
    return client


def test_a_producer_lists_opens_and_downloads_its_invoices(django_assert_max_num_queries: Any) -> None:
    producer = EnterpriseFactory.create()
    invoices = [issued_invoice(producer=producer) for _ in range(3)]
    client = _member_client(producer)

    with django_assert_max_num_queries(8):
        listing = client.get(reverse("invoicing_producer:list", args=[producer.slug]))
    detail = client.get(reverse("invoicing_producer:detail", args=[producer.slug, invoices[0].number]))
    pdf = client.get(reverse("invoicing_producer:pdf", args=[producer.slug, invoices[0].number]))
    xml = client.get(reverse("invoicing_producer:xml", args=[producer.slug, invoices[0].number]))

    assert listing.status_code == 200
    assert all(invoice.number in listing.content.decode() for invoice in invoices)
    page = detail.content.decode()
    assert "Indemnité forfaitaire pour frais de recouvrement : 40 €" in page
    assert "Émettre un avoir" in page
    assert pdf["Content-Type"] == "application/pdf"
    assert "factur-x.xml" in PdfReader(BytesIO(pdf.content)).attachments
    assert xml.content.startswith(b"<?xml")
    assert invoices[0].number.encode() in xml.content


def test_the_list_takes_as_many_queries_for_many_invoices_as_for_few(
    django_assert_max_num_queries: Any,
) -> None:
    producer = EnterpriseFactory.create()
    issued_invoice(producer=producer)
    client = _member_client(producer)
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("invoicing_producer:list", args=[producer.slug]))
    for _ in range(5):
        issued_invoice(producer=producer)

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("invoicing_producer:list", args=[producer.slug]))


def test_a_producer_issues_a_credit_note_with_a_reason_and_a_blank_reason_changes_nothing(
    page_clock: Any,
) -> None:
    page_clock(datetime(2026, 12, 14, 9, 0, tzinfo=UTC))
    producer = EnterpriseFactory.create()
    invoice = issued_invoice(producer=producer)
    client = _member_client(producer)
    url = reverse("invoicing_producer:credit_note", args=[producer.slug, invoice.number])

    refused = client.post(url, {"reason": "   "})
    assert refused.status_code == 400
    assert not Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).exists()

    done = client.post(url, {"reason": "Colis abîmé"}, follow=True)

    credit_note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    assert credit_note.cancels == invoice
    assert credit_note.reason == "Colis abîmé"
    assert done.redirect_chain[-1][0] == reverse(
        "invoicing_producer:detail", args=[producer.slug, "A2026-000001"]
    )
    assert "Avoir A2026-000001 émis." in done.content.decode()


def test_a_producer_never_sees_another_producers_invoices() -> None:
    producer, other = EnterpriseFactory.create(), EnterpriseFactory.create()
    theirs = issued_invoice(producer=other)
    client = _member_client(producer)

    assert (
        client.get(reverse("invoicing_producer:detail", args=[producer.slug, theirs.number])).status_code
        == 404
    )
    assert client.get(reverse("invoicing_producer:list", args=[other.slug])).status_code == 403
    assert client.get(reverse("invoicing_producer:pdf", args=[other.slug, theirs.number])).status_code == 403
    assert (
        client.post(
            reverse("invoicing_producer:credit_note", args=[other.slug, theirs.number]), {"reason": "x"}
        ).status_code
        == 403
    )
    anonymous = Client().get(reverse("invoicing_producer:list", args=[other.slug]))
    assert anonymous.status_code == 302
    assert not Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).exists()


def test_a_buyer_sees_only_its_own_invoices(django_assert_max_num_queries: Any) -> None:
    buyer, other = BuyerFactory.create(), BuyerFactory.create()
    mine = issued_invoice(buyer=buyer)
    theirs = issued_invoice(buyer=other)
    client = _member_client(buyer)

    with django_assert_max_num_queries(8):
        listing = client.get(reverse("invoicing_buyer:list", args=[buyer.slug]))

    assert mine.number in listing.content.decode()
    assert theirs.seller.name not in listing.content.decode()
    assert client.get(reverse("invoicing_buyer:detail", args=[buyer.slug, mine.pk])).status_code == 200
    assert client.get(reverse("invoicing_buyer:detail", args=[buyer.slug, theirs.pk])).status_code == 404
    assert client.get(reverse("invoicing_buyer:pdf", args=[buyer.slug, theirs.pk])).status_code == 404
    assert client.get(reverse("invoicing_buyer:list", args=[other.slug])).status_code == 403
    outsider = Client()
    outsider.force_login(UserFactory.create())
    assert outsider.get(reverse("invoicing_buyer:statement", args=[buyer.slug])).status_code == 403


def test_a_buyer_records_a_payment_to_a_flat_rate_farmer_and_downloads_the_purchase_note(
    page_clock: Any,
) -> None:
    page_clock(datetime(2026, 12, 20, 10, 0, tzinfo=UTC))
    farmer = EnterpriseFactory.create(vat_regime=VatRegime.FLAT_RATE_FARMER, vat_number="")
    buyer = BuyerFactory.create()
    invoice = issued_invoice(producer=farmer, buyer=buyer)
    client = _member_client(buyer)
    url = reverse("invoicing_buyer:payment", args=[buyer.slug, invoice.pk])

    refused = client.post(url, {"paid_on": "2026-12-15", "amount": "99"})
    assert refused.status_code == 400
    assert "reste à payer" in refused.content.decode()
    assert not InvoicePayment.objects.exists()

    done = client.post(url, {"paid_on": "2026-12-15", "amount": "12.00"}, follow=True)

    payment = InvoicePayment.objects.get()
    assert payment.purchase_note_number == "BA2026-000001"
    assert "BA2026-000001" in done.content.decode()
    note = client.get(reverse("invoicing_buyer:purchase_note", args=[buyer.slug, payment.pk]))
    assert note["Content-Type"] == "application/pdf"
    notes_page = client.get(reverse("invoicing_buyer:purchase_notes", args=[buyer.slug]))
    assert "BA2026-000001" in notes_page.content.decode()
    yearly = client.get(reverse("invoicing_buyer:yearly_statement", args=[buyer.slug, farmer.slug, 2026]))
    assert yearly["Content-Type"] == "application/pdf"
    assert (
        client.get(
            reverse("invoicing_buyer:yearly_statement", args=[buyer.slug, farmer.slug, 2025])
        ).status_code
        == 404
    )


def test_a_buyers_statement_shows_its_egalim_shares_and_downloads_as_csv() -> None:
    canteen = BuyerFactory.create(buyer_category="canteen")
    issued_invoice(buyer=canteen, lines=[{"labels": [Label.ORGANIC]}])
    issued_invoice(buyer=canteen, lines=[{}])
    client = _member_client(canteen)
    url = reverse("invoicing_buyer:statement", args=[canteen.slug])

    page = client.get(url, {"start": "2026-12-01", "end": "2026-12-31"})
    csv = client.get(url, {"start": "2026-12-01", "end": "2026-12-31", "format": "csv"})
    wrong = client.get(url, {"start": "2026-12-31", "end": "2026-12-01"})

    assert "Produits biologiques : 50,0 %" in page.content.decode()
    rows = csv.content.decode("utf-8-sig").splitlines()
    assert rows[-3:] == [
        "EGalim;Produits durables et de qualité;12,00;50,0",
        "EGalim;Produits biologiques;12,00;50,0",
        "Total;;24,00;100,0",
    ]
    assert wrong.status_code == 400
    assert "La période commence avant de finir." in wrong.content.decode()


def test_a_producer_corrects_an_invoice_with_a_credit_note_and_a_new_invoice(page_clock: Any) -> None:
    page_clock(datetime(2026, 12, 14, 9, 0, tzinfo=UTC))
    producer = EnterpriseFactory.create()
    invoice = issued_invoice(producer=producer)
    invoice.order.lines.update(delivered_quantity=8)  # the producer fixes what was handed over
    client = _member_client(producer)

    done = client.post(
        reverse("invoicing_producer:credit_note", args=[producer.slug, invoice.number]),
        {"reason": "Quantité remise corrigée", "reissue": "on"},
        follow=True,
    )

    assert done.redirect_chain[-1][0] == reverse(
        "invoicing_producer:detail", args=[producer.slug, "F2026-000002"]
    )
    assert Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE, cancels=invoice).count() == 1
    replacement = Invoice.objects.get(replaces=invoice)
    assert replacement.total_excl_vat == 8 * invoice.lines.get().unit_price


def test_a_producer_reinvoices_with_corrected_lines_or_later_from_the_orders_invoices(
    page_clock: Any,
) -> None:
    page_clock(datetime(2026, 12, 14, 9, 0, tzinfo=UTC))
    producer = EnterpriseFactory.create()
    first = issued_invoice(producer=producer)  # 10 kg of carrots at 1.20 €
    later = issued_invoice(producer=producer)
    client = _member_client(producer)
    line = first.order.lines.get()

    # Credit note and corrected invoice at once, the corrections typed in the form (French decimals)
    form = client.get(
        reverse("invoicing_producer:detail", args=[producer.slug, first.number])
    ).content.decode()
    client.post(
        reverse("invoicing_producer:credit_note", args=[producer.slug, first.number]),
        {
            "reason": "Quantité remise",
            "reissue": "on",
            f"delivered_{line.pk}": "8",
            f"price_{line.pk}": "1,25",
        },
    )
    # A credit note alone: the order waits for its corrected invoice
    alone = client.post(
        reverse("invoicing_producer:credit_note", args=[producer.slug, later.number]),
        {"reason": "Prix erroné"},
        follow=True,
    ).content.decode()
    order_url = reverse("invoicing_producer:order", args=[producer.slug, later.order.reference])
    waiting = client.get(order_url).content.decode()
    later_line = later.order.lines.get()
    done = client.post(
        reverse("invoicing_producer:corrected", args=[producer.slug, later.order.reference]),
        {f"delivered_{later_line.pk}": "10", f"price_{later_line.pk}": "1,1"},
        follow=True,
    )
    again = client.post(
        reverse("invoicing_producer:corrected", args=[producer.slug, later.order.reference]), {}
    )

    assert f'name="delivered_{line.pk}"' in form
    assert "Émettre aussitôt la facture corrigée" in form
    assert Invoice.objects.get(replaces=first).total_excl_vat == Decimal("10.00")  # 8 kg × 1.25 €
    assert "Émettre la facture corrigée" in alone
    assert order_url in alone
    assert "n'a plus de facture valide" in waiting
    corrected = Invoice.objects.get(replaces=later)
    assert corrected.total_excl_vat == Decimal("11.00")
    assert done.redirect_chain[-1][0] == reverse(
        "invoicing_producer:detail", args=[producer.slug, corrected.number]
    )
    assert again.status_code == 400
    assert "Émettre la facture corrigée" not in client.get(order_url).content.decode()
    assert Invoice.objects.filter(kind=InvoiceKind.INVOICE).count() == 4


def test_the_invoice_page_prints_unit_prices_with_cents_and_more_decimals_when_they_have_them() -> None:
    producer = EnterpriseFactory.create()
    invoice = issued_invoice(
        producer=producer,
        lines=[
            {"unit_price": Decimal("1.8")},
            {"lot": LotFactory.create(enterprise=producer, title="Thym"), "unit_price": Decimal("2.125")},
        ],
    )

    page = (
        _member_client(producer)
        .get(reverse("invoicing_producer:detail", args=[producer.slug, invoice.number]))
        .content.decode()
    )

    assert 'data-label="Prix unitaire HT">1,80\xa0€<' in page
    assert 'data-label="Prix unitaire HT">2,125\xa0€<' in page
