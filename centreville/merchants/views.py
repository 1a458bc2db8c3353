"""Merchant back-office: the home page, a shop's details, its workflow and its exceptional closures."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from centreville.accounts.models import User
from centreville.core.forms import add_service_error
from centreville.core.http import HtmxHttpRequest
from centreville.shops import selectors as shop_selectors
from centreville.shops import services as shop_services
from centreville.shops.access import managed_shop
from centreville.shops.models import Shop, ShopClosure, ShopStatus
from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from . import selectors
from .access import count_update
from .forms import OPENING_HOURS_EXAMPLES, ClosureForm, ShopForm

# Anyone signed in reaches the merchant area (to create a shop); each shop's pages check that shop.
SIGNED_IN = "shops.add_shop"


def home_url(space: Space, shop: Shop | None = None) -> str:
    url = reverse("merchants:home", args=[space.slug])
    return f"{url}#commerce-{shop.pk}" if shop is not None else url


@require_GET
@space_view(single_town=True, permission=SIGNED_IN)
def merchant_home(request: HtmxHttpRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    overviews = selectors.merchant_home(request.user, space.town, today=timezone.localdate())
    return render(request, "merchants/home.html", {"overviews": overviews})


def _shop_form_page(request: HtmxHttpRequest, form: ShopForm, shop: Shop | None) -> HttpResponse:
    context = {"form": form, "shop": shop, "opening_hours_examples": OPENING_HOURS_EXAMPLES}
    return render(request, "merchants/shop_form.html", context)


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=SIGNED_IN)
def shop_create(request: HtmxHttpRequest, space: Space) -> HttpResponse:
    town = space.town
    assert town is not None
    postcode = town.postcodes[0] if town.postcodes else ""
    form = ShopForm(request.POST or None, instance=Shop(town=town, city=town.name, postcode=postcode))
    if request.method == "POST" and form.is_valid():
        creator: User = request.user  # type: ignore[assignment]
        try:
            shop = shop_services.shop_create(town=town, creator=creator, **form.shop_fields())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            count_update(shop)
            messages.success(
                request,
                _(
                    "« %(name)s » est créé, en brouillon. Ajoutez vos produits et vos photos, puis "
                    "envoyez la fiche pour validation."
                )
                % {"name": shop.name},
            )
            return redirect(home_url(space, shop))
    return _shop_form_page(request, form, None)


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=SIGNED_IN, shop_permission="shops.change_shop")
def shop_edit(request: HtmxHttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    shop = managed_shop(request, space, shop_slug)
    form = ShopForm(request.POST or None, instance=shop)
    if request.method == "POST" and form.is_valid():
        # A fresh copy: the form has already written the new values on its instance.
        fresh = Shop.objects.select_related("town").get(pk=shop.pk)
        try:
            shop_services.shop_update(shop=fresh, **form.shop_fields())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            count_update(fresh)
            messages.success(
                request, _("Les informations de « %(name)s » sont enregistrées.") % {"name": fresh.name}
            )
            return redirect(home_url(space, fresh))
    if form.is_bound:
        shop.refresh_from_db()  # the page shows the saved name, not a refused one
    return _shop_form_page(request, form, shop)


TRANSITION_MESSAGES = {
    ShopStatus.SUBMITTED: gettext_lazy(
        "« %(name)s » est envoyé pour validation : le manager de commerce va le relire."
    ),
    ShopStatus.HIDDEN: gettext_lazy("« %(name)s » est masqué : il n'apparaît plus sur la plateforme."),
    ShopStatus.PUBLISHED: gettext_lazy("« %(name)s » est de nouveau visible sur la plateforme."),
}


@require_POST
@space_view(single_town=True, permission=SIGNED_IN, shop_permission="shops.change_shop")
def shop_transition(request: HtmxHttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    shop = managed_shop(request, space, shop_slug)
    to_status = request.POST.get("to_status", "")
    if to_status not in selectors.MERCHANT_MOVES:
        messages.error(request, _("Changement de statut inconnu."))
        return redirect(home_url(space, shop))
    actor: User = request.user  # type: ignore[assignment]
    if (
        to_status == ShopStatus.HIDDEN
        and request.POST.get("confirmed") != "1"
        and to_status in selectors.merchant_moves(actor, shop)
    ):
        # Hiding takes the whole shop off the platform: one tap asks, a second one does it.
        return render(request, "merchants/shop_hide_confirm.html", {"shop": shop})
    try:
        shop_services.shop_transition(shop=shop, to_status=to_status, actor=actor)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        count_update(shop)
        messages.success(request, str(TRANSITION_MESSAGES[ShopStatus(to_status)]) % {"name": shop.name})
    return redirect(home_url(space, shop))


def _closures_page(request: HtmxHttpRequest, shop: Shop, form: ClosureForm) -> HttpResponse:
    closures = selectors.upcoming_closures(shop, today=timezone.localdate())
    return render(request, "merchants/closures.html", {"shop": shop, "form": form, "closures": closures})


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=SIGNED_IN, shop_permission="shops.change_shop")
def shop_closures(request: HtmxHttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    shop = managed_shop(request, space, shop_slug)
    form = ClosureForm(request.POST or None, instance=ShopClosure(shop=shop))
    if request.method == "POST" and form.is_valid():
        try:
            closure = shop_services.shop_closure_add(
                shop=shop,
                start_date=form.cleaned_data["start_date"],
                end_date=form.cleaned_data["end_date"],
                label=form.cleaned_data["label"],
                takes_orders=form.cleaned_data["takes_orders"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            count_update(shop)
            messages.success(
                request,
                _("Fermeture du %(start)s au %(end)s enregistrée.")
                % {
                    "start": date_format(closure.start_date, "SHORT_DATE_FORMAT"),
                    "end": date_format(closure.end_date, "SHORT_DATE_FORMAT"),
                },
            )
            return redirect("merchants:shop_closures", town_slug=space.slug, shop_slug=shop.slug)
    return _closures_page(request, shop, form)


@require_POST
@space_view(single_town=True, permission=SIGNED_IN, shop_permission="shops.change_shop")
def shop_closure_remove(
    request: HtmxHttpRequest, space: Space, shop_slug: str, closure_id: int
) -> HttpResponse:
    shop = managed_shop(request, space, shop_slug)
    closure = shop_selectors.shop_closure(shop, closure_id)
    if closure is None:
        raise Http404
    shop_services.shop_closure_remove(closure=closure)
    count_update(shop)
    messages.success(request, _("La fermeture exceptionnelle est retirée."))
    return redirect("merchants:shop_closures", town_slug=space.slug, shop_slug=shop.slug)
