"""The shop's payment account: connected through the provider's hosted onboarding, and its state."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from centreville.core.http import HtmxHttpRequest
from centreville.core.links import absolute_url
from centreville.fulfilment.selectors import town_offers_online_payment
from centreville.payments.onboarding import (
    AccountState,
    account_state,
    payment_account_onboarding_start,
    payment_account_refresh,
    shop_payment_account,
)
from centreville.shops.access import managed_shop
from centreville.shops.models import Shop
from centreville.towns.decorators import space_view
from centreville.towns.spaces import Space

SIGNED_IN = "shops.add_shop"
CHANGE_SHOP = "shops.change_shop"

STATE_MESSAGES: dict[str, object] = {
    AccountState.ENABLED: gettext_lazy("Votre compte est prêt : vos clients peuvent payer en ligne."),
    AccountState.PENDING_VERIFICATION: gettext_lazy(
        "Merci ! Le prestataire vérifie vos informations ; cette page se mettra à jour toute seule."
    ),
    AccountState.INFORMATION_NEEDED: gettext_lazy(
        "Il manque encore des informations : reprenez quand vous voulez, rien n'est perdu."
    ),
}


def _page_url(space: Space, shop: Shop) -> str:
    return reverse("merchants:shop_payment", args=[space.slug, shop.slug])


def _onboarding(space: Space, shop: Shop) -> str:
    """The provider's onboarding page; it sends the merchant back here, or asks for a fresh link."""
    return payment_account_onboarding_start(
        shop=shop,
        return_url=absolute_url(reverse("merchants:shop_payment_return", args=[space.slug, shop.slug])),
        refresh_url=absolute_url(reverse("merchants:shop_payment_resume", args=[space.slug, shop.slug])),
    )


@require_GET
@space_view(single_town=True, permission=SIGNED_IN, shop_permission=CHANGE_SHOP)
def shop_payment(request: HtmxHttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    shop = managed_shop(request, space, shop_slug)
    account = shop_payment_account(shop)
    context = {
        "shop": shop,
        "account": account,
        "state": account_state(account),
        "town_offers_online": town_offers_online_payment(shop.town),
    }
    return render(request, "merchants/payment.html", context)


def _redirect_to_onboarding(request: HtmxHttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    """To the provider's onboarding with a fresh link, or back to the payment page saying why not."""
    shop = managed_shop(request, space, shop_slug)
    try:
        return redirect(_onboarding(space, shop))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_page_url(space, shop))


@require_POST
@space_view(single_town=True, permission=SIGNED_IN, shop_permission=CHANGE_SHOP)
def shop_payment_start(request: HtmxHttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    return _redirect_to_onboarding(request, space, shop_slug)


@require_GET
@space_view(single_town=True, permission=SIGNED_IN, shop_permission=CHANGE_SHOP)
def shop_payment_return(request: HtmxHttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    """Back from the provider's onboarding: what it says of the account now."""
    shop = managed_shop(request, space, shop_slug)
    state = account_state(payment_account_refresh(shop=shop))
    if state in STATE_MESSAGES:
        (messages.success if state == AccountState.ENABLED else messages.info)(
            request, str(STATE_MESSAGES[state])
        )
    return redirect(_page_url(space, shop))


@require_GET
@space_view(single_town=True, permission=SIGNED_IN, shop_permission=CHANGE_SHOP)
def shop_payment_resume(request: HtmxHttpRequest, space: Space, shop_slug: str) -> HttpResponse:
    """The onboarding link expired (or was opened twice): a fresh one, straight away."""
    return _redirect_to_onboarding(request, space, shop_slug)
