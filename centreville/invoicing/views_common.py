"""What the producer's and the buyer's pages share: an invoice's downloads."""

from __future__ import annotations

from django.http import HttpResponse

from .models import Invoice
from .services import invoice_document_store


def invoice_pdf_response(invoice: Invoice) -> HttpResponse:
    document = invoice_document_store(invoice=invoice)  # kept at issue; made now if that step failed
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
    return response


def invoice_xml_response(invoice: Invoice) -> HttpResponse:
    document = invoice_document_store(invoice=invoice)
    response = HttpResponse(bytes(document.xml), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}-factur-x.xml"'
    return response
