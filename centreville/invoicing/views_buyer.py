"""A buyer's invoices and payments, its « bulletins d'achat » and yearly statements for farmers under the
remboursement forfaitaire agricole, and its statement of purchases with the EGalim shares."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from centreville.core.spreadsheets import spreadsheet_amount, spreadsheet_text, spreadsheet_writer
from centreville.enterprises.decorators import enterprise_view
from centreville.enterprises.models import Enterprise

from .documents import purchase_note_pdf, yearly_statement_pdf
from .forms import PaymentForm, PeriodForm
from .mentions import party
from .models import Invoice, InvoicePayment
from .selectors import (
    PurchaseStatement,
    flat_rate_farmers_paid,
    invoices_of_buyer,
    purchase_notes_of_buyer,
    purchase_statement,
    yearly_purchases,
)
from .services import payment_record
from .views_common import invoice_page, invoice_pdf_response, invoice_xml_response


def _invoice(enterprise: Enterprise, pk: int) -> Invoice:
    return get_object_or_404(Invoice.objects.select_related("seller", "order"), buyer=enterprise, pk=pk)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response


@require_safe
@enterprise_view(buyer=True)
def invoice_list(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    page = Paginator(invoices_of_buyer(enterprise), 50).get_page(request.GET.get("page"))
    return render(request, "invoicing/buyer/list.html", {"enterprise": enterprise, "page": page})


def _detail(
    request: HttpRequest, enterprise: Enterprise, invoice: Invoice, form: PaymentForm
) -> HttpResponse:
    return invoice_page(
        request, "invoicing/buyer/detail.html", enterprise=enterprise, invoice=invoice, form=form
    )


@require_safe
@enterprise_view(buyer=True)
def invoice_detail(request: HttpRequest, enterprise: Enterprise, pk: int) -> HttpResponse:
    return _detail(request, enterprise, _invoice(enterprise, pk), PaymentForm())


@require_POST
@enterprise_view(buyer=True)
def payment_create(request: HttpRequest, enterprise: Enterprise, pk: int) -> HttpResponse:
    invoice = _invoice(enterprise, pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            payment = payment_record(
                invoice=invoice,
                paid_on=form.cleaned_data["paid_on"],
                amount=form.cleaned_data["amount"],
                by=request.user,
                at=timezone.now(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, gettext("Paiement enregistré."))
            if payment.purchase_note_number:
                messages.info(
                    request,
                    gettext("Remettez au producteur le bulletin d'achat %(number)s.")
                    % {"number": payment.purchase_note_number},
                )
            return redirect("invoicing_buyer:detail", enterprise.slug, invoice.pk)
    return _detail(request, enterprise, invoice, form)


@require_safe
@enterprise_view(buyer=True)
def invoice_pdf(request: HttpRequest, enterprise: Enterprise, pk: int) -> HttpResponse:
    return invoice_pdf_response(_invoice(enterprise, pk))


@require_safe
@enterprise_view(buyer=True)
def invoice_xml(request: HttpRequest, enterprise: Enterprise, pk: int) -> HttpResponse:
    return invoice_xml_response(_invoice(enterprise, pk))


@require_safe
@enterprise_view(buyer=True)
def purchase_notes(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    context = {
        "enterprise": enterprise,
        "notes": purchase_notes_of_buyer(enterprise)[:500],
        "years": flat_rate_farmers_paid(enterprise),
    }
    return render(request, "invoicing/buyer/purchase_notes.html", context)


@require_safe
@enterprise_view(buyer=True)
def purchase_note_download(request: HttpRequest, enterprise: Enterprise, pk: int) -> HttpResponse:
    payment = get_object_or_404(
        InvoicePayment.objects.select_related("invoice").exclude(purchase_note_number=""),
        invoice__buyer=enterprise,
        pk=pk,
    )
    return _pdf(purchase_note_pdf(payment=payment), payment.purchase_note_number)


@require_safe
@enterprise_view(buyer=True)
def yearly_statement_download(
    request: HttpRequest, enterprise: Enterprise, seller_slug: str, year: int
) -> HttpResponse:
    seller = get_object_or_404(Enterprise, slug=seller_slug)
    payments, total = yearly_purchases(buyer=enterprise, seller=seller, year=year)
    if not payments:
        raise Http404
    content = yearly_statement_pdf(
        year=year,
        seller=payments[-1].invoice.snapshot["seller"],
        buyer=party(enterprise),
        payments=payments,
        total=total,
    )
    return _pdf(content, f"attestation-{year}-{seller.slug}")


def _statement_csv(statement: PurchaseStatement, enterprise: Enterprise) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="releve-{enterprise.slug}-{statement.start:%Y%m%d}-{statement.end:%Y%m%d}.csv"'
    )
    writer = spreadsheet_writer(response)
    writer.writerow([gettext("Rubrique"), gettext("Nom"), gettext("Achats HT (€)"), gettext("Part (%)")])
    for name, amount in statement.by_producer:
        writer.writerow([gettext("Producteur"), spreadsheet_text(name), spreadsheet_amount(amount), ""])
    for name, amount in statement.by_label:
        writer.writerow([gettext("Label"), name, spreadsheet_amount(amount), ""])
    writer.writerow(
        [
            "EGalim",
            gettext("Produits durables et de qualité"),
            spreadsheet_amount(statement.quality),
            str(statement.quality_share).replace(".", ","),
        ]
    )
    writer.writerow(
        [
            "EGalim",
            gettext("Produits biologiques"),
            spreadsheet_amount(statement.organic),
            str(statement.organic_share).replace(".", ","),
        ]
    )
    writer.writerow([gettext("Total"), "", spreadsheet_amount(statement.total), "100,0"])
    return response


@require_safe
@enterprise_view(buyer=True)
def statement(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    today = timezone.localdate()
    form = PeriodForm(request.GET or {"start": date(today.year, 1, 1), "end": today})
    result = None
    if form.is_valid():
        result = purchase_statement(
            buyer=enterprise, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
        if request.GET.get("format") == "csv":
            return _statement_csv(result, enterprise)
    return render(
        request,
        "invoicing/buyer/statement.html",
        {"enterprise": enterprise, "form": form, "statement": result},
        status=200 if form.is_valid() else 400,
    )
