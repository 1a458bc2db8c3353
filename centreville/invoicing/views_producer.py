"""A producer's invoices: the list, each invoice, its PDF and Factur-X XML, a credit note, an order's
invoices and its corrected invoice."""

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
from centreville.wholesale.models import WholesaleLine, WholesaleOrder

from .forms import CorrectedLinesForm, CreditNoteForm
from .models import Invoice
from .selectors import invoice_awaiting_correction, invoices_of_seller, order_invoices
from .services import (
    credit_note_issue,
    invoice_correct,
    invoice_document_store_later,
    invoice_issue_corrected,
)
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


def _order_lines(invoice: Invoice) -> list[WholesaleLine]:
    return list(invoice.order.lines.order_by("pk"))


def _detail(
    request: HttpRequest, enterprise: Enterprise, invoice: Invoice, form: CreditNoteForm
) -> HttpResponse:
    return invoice_page(
        request,
        "invoicing/producer/detail.html",
        enterprise=enterprise,
        invoice=invoice,
        form=form,
        extra={"awaiting_correction": invoice_awaiting_correction(invoice.order)},
    )


@require_safe
@enterprise_view(producer=True)
def invoice_detail(request: HttpRequest, enterprise: Enterprise, number: str) -> HttpResponse:
    invoice = _invoice(enterprise, number)
    return _detail(request, enterprise, invoice, CreditNoteForm(lines=_order_lines(invoice)))


@require_POST
@enterprise_view(producer=True)
def credit_note_create(request: HttpRequest, enterprise: Enterprise, number: str) -> HttpResponse:
    invoice = _invoice(enterprise, number)
    form = CreditNoteForm(request.POST, lines=_order_lines(invoice))
    if form.is_valid():
        reason, now = form.cleaned_data["reason"], timezone.now()
        try:
            if form.cleaned_data["reissue"]:
                credit_note, replacement = invoice_correct(
                    invoice=invoice, reason=reason, at=now, corrections=form.corrections()
                )
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


def _seller_order(enterprise: Enterprise, reference: str) -> WholesaleOrder:
    return get_object_or_404(WholesaleOrder, producer=enterprise, reference=reference)


def _order_page(
    request: HttpRequest, enterprise: Enterprise, order: WholesaleOrder, form: CorrectedLinesForm | None
) -> HttpResponse:
    awaiting = invoice_awaiting_correction(order)
    if awaiting is not None and form is None:
        form = CorrectedLinesForm(lines=list(order.lines.order_by("pk")))
    context = {
        "enterprise": enterprise,
        "order": order,
        "invoices": order_invoices(order),
        "awaiting_correction": awaiting,
        "form": form if awaiting is not None else None,
        "errors": form.non_field_errors() if form is not None else [],
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "invoicing/producer/order.html", context, status=status)


@require_safe
@enterprise_view(producer=True)
def order_invoices_page(request: HttpRequest, enterprise: Enterprise, reference: str) -> HttpResponse:
    return _order_page(request, enterprise, _seller_order(enterprise, reference), None)


@require_POST
@enterprise_view(producer=True)
def corrected_invoice_create(request: HttpRequest, enterprise: Enterprise, reference: str) -> HttpResponse:
    order = _seller_order(enterprise, reference)
    form = CorrectedLinesForm(request.POST, lines=list(order.lines.order_by("pk")))
    if form.is_valid():
        try:
            invoice = invoice_issue_corrected(order=order, at=timezone.now(), corrections=form.corrections())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            invoice_document_store_later(invoice)
            messages.success(
                request, gettext("Facture corrigée %(number)s émise.") % {"number": invoice.number}
            )
            return redirect("invoicing_producer:detail", enterprise.slug, invoice.number)
    return _order_page(request, enterprise, order, form)


@require_safe
@enterprise_view(producer=True)
def invoice_pdf(request: HttpRequest, enterprise: Enterprise, number: str) -> HttpResponse:
    return invoice_pdf_response(_invoice(enterprise, number))


@require_safe
@enterprise_view(producer=True)
def invoice_xml(request: HttpRequest, enterprise: Enterprise, number: str) -> HttpResponse:
    return invoice_xml_response(_invoice(enterprise, number))
