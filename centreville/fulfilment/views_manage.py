"""The town team's fulfilment pages: ways offered, fees and subsidy, relay points, lockers, delivery zones,
and the monthly subsidy report."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from centreville.merchants.access import add_service_error
from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from . import selectors, services
from .forms import DeliveryZoneForm, LockerForm, RelayPointForm, TownFulfilmentForm

MANAGE = "towns.change_town"
MONTH = re.compile(r"(\d{4})-(\d{2})")
MONTHS_OFFERED = 24


def _town(space: Space) -> Town:
    assert space.town is not None
    return space.town


def _recent_months(today: date, count: int = MONTHS_OFFERED) -> list[tuple[str, str]]:
    """(value, label) of this month and the ones before, newest first: « 2026-11 », « novembre 2026 »."""
    months = []
    year, month = today.year, today.month
    for _n in range(count):
        months.append((f"{year}-{month:02d}", formats.date_format(date(year, month, 1), "F Y")))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def _read_month(text: str, today: date) -> tuple[int, int] | None:
    if not text:
        return today.year, today.month
    found = MONTH.fullmatch(text.strip())
    if found is None:
        return None
    year, month = int(found[1]), int(found[2])
    if not (1 <= month <= 12 and 2000 <= year <= today.year + 1):
        return None
    return year, month


# --- Ways, fees, subsidy and order delays -----------------------------------------------------------


def _settings_initial(town: Town) -> dict[str, Any]:
    rules = selectors.town_fulfilment(town)
    order_settings = selectors.town_order_settings(town)
    initial = {name: getattr(rules, name) for name in services.TOWN_FULFILMENT_FIELDS}
    initial.update({name: getattr(order_settings, name) for name in services.ORDER_SETTINGS_FIELDS})
    return initial


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=MANAGE)
def town_settings(request: HttpRequest, space: Space) -> HttpResponse:
    town = _town(space)
    form = TownFulfilmentForm(request.POST or None, initial=_settings_initial(town))
    if request.method == "POST" and form.is_valid():
        try:
            services.town_fulfilment_update(town=Town.objects.get(pk=town.pk), **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Les réglages du retrait et de la livraison sont enregistrés."))
            return redirect("fulfilment_manage:settings", town_slug=space.slug)
    today = timezone.localdate()
    this_month = selectors.subsidy_report_rows(town=town, year=today.year, month=today.month)
    context = {
        "form": form,
        "months": _recent_months(today),
        "this_month": selectors.subsidy_totals(this_month),
        "relay_count": selectors.relay_points(town).count(),
        "locker_count": selectors.lockers(town).count(),
        "zone_count": selectors.delivery_zones(town).count(),
    }
    return render(request, "fulfilment/manage/settings.html", context)


@require_safe
@space_view(single_town=True, permission=MANAGE)
def subsidy_csv(request: HttpRequest, space: Space) -> HttpResponse:
    town = _town(space)
    month = _read_month(request.GET.get("mois", ""), timezone.localdate())
    if month is None:
        messages.error(request, _("Mois illisible : choisissez un mois dans la liste."))
        return redirect("fulfilment_manage:settings", town_slug=space.slug)
    year, number = month
    content = selectors.subsidy_report_csv(town=town, year=year, month=number)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    filename = f"aide-livraison-{town.slug}-{year}-{number:02d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Relay points, lockers and delivery zones: one set of pages each --------------------------------


@dataclass(frozen=True)
class _Kind:
    """What differs between the lists of relay points, lockers and delivery zones."""

    name: str  # prefix of the URL names
    form: type[forms.ModelForm]
    listing: Callable[[Town], QuerySet[Any]]
    create: Callable[..., Model]
    update: Callable[..., Model]
    update_arg: str
    title: Promise
    intro: Promise
    add_label: Promise
    new_title: Promise
    edit_title: Promise
    empty: Promise

    # URL names, for the templates' {% url %}.
    @property
    def list_url(self) -> str:
        return f"fulfilment_manage:{self.name}_list"

    @property
    def create_url(self) -> str:
        return f"fulfilment_manage:{self.name}_create"

    @property
    def edit_url(self) -> str:
        return f"fulfilment_manage:{self.name}_edit"

    @property
    def active_url(self) -> str:
        return f"fulfilment_manage:{self.name}_active"


RELAY = _Kind(
    name="relay_point",
    form=RelayPointForm,
    listing=selectors.relay_points_for_manager,
    create=services.relay_point_create,
    update=services.relay_point_update,
    update_arg="relay_point",
    title=gettext_lazy("Points relais"),
    intro=gettext_lazy(
        "Des commerces de confiance (la maison de la presse, par exemple) remettent aux clients les "
        "commandes des autres commerces."
    ),
    add_label=gettext_lazy("Ajouter un point relais"),
    new_title=gettext_lazy("Nouveau point relais"),
    edit_title=gettext_lazy("Modifier le point relais"),
    empty=gettext_lazy("Aucun point relais pour le moment."),
)
LOCKER = _Kind(
    name="locker",
    form=LockerForm,
    listing=selectors.lockers_for_manager,
    create=services.locker_create,
    update=services.locker_update,
    update_arg="locker",
    title=gettext_lazy("Consignes"),
    intro=gettext_lazy(
        "Des casiers où le client retire sa commande avec le code reçu quand elle est prête, même "
        "quand les commerces sont fermés."
    ),
    add_label=gettext_lazy("Ajouter une consigne"),
    new_title=gettext_lazy("Nouvelle consigne"),
    edit_title=gettext_lazy("Modifier la consigne"),
    empty=gettext_lazy("Aucune consigne pour le moment."),
)
ZONE = _Kind(
    name="zone",
    form=DeliveryZoneForm,
    listing=selectors.delivery_zones_for_manager,
    create=services.delivery_zone_create,
    update=services.delivery_zone_update,
    update_arg="zone",
    title=gettext_lazy("Zones de livraison"),
    intro=gettext_lazy(
        "Où les commerces livrent : une liste de codes postaux, ou un rayon autour du centre-ville pour "
        "les clients qui indiquent leur position."
    ),
    add_label=gettext_lazy("Ajouter une zone de livraison"),
    new_title=gettext_lazy("Nouvelle zone de livraison"),
    edit_title=gettext_lazy("Modifier la zone de livraison"),
    empty=gettext_lazy("Aucune zone de livraison pour le moment."),
)


def _list_url(space: Space, kind: _Kind) -> str:
    return reverse(kind.list_url, args=[space.slug])


def _list_page(request: HttpRequest, space: Space, kind: _Kind) -> HttpResponse:
    context = {"kind": kind, "items": list(kind.listing(_town(space)))}
    return render(request, "fulfilment/manage/places.html", context)


def _form_page(request: HttpRequest, space: Space, kind: _Kind, pk: int | None) -> HttpResponse:
    town = _town(space)
    item = get_object_or_404(kind.listing(town), pk=pk) if pk is not None else None
    form = kind.form(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                saved = kind.create(town=town, **form.cleaned_data)
            else:
                fresh = kind.listing(town).get(pk=item.pk)
                saved = kind.update(**{kind.update_arg: fresh}, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Enregistré : « %(name)s ».") % {"name": saved})
            return redirect(_list_url(space, kind))
    context = {"kind": kind, "form": form, "item": item}
    return render(request, "fulfilment/manage/place_form.html", context)


def _set_active(request: HttpRequest, space: Space, kind: _Kind, pk: int) -> HttpResponse:
    item = get_object_or_404(kind.listing(_town(space)), pk=pk)
    is_active = request.POST.get("is_active") == "1"
    try:
        kind.update(**{kind.update_arg: item}, is_active=is_active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = _("De nouveau en service : « %(name)s ».") if is_active else _("Hors service : « %(name)s ».")
        messages.success(request, done % {"name": item})
    return redirect(_list_url(space, kind))


def _views(kind: _Kind) -> tuple[Callable[..., HttpResponse], ...]:
    @require_safe
    @space_view(single_town=True, permission=MANAGE)
    def listing(request: HttpRequest, space: Space) -> HttpResponse:
        return _list_page(request, space, kind)

    @require_http_methods(["GET", "POST"])
    @space_view(single_town=True, permission=MANAGE)
    def create(request: HttpRequest, space: Space) -> HttpResponse:
        return _form_page(request, space, kind, None)

    @require_http_methods(["GET", "POST"])
    @space_view(single_town=True, permission=MANAGE)
    def edit(request: HttpRequest, space: Space, pk: int) -> HttpResponse:
        return _form_page(request, space, kind, pk)

    @require_POST
    @space_view(single_town=True, permission=MANAGE)
    def set_active(request: HttpRequest, space: Space, pk: int) -> HttpResponse:
        return _set_active(request, space, kind, pk)

    return listing, create, edit, set_active


relay_point_list, relay_point_create, relay_point_edit, relay_point_active = _views(RELAY)
locker_list, locker_create, locker_edit, locker_active = _views(LOCKER)
zone_list, zone_create, zone_edit, zone_active = _views(ZONE)
