"""A professional buyer's pages: the basket and its checkout, the orders, the standing orders."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from centreville.core.access import signed_in
from centreville.core.links import is_own_url
from centreville.enterprises.decorators import enterprise_view
from centreville.enterprises.models import Enterprise

from . import selectors
from .checkout import Delivery, checkout
from .forms import StandingLinesForm, StandingOrderForm
from .handover import HandOverChoice, local_today
from .models import OrderStatus, StandingOrder
from .services import (
    basket_add,
    basket_change,
    basket_remove,
    category_prices,
    order_transition,
    parse_quantity,
)
from .standing import (
    hand_over_places,
    standing_order_change_lines,
    standing_order_create,
    standing_order_end,
    standing_order_from_order,
    standing_order_lots,
    standing_order_pause,
    standing_order_producers,
    standing_order_resume,
    upcoming,
)
from .transitions import Actor


def _error(request: HttpRequest, problem: ValidationError) -> None:
    messages.error(request, " ".join(problem.messages))


def _basket_url(enterprise: Enterprise) -> str:
    return reverse("wholesale_buyer:basket", args=[enterprise.slug])


@require_safe
@enterprise_view(buyer=True)
def basket(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    parts = selectors.basket_parts(enterprise, at=timezone.now())
    return render(
        request,
        "wholesale/buyer/basket.html",
        {"enterprise": enterprise, "parts": parts, "delivery": Delivery.of(enterprise)},
    )


@require_POST
@enterprise_view(buyer=True)
def basket_add_view(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    try:
        lot_id = int(request.POST.get("lot", ""))
    except ValueError:
        lot_id = 0
    try:
        quantity = parse_quantity(request.POST.get("quantity", ""))
        line = basket_add(buyer=enterprise, lot_id=lot_id, quantity=quantity, at=timezone.now())
    except ValidationError as problem:
        _error(request, problem)
    else:
        messages.success(request, _("« %(title)s » est dans le panier.") % {"title": line.lot.title})
    # The lot's page may ask to come back to it; anywhere else, the basket.
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/") and is_own_url(back) else _basket_url(enterprise))


@require_POST
@enterprise_view(buyer=True)
def basket_line(request: HttpRequest, enterprise: Enterprise, line_id: int) -> HttpResponse:
    try:
        if request.POST.get("action") == "remove":
            basket_remove(buyer=enterprise, line_id=line_id)
            messages.success(request, _("La ligne est retirée du panier."))
        else:
            quantity = parse_quantity(request.POST.get("quantity", ""))
            basket_change(buyer=enterprise, line_id=line_id, quantity=quantity)
            messages.success(request, _("La quantité est changée."))
    except ValidationError as problem:
        _error(request, problem)
    return redirect(_basket_url(enterprise))


@require_POST
@enterprise_view(buyer=True)
def checkout_view(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    choices: dict[int, HandOverChoice] = {}
    try:
        for key, value in request.POST.items():
            if key.startswith("hand_over_") and value:
                choices[int(key.removeprefix("hand_over_"))] = HandOverChoice.parse(str(value))
        default = Delivery.of(enterprise)
        delivery = Delivery(
            address=request.POST.get("delivery_address", "").strip()[:300] or default.address,
            postcode=request.POST.get("delivery_postcode", "").strip()[:5] or default.postcode,
            city=request.POST.get("delivery_city", "").strip()[:120] or default.city,
        )
        orders = checkout(
            buyer=enterprise,
            choices=choices,
            at=timezone.now(),
            placed_by=request.user,  # type: ignore[arg-type]
            delivery=delivery,
            buyer_note=request.POST.get("note", ""),
        )
    except (ValidationError, ValueError) as problem:
        if isinstance(problem, ValidationError):
            _error(request, problem)
        else:
            messages.error(request, _("Choisissez comment recevoir chaque commande."))
        return redirect(_basket_url(enterprise))
    messages.success(
        request,
        _("Commande envoyée à %(count)s producteur(s) : %(group)s.")
        % {"count": len(orders), "group": orders[0].group_reference},
    )
    return redirect("wholesale_buyer:orders", enterprise.slug)


@require_safe
@enterprise_view(buyer=True)
def orders(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    return render(
        request,
        "wholesale/buyer/orders.html",
        {"enterprise": enterprise, "groups": selectors.buyer_orders(enterprise)},
    )


@require_safe
@enterprise_view(buyer=True)
def order(request: HttpRequest, enterprise: Enterprise, reference: str) -> HttpResponse:
    found = selectors.order_of(reference=reference, buyer=enterprise)
    if found is None:
        raise Http404
    return render(
        request,
        "wholesale/buyer/order.html",
        {"enterprise": enterprise, "order": found, "can_cancel": found.status == OrderStatus.PLACED},
    )


@require_POST
@enterprise_view(buyer=True)
def order_cancel(request: HttpRequest, enterprise: Enterprise, reference: str) -> HttpResponse:
    found = selectors.order_of(reference=reference, buyer=enterprise)
    if found is None:
        raise Http404
    try:
        order_transition(order=found, to_status=OrderStatus.CANCELLED, actor=Actor.BUYER, at=timezone.now())
        messages.success(request, _("La commande %(reference)s est annulée.") % {"reference": reference})
    except ValidationError as problem:
        _error(request, problem)
    return redirect("wholesale_buyer:order", enterprise.slug, reference)


@require_POST
@enterprise_view(buyer=True)
def order_repeat(request: HttpRequest, enterprise: Enterprise, reference: str) -> HttpResponse:
    found = selectors.order_of(reference=reference, buyer=enterprise)
    if found is None:
        raise Http404
    try:
        standing = standing_order_from_order(
            order=found,
            created_by=request.user,  # type: ignore[arg-type]
            at=timezone.now(),
        )
    except ValidationError as problem:
        _error(request, problem)
        return redirect("wholesale_buyer:order", enterprise.slug, reference)
    messages.success(request, _("Cette commande sera passée chaque semaine."))
    return redirect("wholesale_buyer:standing_order", enterprise.slug, standing.pk)


@require_safe
@enterprise_view(buyer=True)
def standing_orders(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    return render(
        request,
        "wholesale/buyer/standing_orders.html",
        {"enterprise": enterprise, "standing_orders": selectors.buyer_standing_orders(enterprise)},
    )


def _standing(enterprise: Enterprise, pk: int) -> StandingOrder:
    return get_object_or_404(
        StandingOrder.objects.select_related("producer", "pickup_place", "drive_point", "delivery_round"),
        pk=pk,
        buyer=enterprise,
    )


@require_safe
@enterprise_view(buyer=True)
def standing_order(request: HttpRequest, enterprise: Enterprise, pk: int) -> HttpResponse:
    standing = _standing(enterprise, pk)
    now = timezone.now()
    return render(
        request,
        "wholesale/buyer/standing_order.html",
        {
            "enterprise": enterprise,
            "standing": standing,
            "lines": list(standing.lines.select_related("lot").order_by("pk")),
            "runs": list(standing.runs.select_related("order").order_by("-hand_over_on")[:12]),
            "upcoming": upcoming(standing, at=now),
            "today": local_today(now),
        },
    )


def _with_prices(enterprise: Enterprise, form: StandingLinesForm) -> StandingLinesForm:
    """The form, each lot with its unit price for this buyer (one query)."""
    prices = category_prices([lot.pk for lot in form.lots], enterprise)
    form.prices = {
        lot.pk: prices.get((lot.pk, enterprise.buyer_category), lot.unit_price) for lot in form.lots
    }
    return form


@require_http_methods(["GET", "HEAD", "POST"])
@enterprise_view(buyer=True)
def standing_new(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    """A standing order from an empty form, in two steps without script: the producer (a GET form), then
    the lots, the weekday, the hand-over and the start."""
    now = timezone.now()
    today = local_today(now)
    producers = standing_order_producers(enterprise)
    wanted = (request.POST if request.method == "POST" else request.GET).get("producteur", "")
    producer = next((found for found in producers if found.slug == wanted), None)
    context: dict[str, object] = {"enterprise": enterprise, "producers": producers, "producer": producer}
    if producer is None:
        context["unknown_producer"] = bool(wanted)
        return render(request, "wholesale/buyer/standing_order_new.html", context)
    form = StandingOrderForm(
        request.POST if request.method == "POST" else None,
        lots=standing_order_lots(producer),
        places=hand_over_places(producer, today=today),
        initial={"starts_on": today + timedelta(days=1)},
    )
    if request.method == "POST" and form.is_valid():
        kind, place_id = form.cleaned_data["place"]
        try:
            standing = standing_order_create(
                buyer=enterprise,
                producer=producer,
                weekday=form.cleaned_data["weekday"],
                hand_over=kind,
                place_id=place_id,
                lines=form.cleaned_data["lines"],
                starts_on=form.cleaned_data["starts_on"],
                created_by=request.user,  # type: ignore[arg-type]
                today=today,
            )
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("La commande régulière est enregistrée."))
            return redirect("wholesale_buyer:standing_order", enterprise.slug, standing.pk)
    context["form"] = _with_prices(enterprise, form)
    return render(request, "wholesale/buyer/standing_order_new.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@enterprise_view(buyer=True)
def standing_lines(request: HttpRequest, enterprise: Enterprise, pk: int) -> HttpResponse:
    """Change the lots and quantities of a standing order, with the same fields as at creation."""
    standing = _standing(enterprise, pk)
    if not standing.is_active:
        raise Http404
    current = {line.lot_id: line.quantity for line in standing.lines.all()}
    form = StandingLinesForm(
        request.POST if request.method == "POST" else None,
        lots=standing_order_lots(standing.producer, keep=list(current)),
        initial={f"quantite_{lot_id}": f"{quantity.normalize():f}" for lot_id, quantity in current.items()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            standing_order_change_lines(standing_order=standing, lines=form.cleaned_data["lines"])
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("Les lots de la commande régulière sont changés."))
            return redirect("wholesale_buyer:standing_order", enterprise.slug, pk)
    return render(
        request,
        "wholesale/buyer/standing_order_lines.html",
        {
            "enterprise": enterprise,
            "standing": standing,
            "form": _with_prices(enterprise, form),
        },
    )


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise ValidationError(_("Indiquez une date au format AAAA-MM-JJ.")) from None


@require_POST
@enterprise_view(buyer=True)
def standing_pause(request: HttpRequest, enterprise: Enterprise, pk: int) -> HttpResponse:
    standing = _standing(enterprise, pk)
    try:
        paused_from = _date(request.POST.get("paused_from", ""))
        if paused_from is None:
            raise ValidationError(_("Indiquez le début de la pause."))
        standing_order_pause(
            standing_order=standing,
            paused_from=paused_from,
            paused_until=_date(request.POST.get("paused_until", "")),
        )
        messages.success(request, _("La pause est enregistrée."))
    except ValidationError as problem:
        _error(request, problem)
    return redirect("wholesale_buyer:standing_order", enterprise.slug, pk)


@require_POST
@enterprise_view(buyer=True)
def standing_resume(request: HttpRequest, enterprise: Enterprise, pk: int) -> HttpResponse:
    standing_order_resume(standing_order=_standing(enterprise, pk))
    messages.success(request, _("La commande régulière reprend."))
    return redirect("wholesale_buyer:standing_order", enterprise.slug, pk)


@require_POST
@enterprise_view(buyer=True)
def standing_end(request: HttpRequest, enterprise: Enterprise, pk: int) -> HttpResponse:
    standing_order_end(standing_order=_standing(enterprise, pk), today=local_today(timezone.now()))
    messages.success(request, _("La commande régulière est arrêtée."))
    return redirect("wholesale_buyer:standing_order", enterprise.slug, pk)


@signed_in
def order_from_lot(request: HttpRequest, lot_id: int) -> HttpResponse:
    """A lot seen on a public page, to the basket of one of the person's buyer enterprises (asked when they
    have several); a person without one is shown how to register it."""
    lot = selectors.orderable_lot(lot_id)
    if lot is None:
        raise Http404
    buyers = selectors.person_buyers(request.user)
    chosen: Enterprise | None = buyers[0] if len(buyers) == 1 else None
    if request.method == "POST":
        chosen = next((buyer for buyer in buyers if buyer.slug == request.POST.get("buyer")), None)
        if chosen is None:
            messages.error(request, _("Choisissez l'entreprise qui achète."))
        else:
            try:
                quantity = parse_quantity(request.POST.get("quantity", ""))
                basket_add(buyer=chosen, lot_id=lot.pk, quantity=quantity, at=timezone.now())
            except ValidationError as problem:
                _error(request, problem)
            else:
                messages.success(request, _("« %(title)s » est dans le panier.") % {"title": lot.title})
                return redirect(_basket_url(chosen))
    context = {
        "lot": lot,
        "buyers": buyers,
        "chosen": chosen,
        "quantity": request.POST.get("quantity") or f"{lot.minimum_quantity.normalize():f}",
    }
    return render(request, "wholesale/buyer/order_from_lot.html", context)
