"""Buying the town's vouchers online: a person's form, a company's (with its invoice), the payment at the
provider, and the buyer's private page of the purchase, its vouchers and its invoice."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from centreville.core.access import public, secret_link
from centreville.core.links import absolute_url
from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from . import sales
from .forms_purchase import CompanyPurchaseForm, PurchaseForm
from .ledger import euros
from .models import Programme, SaleBuyerKind, SaleStatus
from .sale_invoice import sale_invoice_pdf


def _town(space: Space) -> Town:
    assert space.town is not None
    return space.town


@require_safe
@space_view(single_town=True)
@public
def programmes(request: HttpRequest, space: Space) -> HttpResponse:
    on_sale = sales.programmes_on_sale(town=_town(space), at=timezone.now())
    return render(
        request,
        "vouchers/purchase/programmes.html",
        {
            "programmes": [
                {"programme": programme, "values": [euros(v) for v in sales.sale_face_values(programme)]}
                for programme in on_sale
            ]
        },
    )


def _programme(town: Town, slug: str) -> Programme:
    programme = sales.programme_of_town(town=town, slug=slug)
    if programme is None or programme.kind not in sales.ON_SALE_KINDS or programme.invitation_only:
        raise Http404
    return programme


def _buy(
    request: HttpRequest, space: Space, programme_slug: str, form_class: type[PurchaseForm]
) -> HttpResponse:
    town = _town(space)
    programme = _programme(town, programme_slug)
    at = timezone.now()
    form = form_class(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        sale_url = absolute_url(reverse("vouchers_purchase:sale", args=[space.slug, sales.TOKEN_PLACEHOLDER]))
        try:
            sale = sales.sale_start(
                town=town,
                programme=programme,
                buyer=form.buyer(),
                face_value_cents=form.cleaned_data["face_value"],
                count=form.cleaned_data["count"],
                at=at,
                return_url=sale_url,
                cancel_url=sale_url + "?paiement=abandonne",
                language=getattr(request, "LANGUAGE_CODE", "fr"),
            )
        except ValidationError as refused:  # the programme's rules (VoucherRefused), or the payment
            form.add_error(None, refused.messages[0])
        else:
            assert sale.payment is not None
            return redirect(sale.payment.redirect_url)
    on_sale = programme in sales.programmes_on_sale(town=town, at=at)
    return render(
        request,
        "vouchers/purchase/buy.html",
        {
            "programme": programme,
            "form": form,
            "on_sale": on_sale,
            "company": form_class is CompanyPurchaseForm,
            "price": euros(programme.top_up_paid_cents) if programme.kind == "top_up" else "",
            "value": euros(programme.top_up_value_cents) if programme.kind == "top_up" else "",
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@space_view(single_town=True)
@public
def buy(request: HttpRequest, space: Space, programme_slug: str) -> HttpResponse:
    return _buy(request, space, programme_slug, PurchaseForm)


@require_http_methods(["GET", "HEAD", "POST"])
@space_view(single_town=True)
@public
def buy_for_company(request: HttpRequest, space: Space, programme_slug: str) -> HttpResponse:
    return _buy(request, space, programme_slug, CompanyPurchaseForm)


@require_safe
@space_view(single_town=True)
@secret_link
def sale(request: HttpRequest, space: Space, token: str) -> HttpResponse:
    found = sales.sale_by_token(town=_town(space), token=token)
    if found is None:
        raise Http404
    context = sales.sale_summary(found)
    context["abandoned"] = request.GET.get("paiement") == "abandonne"
    context["company"] = found.buyer_kind == SaleBuyerKind.COMPANY
    context["statuses"] = SaleStatus
    response = render(request, "vouchers/purchase/sale.html", context)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
@space_view(single_town=True)
@secret_link
def invoice(request: HttpRequest, space: Space, token: str) -> HttpResponse:
    found = sales.sale_by_token(town=_town(space), token=token)
    if found is None or not found.invoice_number:
        raise Http404
    response = HttpResponse(sale_invoice_pdf(found.invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="facture-{found.invoice_number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
