"""A merchant's orders on the phone behind the counter: the day's orders, one tap per step, the
preparation list to print and the CSV export.

Every button is a plain form that posts and comes back to the day's page; with htmx the day's sections
are swapped, the order in its new section (422 and the French error in the card when the step is
refused), and the focus goes to the card's message or to the field to correct.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from centreville.accounts.http import SignedInHtmxRequest
from centreville.core.days import DayField
from centreville.core.spreadsheets import spreadsheet_amount, spreadsheet_text, spreadsheet_writer
from centreville.fulfilment.models import FulfilmentMethod
from centreville.shops.access import managed_shop
from centreville.shops.models import Shop
from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from . import selectors
from .models import Order, OrderLine, OrderStatus
from .services import order_transition

# Merchants of the town, its manager and the platform's admins reach these pages; each shop is checked.
MERCHANT_AREA = "towns.view_merchant_area"
# The same people as "orders.handle_order" for the shop's orders: its members, the town manager, admins.
SHOP_ORDERS = "shops.change_shop"
LONGEST_EXPORT_DAYS = 366

MERCHANT_STEPS = {
    OrderStatus.ACCEPTED: gettext_lazy("Commande %(reference)s acceptée : le client est prévenu."),
    OrderStatus.REFUSED: gettext_lazy(
        "Commande %(reference)s refusée : le client est prévenu et les articles sont remis en stock."
    ),
    OrderStatus.READY: gettext_lazy("Commande %(reference)s prête : le client est prévenu qu'il peut venir."),
    OrderStatus.DROPPED: gettext_lazy(
        "Commande %(reference)s déposée au point relais : le client est prévenu qu'il peut y aller."
    ),
    OrderStatus.COLLECTED: gettext_lazy("Commande %(reference)s retirée. Merci !"),
    OrderStatus.SHOP_CANCELLED: gettext_lazy(
        "Commande %(reference)s annulée : le client est prévenu, "
        "les articles en bon état sont remis en stock."
    ),
    OrderStatus.NOT_COLLECTED: gettext_lazy(
        "Commande %(reference)s non retirée : le client est prévenu et les articles sont remis en stock."
    ),
}

# A relay order is ready once prepared: the customer is told when it is at the relay point.
RELAY_READY = gettext_lazy(
    "Commande %(reference)s prête : déposez-la au point relais, le client sera prévenu du dépôt."
)


def town_today(town: Town) -> date:
    return timezone.localdate(timezone=ZoneInfo(town.timezone))


class DayForm(forms.Form):
    jour = DayField(
        label=gettext_lazy("Voir un autre jour"),
        error_messages={"invalid": gettext_lazy("Indiquez une date, par exemple 2025-03-14.")},
    )


class ExportForm(forms.Form):
    du = DayField(
        label=gettext_lazy("Du"),
        error_messages={
            "required": gettext_lazy("Indiquez le premier jour."),
            "invalid": gettext_lazy("Indiquez une date, par exemple 2025-03-01."),
        },
    )
    au = DayField(
        label=gettext_lazy("Au (inclus)"),
        error_messages={
            "required": gettext_lazy("Indiquez le dernier jour."),
            "invalid": gettext_lazy("Indiquez une date, par exemple 2025-03-31."),
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("du"), data.get("au")
        if first and last:
            if last < first:
                self.add_error("au", _("Le dernier jour doit venir après le premier."))
            elif (last - first).days >= LONGEST_EXPORT_DAYS:
                self.add_error("au", _("Exportez au plus un an à la fois."))
        return data


@dataclass(frozen=True)
class Scope:
    """Whose orders a page shows: the person's shops, or the one named by `?commerce=`."""

    shops: list[Shop]
    chosen: Shop | None  # the shop named in the address, kept in every link and form

    @property
    def params(self) -> dict[str, str]:
        return {"commerce": self.chosen.slug} if self.chosen else {}


def _scope(request: SignedInHtmxRequest, space: Space, params: QueryDict) -> Scope:
    assert space.town is not None
    slug = params.get("commerce", "").strip()
    if slug:
        shop = managed_shop(request, space, slug, permission=SHOP_ORDERS)
        return Scope(shops=[shop], chosen=shop)
    return Scope(shops=selectors.merchant_order_shops(request.user, space.town), chosen=None)


def _day(town: Town, params: QueryDict) -> tuple[date, DayForm]:
    """The day asked for by `?jour=`, or today (the form then carries the French error)."""
    today = town_today(town)
    if "jour" not in params:
        return today, DayForm(initial={"jour": today})
    form = DayForm(params)
    return (form.cleaned_data["jour"] if form.is_valid() else today), form


def day_url(space: Space, scope: Scope, day: date | None, *, anchor: str = "") -> str:
    params = dict(scope.params)
    if day is not None:
        params["jour"] = day.isoformat()
    url = reverse("orders_merchant:day", args=[space.slug])
    return f"{url}{'?' + urlencode(params) if params else ''}{'#' + anchor if anchor else ''}"


