"""The merchant's offers: the state of each (current and past apart, the reason of a refusal), adding one in
a minute from a phone, changing or deleting it. Plain forms: everything works without JavaScript."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from centreville.accounts.models import User
from centreville.core.forms import add_service_error
from centreville.shops.access import managed_shop
from centreville.shops.models import Shop
from centreville.shops.predicates import shop_ids_of
from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from . import services
from .forms_image import save_image
from .forms_offers import OfferForm
from .models import Event, Publication

PROPOSE = "agenda.propose_offers"
PROPOSE_FOR_SHOP = "agenda.propose_offer"


def _town(space: Space) -> Town:
    assert space.town is not None
    return space.town


def _reviewer(request: HttpRequest, town: Town) -> bool:
    return request.user.has_perm("agenda.moderate", town)


def _offer_or_404(shop: Shop, event_id: int) -> Event:
    offer = Event.objects.filter(shop=shop, pk=event_id).select_related("parent", "photo").first()
    if offer is None:
        raise Http404
    return offer


@require_safe
@space_view(single_town=True, permission=PROPOSE)
def offers(request: HttpRequest, space: Space) -> HttpResponse:
    town, now = _town(space), timezone.now()
    shops = list(Shop.objects.for_town(town).filter(pk__in=shop_ids_of(request.user)).order_by("name"))
    rows = (
        Event.objects.for_town(town)
        .filter(shop__in=shops)
        .select_related("shop", "parent")
        .order_by("starts_at", "pk")
    )
    current = rows.filter(Q(last_ends_at__isnull=True) | Q(last_ends_at__gt=now))
    past = rows.filter(last_ends_at__lte=now).order_by("-starts_at", "-pk")[:30]
    context = {
        "shops": shops,
        "current": list(current),
        "past": list(past),
        "publication": Publication,
        "settings": services.agenda_settings(town),
    }
    return render(request, "agenda/merchant/offers.html", context)


def _saved_message(request: HttpRequest, offer: Event) -> None:
    if offer.publication == Publication.PENDING:
        messages.success(
            request,
            _("« %(title)s » est enregistrée : elle paraîtra dans l'agenda dès que la ville l'aura validée.")
            % {"title": offer.title},
        )
    else:
        messages.success(request, _("« %(title)s » est dans l'agenda.") % {"title": offer.title})


def _form(request: HttpRequest, town: Town, now: datetime, **kwargs: Any) -> OfferForm:
    return OfferForm(
        request.POST or None,
        request.FILES or None,
        tz=ZoneInfo(town.timezone),
        parents=services.current_parents(town, at=now),
        **kwargs,
    )


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=PROPOSE, shop_permission=PROPOSE_FOR_SHOP)
def offer_create(request: HttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    town, now = _town(space), timezone.now()
    shop = managed_shop(request, space, shop_slug)
    today = now.astimezone(ZoneInfo(town.timezone)).date()
    form = _form(request, town, now, initial=OfferForm.defaults(today=today))
    if request.method == "POST" and form.is_valid():
        user: User = request.user  # type: ignore[assignment]
        try:
            offer = services.offer_create(
                shop=shop, data=form.event_data(), actor=user, reviewer=_reviewer(request, town), at=now
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if save_image(form, offer):
                _saved_message(request, offer)
                return redirect("agenda_merchant:offers", town_slug=space.slug)
            messages.error(request, _("L'offre est enregistrée, mais pas son image : voyez ci-dessous."))
            return redirect(
                "agenda_merchant:offer_edit", town_slug=space.slug, shop_slug=shop.slug, event_id=offer.pk
            )
    status = 422 if request.method == "POST" else 200
    return render(
        request, "agenda/merchant/offer_form.html", {"form": form, "shop": shop, "offer": None}, status=status
    )


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=PROPOSE, shop_permission=PROPOSE_FOR_SHOP)
def offer_edit(request: HttpRequest, space: Space, shop_slug: str, event_id: int) -> HttpResponse:
    town, now = _town(space), timezone.now()
    shop = managed_shop(request, space, shop_slug)
    offer = _offer_or_404(shop, event_id)
    form = _form(request, town, now, initial=OfferForm.initial_from(offer, ZoneInfo(town.timezone)))
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.event_update(
                event=offer,
                data=form.event_data(),
                actor=request.user,  # type: ignore[arg-type]
                reviewer=_reviewer(request, town),
                at=now,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if save_image(form, offer):
                _saved_message(request, offer)
                return redirect("agenda_merchant:offers", town_slug=space.slug)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "agenda/merchant/offer_form.html",
        {"form": form, "shop": shop, "offer": offer},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=PROPOSE, shop_permission=PROPOSE_FOR_SHOP)
def offer_delete(request: HttpRequest, space: Space, shop_slug: str, event_id: int) -> HttpResponse:
    shop = managed_shop(request, space, shop_slug)
    offer = _offer_or_404(shop, event_id)
    if request.method == "POST":
        services.event_delete(event=offer)
        messages.success(request, _("« %(title)s » est supprimée.") % {"title": offer.title})
        return redirect("agenda_merchant:offers", town_slug=space.slug)
    return render(request, "agenda/merchant/offer_delete.html", {"offer": offer, "shop": shop})
