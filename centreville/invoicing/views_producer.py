"""A producer's invoices: the list, each invoice, its PDF and Factur-X XML, a credit note."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from centreville.enterprises.decorators import enterprise_view
from centreville.enterprises.models import Enterprise

from .forms import CreditNoteForm
from .models import Invoice
from .selectors import invoices_of_seller
from .services import credit_note_issue, invoice_correct, invoice_document_store_later
from .views_common import invoice_page, invoice_pdf_response, invoice_xml_response


def _invoice(enterprise: Enterprise, number: str) -> Invoice:
    return get_object_or_404(
        Invoice.objects.select_related("buyer", "order"), seller=enterprise, number=number
    )


@require_safe
@enterprise_view(producer=True)
def invoice_list(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    page = Paginator(invoices_of_seller(enterprise), 50).get_page(request.GET.get("page"))
    return render(request, "invoicing/producer/list.html", {"enterprise": enterprise, "page": page})


def _detail(
    request: HttpRequest, enterprise: Enterprise, invoice: Invoice, form: CreditNoteForm
) -> HttpResponse:
    return invoice_page(
        request, "invoicing/producer/detail.html", enterprise=enterprise, invoice=invoice, form=form
    )


@require_safe
@enterprise_view(producer=True)
def invoice_detail(request: HttpRequest, enterprise: Enterprise, number: str) -> HttpResponse:
    return _detail(request, enterprise, _invoice(enterprise, number), CreditNoteForm())


@require_POST
@enterprise_view(producer=True)
def credit_note_create(request: HttpRequest, enterprise: Enterprise, number: str) -> HttpResponse:
    invoice = _invoice(enterprise, number)
    form = CreditNoteForm(request.POST)
    if form.is_valid():
        reason, now = form.cleaned_data["reason"], timezone.now()
        try:
            if form.cleaned_data["reissue"]:
                credit_note, replacement = invoice_correct(invoice=invoice, reason=reason, at=now)
            else:
                credit_note, replacement = credit_note_issue(invoice=invoice, reason=reason, at=now), None
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, gettext("Avoir %(number)s émis.") % {"number": credit_note.number})
            if replacement is not None:
                messages.success(
                    request, gettext("Nouvelle facture %(number)s émise.") % {"number": replacement.number}
                )
                invoice_document_store_later(replacement)
                return redirect("invoicing_producer:detail", enterprise.slug, replacement.number)
            return redirect("invoicing_producer:detail", enterprise.slug, credit_note.number)
    return _detail(request, enterprise, invoice, form)


@require_safe
@enterprise_view(producer=True)
def invoice_pdf(request: HttpRequest, enterprise: Enterprise, number: str) -> HttpResponse:
    return invoice_pdf_response(_invoice(enterprise, number))


@require_safe
@enterprise_view(producer=True)
def invoice_xml(request: HttpRequest, enterprise: Enterprise, number: str) -> HttpResponse:
    return invoice_xml_response(_invoice(enterprise, number))