def _render(
    request: SignedInHtmxRequest, town: Town, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    # Times are the town's own, whatever the server's zone.
    with timezone.override(ZoneInfo(town.timezone)):
        return render(request, template, context, status=status)


@dataclass(frozen=True)
class Saved:
    """A step done: on which order, and what the merchant is told."""

    reference: str
    message: str


@dataclass(frozen=True)
class CardError:
    """A step refused: on which order, which step, what was typed and why."""

    reference: str
    to_status: str
    reason: str
    message: str


def _day_context(
    request: SignedInHtmxRequest,
    space: Space,
    params: QueryDict,
    *,
    saved: Saved | None = None,
    card_error: CardError | None = None,
) -> dict[str, Any]:
    town = space.town
    assert town is not None
    scope = _scope(request, space, params)
    day, day_form = _day(town, params)
    today = town_today(town)
    merchant_day = selectors.merchant_day(request.user, town, scope.shops, day=day, today=today)
    acted_on = saved.reference if saved else card_error.reference if card_error else None
    return {
        "day": day,
        "today": today,
        "now": timezone.now(),
        "is_today": day == today,
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "day_form": day_form,
        "scope": scope,
        "query": urlencode({**scope.params, "jour": day.isoformat()}),
        "merchant_day": merchant_day,
        # The finished orders stay folded, unless the one just acted on is among them.
        "closed_open": any(card.order.reference == acted_on for card in merchant_day.closed),
        "show_shop": len(scope.shops) > 1,
        "saved": saved,
        "card_error": card_error,
        "shops_with_orders": (
            selectors.shops_with_orders(town, day=day, today=today)[:200]
            if not scope.shops and request.user.has_perm("towns.change_town", town)
            else None
        ),
    }


def _day_page(
    request: SignedInHtmxRequest,
    space: Space,
    params: QueryDict,
    *,
    card_error: CardError | None = None,
    status: int = 200,
) -> HttpResponse:
    assert space.town is not None
    context = _day_context(request, space, params, card_error=card_error)
    return _render(request, space.town, "orders/merchant/day.html", context, status=status)


@require_GET
@space_view(single_town=True, permission=MERCHANT_AREA)
def order_day(request: SignedInHtmxRequest, space: Space) -> HttpResponse:
    return _day_page(request, space, request.GET)


def _sections(
    request: SignedInHtmxRequest,
    space: Space,
    params: QueryDict,
    *,
    saved: Saved | None = None,
    card_error: CardError | None = None,
    status: int = 200,
) -> HttpResponse:
    """The day's sections again, the order in its new section with its message (htmx swaps them all, so
    that a card moves where it now belongs and the counts follow)."""
    assert space.town is not None
    context = _day_context(request, space, params, saved=saved, card_error=card_error)
    return _render(request, space.town, "orders/merchant/_sections.html", context, status=status)


def _unavailable_lines(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.isdigit()]


@require_POST
@space_view(single_town=True, permission=MERCHANT_AREA)
def order_step(request: SignedInHtmxRequest, space: Space, reference: str) -> HttpResponse:
    """Move one order one step (accept, refuse or cancel with a reason, ready, dropped at the relay point,
    collected or not) and come back."""
    town = space.town
    assert town is not None
    actor = request.user
    card = selectors.merchant_order(actor, town, reference)
    if card is None:
        raise Http404  # another shop's order is not even said to exist
    to_status = request.POST.get("to_status", "")
    reason = request.POST.get("reason", "")
    if to_status not in MERCHANT_STEPS:
        message = _("Ce changement n'existe pas pour une commande.")
    else:
        try:
            order_transition(
                order=card.order,
                to_status=to_status,
                actor=actor,
                reason=reason,
                unavailable_lines=_unavailable_lines(request.POST.getlist("unavailable_lines")),
            )
        except ValidationError as error:
            message = " ".join(error.messages)
        except PermissionDenied:
            message = _("Vous ne pouvez pas faire ce changement pour cette commande.")
        else:
            step_words = (
                RELAY_READY
                if to_status == OrderStatus.READY and card.order.fulfilment == FulfilmentMethod.RELAY
                else MERCHANT_STEPS[OrderStatus(to_status)]
            )
            saved = str(step_words) % {"reference": card.order.reference}
            if request.htmx:
                return _sections(
                    request, space, request.POST, saved=Saved(reference=card.order.reference, message=saved)
                )
            messages.success(request, saved)
            scope = _scope(request, space, request.POST)
            day, _form = _day(town, request.POST)
            shown_day = None if day == town_today(town) else day
            return redirect(day_url(space, scope, shown_day, anchor=f"commande-{card.order.reference}"))
    card_error = CardError(reference=reference, to_status=to_status, reason=reason[:2000], message=message)
    if request.htmx:
        return _sections(request, space, request.POST, card_error=card_error, status=422)
    messages.error(
        request, _("Commande %(reference)s : %(message)s") % {"reference": reference, "message": message}
    )
    return _day_page(request, space, request.POST, card_error=card_error, status=422)


@require_GET
@space_view(single_town=True, permission=MERCHANT_AREA)
def preparation(request: SignedInHtmxRequest, space: Space) -> HttpResponse:
    """What to prepare: each order to pick, then the total of each article, ready to print."""
    town = space.town
    assert town is not None
    scope = _scope(request, space, request.GET)
    day, day_form = _day(town, request.GET)
    today = town_today(town)
    context = {
        "day": day,
        "is_today": day == today,
        "day_form": day_form,
        "scope": scope,
        "back_url": day_url(space, scope, None if day == today else day),
        "preparations": selectors.preparation_list(town, scope.shops, day=day, today=today),
    }
    return _render(request, town, "orders/merchant/preparation.html", context)


def _export_page(
    request: SignedInHtmxRequest, space: Space, scope: Scope, form: ExportForm, status: int = 200
) -> HttpResponse:
    assert space.town is not None
    context = {"form": form, "scope": scope, "back_url": day_url(space, scope, None)}
    return _render(request, space.town, "orders/merchant/export.html", context, status=status)


@require_GET
@space_view(single_town=True, permission=MERCHANT_AREA)
def export_form(request: SignedInHtmxRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    scope = _scope(request, space, request.GET)
    today = town_today(space.town)
    return _export_page(request, space, scope, ExportForm(initial={"du": today.replace(day=1), "au": today}))


CSV_HEADERS = (
    gettext_lazy("Référence"),
    gettext_lazy("Référence du panier"),
    gettext_lazy("Commerce"),
    gettext_lazy("Passée le"),
    gettext_lazy("Statut"),
    gettext_lazy("Client"),
    gettext_lazy("Contact"),
    gettext_lazy("Retrait ou livraison"),
    gettext_lazy("Créneau"),
    gettext_lazy("Lieu de retrait ou adresse"),
    gettext_lazy("Paiement"),
    gettext_lazy("Article"),
    gettext_lazy("Quantité"),
    gettext_lazy("Prix unitaire (€)"),
    gettext_lazy("Montant de la ligne (€)"),
    gettext_lazy("Frais de livraison payés par le client (€)"),
    gettext_lazy("Total de la commande (€)"),
    gettext_lazy("Payé par bon d'achat (€)"),
    gettext_lazy("Reste à payer (€)"),
)


def _place(order: Order) -> str:
    if order.relay_point is not None:
        return f"{order.relay_point.name}, {order.relay_point.street_address}"
    if order.locker is not None:
        return f"{order.locker.name}, {order.locker.street_address}"
    if order.delivery_address:
        return order.delivery_place
    return ""


def _csv_row(line: OrderLine, tz: ZoneInfo) -> list[str]:
    order = line.order
    slot = (
        order.pickup_slot_start.astimezone(tz).strftime("%d/%m/%Y %H:%M") if order.pickup_slot_start else ""
    )
    return [
        order.reference,
        order.basket_reference,
        spreadsheet_text(order.shop.name),
        order.created_at.astimezone(tz).strftime("%d/%m/%Y %H:%M"),
        str(order.get_status_display()),
        spreadsheet_text(order.customer_name),
        spreadsheet_text(order.customer_contact),
        str(order.get_fulfilment_display()),
        slot,
        spreadsheet_text(_place(order)),
        str(order.get_payment_state_display()),
        spreadsheet_text(line.title),
        str(line.quantity),
        spreadsheet_amount(line.unit_price),
        spreadsheet_amount(line.unit_price * line.quantity),
        spreadsheet_amount(order.customer_pays_delivery),
        spreadsheet_amount(order.total),
        spreadsheet_amount(order.voucher_paid),
        spreadsheet_amount(order.to_pay),
    ]


@require_GET
@space_view(single_town=True, permission=MERCHANT_AREA)
def export_csv(request: SignedInHtmxRequest, space: Space) -> HttpResponse:
    """One row per order line, for a spreadsheet in French: `;` between cells, decimal comma, UTF-8 BOM."""
    town = space.town
    assert town is not None
    scope = _scope(request, space, request.GET)
    form = ExportForm(request.GET)
    if not form.is_valid():
        return _export_page(request, space, scope, form, status=400)
    first, last = form.cleaned_data["du"], form.cleaned_data["au"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = scope.chosen.slug if scope.chosen else space.slug
    response["Content-Disposition"] = f'attachment; filename="commandes-{name}-{first}-{last}.csv"'
    writer = spreadsheet_writer(response)
    writer.writerow([str(header) for header in CSV_HEADERS])
    tz = ZoneInfo(town.timezone)
    for line in selectors.export_lines(town, scope.shops, first_day=first, last_day=last).iterator(
        chunk_size=2000
    ):
        writer.writerow(_csv_row(line, tz))
    return response
