"""A producer's pages: its orders and their steps, the day's pick lists."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from centreville.enterprises.decorators import enterprise_view
from centreville.enterprises.models import Enterprise
from centreville.enterprises.selectors import pickup_week_in_words
from centreville.shops.hours import WEEKDAY_NAMES

from . import selectors
from .handover import local_today
from .models import DrivePoint, OrderStatus, WholesaleOrder
from .services import (
    LineAdjustment,
    delivery_round_create,
    delivery_round_stop,
    drive_point_join,
    drive_point_leave,
    order_adjust,
    order_transition,
    parse_quantity,
)
from .transitions import ADJUSTABLE_STATUSES, Actor, moves


def _steps(order: WholesaleOrder) -> list[str]:
    return moves(order, Actor.PRODUCER)


@require_safe
@enterprise_view()
def orders(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    if not enterprise.is_producer:  # a buyer's orders are its purchases
        return redirect("wholesale_buyer:orders", enterprise.slug)
    status = request.GET.get("etat", "")
    if status not in OrderStatus.values:
        status = ""
    found = selectors.producer_orders(enterprise, status=status)
    return render(
        request,
        "wholesale/producer/orders.html",
        {
            "enterprise": enterprise,
            "orders": [(order, _steps(order)) for order in found],
            "statuses": OrderStatus.choices,
            "status": status,
            "today": local_today(timezone.now()),
            "drive_points": list(enterprise.drive_points.filter(is_active=True).order_by("name")),
        },
    )


def _order(enterprise: Enterprise, reference: str) -> WholesaleOrder:
    found = selectors.order_of(reference=reference, producer=enterprise)
    if found is None:
        raise Http404
    return found


@require_safe
@enterprise_view(producer=True)
def order(request: HttpRequest, enterprise: Enterprise, reference: str) -> HttpResponse:
    found = _order(enterprise, reference)
    return render(
        request,
        "wholesale/producer/order.html",
        {
            "enterprise": enterprise,
            "order": found,
            "steps": _steps(found),
            "adjustable": found.status in ADJUSTABLE_STATUSES,
        },
    )


@require_POST
@enterprise_view(producer=True)
def order_step(request: HttpRequest, enterprise: Enterprise, reference: str) -> HttpResponse:
    found = _order(enterprise, reference)
    try:
        order_transition(
            order=found,
            to_status=request.POST.get("to_status", ""),
            actor=Actor.PRODUCER,
            at=timezone.now(),
            reason=request.POST.get("reason", ""),
        )
        found.refresh_from_db(fields=["status"])
        messages.success(
            request,
            _("La commande %(reference)s est « %(status)s ».")
            % {"reference": reference, "status": found.get_status_display()},
        )
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    if request.POST.get("next") == "list":
        return redirect("wholesale_producer:orders", enterprise.slug)
    return redirect("wholesale_producer:order", enterprise.slug, reference)


def _optional(value: str) -> Decimal | None:
    return parse_quantity(value) if value.strip() else None


@require_POST
@enterprise_view(producer=True)
def order_adjust_view(request: HttpRequest, enterprise: Enterprise, reference: str) -> HttpResponse:
    found = _order(enterprise, reference)
    try:
        adjustments = [
            LineAdjustment(
                line.pk,
                delivered_quantity=_optional(request.POST.get(f"delivered_{line.pk}", "")),
                final_weight=_optional(request.POST.get(f"weight_{line.pk}", "")),
            )
            for line in found.lines.all()
        ]
        order_adjust(order=found, adjustments=adjustments, at=timezone.now())
        messages.success(request, _("Les quantités remises sont enregistrées."))
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    return redirect("wholesale_producer:order", enterprise.slug, reference)


def _day(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("jour", ""))
    except ValueError:
        return local_today(timezone.now())


@require_safe
@enterprise_view(producer=True)
def pick_list_view(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    day = _day(request)
    return render(
        request,
        "wholesale/producer/pick_list.html",
        {
            "enterprise": enterprise,
            "day": day,
            "title": _("Préparation du %(day)s") % {"day": day.strftime("%d/%m/%Y")},
            "groups": selectors.pick_list(enterprise, day),
        },
    )


@require_safe
@enterprise_view(producer=True)
def drive_list(request: HttpRequest, enterprise: Enterprise, drive_id: int) -> HttpResponse:
    drive = get_object_or_404(DrivePoint, pk=drive_id, producers=enterprise)
    day = _day(request)
    return render(
        request,
        "wholesale/producer/pick_list.html",
        {
            "enterprise": enterprise,
            "day": day,
            "drive": drive,
            "title": _("Drive %(drive)s, le %(day)s")
            % {"drive": drive.name, "day": day.strftime("%d/%m/%Y")},
            "groups": selectors.drive_pick_list(drive, day),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@enterprise_view(producer=True)
def delivery_rounds(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    errors: list[str] = []
    if request.method == "POST":
        try:
            delivery_round_create(
                producer=enterprise,
                name=request.POST.get("name", ""),
                weekdays=[int(day) for day in request.POST.getlist("weekdays") if day.isdigit()],
                cutoff_days_before=_whole(request.POST.get("cutoff_days_before", "1")),
                cutoff_time=_clock(request.POST.get("cutoff_time", "")),
                postcodes=[
                    code.strip() for code in request.POST.get("postcodes", "").split(",") if code.strip()
                ],
                minimum_order=parse_quantity(request.POST.get("minimum_order", "0") or "0"),
                delivery_window=request.POST.get("delivery_window", "")[:60],
            )
        except ValidationError as problem:
            errors = problem.messages
        else:
            messages.success(request, _("La tournée est enregistrée."))
            return redirect("wholesale_producer:delivery_rounds", enterprise.slug)
    return render(
        request,
        "wholesale/producer/delivery_rounds.html",
        {
            "enterprise": enterprise,
            "rounds": list(enterprise.delivery_rounds.filter(is_active=True).order_by("name")),
            "weekdays": [(index + 1, name) for index, name in enumerate(WEEKDAY_NAMES)],
            "errors": errors,
            "posted": request.POST if request.method == "POST" else {},
        },
        status=400 if errors else 200,
    )


def _whole(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ValidationError(_("Indiquez un nombre de jours.")) from None


def _clock(value: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ValidationError(_("Indiquez l'heure limite de commande, par exemple 12:00.")) from None


@require_POST
@enterprise_view(producer=True)
def delivery_round_stop_view(request: HttpRequest, enterprise: Enterprise, round_id: int) -> HttpResponse:
    delivery_round_stop(producer=enterprise, round_id=round_id)
    messages.success(request, _("La tournée n'est plus proposée."))
    return redirect("wholesale_producer:delivery_rounds", enterprise.slug)


@require_safe
@enterprise_view(producer=True)
def drive_points(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    member_of = set(enterprise.drive_points.values_list("pk", flat=True))
    now = timezone.now()
    return render(
        request,
        "wholesale/producer/drive_points.html",
        {
            "enterprise": enterprise,
            # Each drive's hours in words, as the producer's own places: « jeudi : de 16:00 à 19:00 ».
            "drives": [
                (drive, drive.pk in member_of, pickup_week_in_words(drive.opening_hours, at=now))
                for drive in DrivePoint.objects.filter(is_active=True).order_by("name")
            ],
        },
    )


@require_POST
@enterprise_view(producer=True)
def drive_point_membership(request: HttpRequest, enterprise: Enterprise, drive_id: int) -> HttpResponse:
    try:
        if request.POST.get("action") == "leave":
            drive_point_leave(producer=enterprise, drive_id=drive_id)
            messages.success(request, _("Vous ne livrez plus ce drive."))
        else:
            drive = drive_point_join(producer=enterprise, drive_id=drive_id)
            messages.success(
                request, _("Vos acheteurs peuvent choisir le drive %(name)s.") % {"name": drive.name}
            )
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    return redirect("wholesale_producer:drive_points", enterprise.slug)
