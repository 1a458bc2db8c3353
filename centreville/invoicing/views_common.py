"""What the producer's and the buyer's pages share: an invoice's page and its downloads."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from centreville.enterprises.models import Enterprise

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


def invoice_page(
    request: HttpRequest,
    template: str,
    *,
    enterprise: Enterprise,
    invoice: Invoice,
    form: forms.Form,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """An invoice as printed (its snapshot), the credit note cancelling it if any, its payments, and the
    audience's form (a credit note for the seller, a payment for the buyer)."""
    context = {
        "enterprise": enterprise,
        "invoice": invoice,
        "snapshot": invoice.snapshot,
        "cancelled_by": Invoice.objects.filter(cancels=invoice).first(),
        "payments": list(invoice.payments.all()),
        "form": form,
        **(extra or {}),
    }
    return render(request, template, context, status=400 if form.errors else 200)
