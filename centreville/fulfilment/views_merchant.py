"""The merchant's fulfilment page: which of the town's ways the shop offers, and its pickup slots."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from centreville.core.forms import add_service_error
from centreville.shops.access import managed_shop
from centreville.shops.hours import readable
from centreville.shops.models import Shop
from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

from . import selectors, services
from .forms import ShopFulfilmentForm
from .models import FulfilmentMethod

# Anyone signed in reaches the merchant area; the shop's page then checks that they run it.
SIGNED_IN = "shops.add_shop"
PREVIEW_DAYS = 3


@require_http_methods(["GET", "POST"])
@space_view(single_town=True, permission=SIGNED_IN, shop_permission="shops.change_shop")
def shop_settings(request: HttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    shop = managed_shop(request, space, shop_slug)
    town_rules = selectors.town_fulfilment(shop.town)
    form = ShopFulfilmentForm(
        request.POST or None, instance=selectors.shop_fulfilment(shop), town_rules=town_rules
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.shop_fulfilment_update(shop=Shop.objects.get(pk=shop.pk), **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Les réglages de retrait et de livraison sont enregistrés."))
            return redirect("fulfilment_merchant:shop_settings", town_slug=space.slug, shop_slug=shop.slug)
    preview = selectors.slots_by_day(
        selectors.pickup_slots(shop, now=timezone.now(), open_days=PREVIEW_DAYS), shop.town.timezone
    )
    offered = selectors.fulfilment_methods(shop)
    saved = selectors.shop_fulfilment(shop)
    context = {
        "shop": shop,
        "form": form,
        "town_rules": town_rules,
        "offered": [FulfilmentMethod(method).label for method in offered],
        "preview": preview,
        "hours_missing": readable(shop.opening_hours, shop.town.timezone) is None,
        "needs_click_collect": town_rules.pickup_enabled
        and saved.pickup_enabled
        and not shop.offers_click_collect,
        "needs_delivery": town_rules.delivery_enabled and saved.delivery_enabled and not shop.offers_delivery,
        "town_timezone": shop.town.timezone,
    }
    return render(request, "fulfilment/merchant/shop_settings.html", context)
