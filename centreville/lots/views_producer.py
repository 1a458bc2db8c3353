"""A producer's lots in its back-office (/pro/<producer>/lots/): the list made for a phone, where one tap
changes a quantity (a POST, so it works without JavaScript), and the forms of a lot."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from centreville.enterprises.decorators import enterprise_view
from centreville.enterprises.models import Enterprise

from . import selectors, services
from .forms import LotForm
from .models import Lot

QUANTITY_ACTIONS = ("plus", "moins", "epuise")


def _lot_of(enterprise: Enterprise, lot_id: int) -> Lot:
    lot = enterprise.lots.filter(pk=lot_id).first()
    if lot is None:
        raise Http404
    return lot


@require_http_methods(["GET", "HEAD"])
@enterprise_view(producer=True)
def lot_list(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    page = selectors.producer_lots(enterprise=enterprise, page_number=request.GET.get("page", 1))
    return render(request, "lots/producer/list.html", {"enterprise": enterprise, "page": page, "lots": page})


@require_POST
@enterprise_view(producer=True)
def lot_quantity(request: HttpRequest, enterprise: Enterprise, lot_id: int) -> HttpResponse:
    """One tap: minus one step, plus one step, or « Épuisé »; back to the list, at the lot."""
    lot = _lot_of(enterprise, lot_id)
    action, error = request.POST.get("action", ""), ""
    try:
        if action == "plus":
            services.lot_quantity_change(lot=lot, change=lot.quantity_step)
        elif action == "moins":
            services.lot_quantity_change(lot=lot, change=-lot.quantity_step)
        elif action == "epuise":
            services.lot_quantity_set(lot=lot, quantity=Decimal(0))
        else:
            error = _("Action inconnue.")
    except ValidationError as refused:
        error = " ".join(refused.messages)
    page = request.POST.get("page", "")
    if request.headers.get("HX-Request"):
        # htmx swaps the lot's status alone (its buttons stay, with the taps queued behind this one); a
        # refused tap answers 422 with its reason.
        lot.refresh_from_db()
        context = {"enterprise": enterprise, "lot": lot, "error": error}
        return render(request, "lots/producer/_lot_status.html", context, status=422 if error else 200)
    if error:
        messages.error(request, error)
    address = reverse("lots_producer:list", args=[enterprise.slug])
    return HttpResponseRedirect(f"{address}{'?page=' + page if page.isdigit() else ''}#lot-{lot.pk}")


def _edit(request: HttpRequest, enterprise: Enterprise, lot: Lot | None) -> HttpResponse:
    prices = {p.buyer_category: p.unit_price for p in lot.prices.all()} if lot else {}
    form = LotForm(request.POST or None, instance=lot, prices=prices)
    if request.method == "POST" and form.is_valid():
        try:
            # The lot and its prices together or not at all: a refused price leaves the lot as it was.
            with transaction.atomic():
                if lot is None:
                    saved = services.lot_create(enterprise=enterprise, **form.lot_fields())
                else:
                    saved = services.lot_update(lot=Lot.objects.get(pk=lot.pk), **form.lot_fields())
                services.lot_prices_set(lot=saved, prices=form.prices())
        except ValidationError as error:
            form.show_errors(error)
        else:
            messages.success(request, _("Le lot « %(title)s » est enregistré.") % {"title": saved.title})
            return HttpResponseRedirect(
                reverse("lots_producer:list", args=[enterprise.slug]) + f"#lot-{saved.pk}"
            )
    status = 422 if form.errors else 200
    return render(
        request,
        "lots/producer/edit.html",
        {"enterprise": enterprise, "form": form, "lot": lot},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@enterprise_view(producer=True)
def lot_new(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    return _edit(request, enterprise, None)


@require_http_methods(["GET", "HEAD", "POST"])
@enterprise_view(producer=True)
def lot_edit(request: HttpRequest, enterprise: Enterprise, lot_id: int) -> HttpResponse:
    return _edit(request, enterprise, _lot_of(enterprise, lot_id))
