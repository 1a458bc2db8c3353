"""The customer's order pages: checkout of the town basket, the private tracking link, their orders."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from centreville.accounts.http import SignedInRequest
from centreville.baskets.models import Basket
from centreville.baskets.selectors import ShopGroup, basket_summary
from centreville.baskets.services import basket_for
from centreville.baskets.views import remember_tracking
from centreville.core.access import public, secret_link, signed_in
from centreville.core.links import absolute_url
from centreville.fulfilment import selectors as fulfilment_selectors
from centreville.fulfilment.models import DeliveryZone, FulfilmentMethod
from centreville.fulfilment.services import delivery_quote
from centreville.payments.services import MINIMUM_ONLINE_AMOUNT
from centreville.towns.decorators import space_view
from centreville.towns.models import Town
from centreville.towns.spaces import Space

from . import selectors
from .checkout import TOKEN_PLACEHOLDER, CheckoutResult, CheckoutReview, checkout, checkout_review
from .checkout_refusals import CheckoutRefused, VoucherNotAccepted
from .contact import contact_preference
from .forms_customer import CustomerForm, ShopWayForm
from .models import OrderStatus
from .selectors import CheckoutOptions, phone_shown
from .services import order_transition


@dataclass(frozen=True)
class ZoneFee:
    """What delivering one shop's order to a zone costs, and the town's part."""

    zone: DeliveryZone
    fee: Decimal
    subsidy: Decimal

    @property
    def customer_pays(self) -> Decimal:
        return self.fee - self.subsidy


@dataclass(frozen=True)
class ShopSection:
    """One shop of the checkout page: its articles and the form saying how its order reaches the customer."""

    group: ShopGroup
    form: ShopWayForm
    delivery_fees: list[ZoneFee]


def _delivery_fees(town: Town, zones: list[DeliveryZone], items_total: Decimal) -> list[ZoneFee]:
    """The fee and the town's part for each zone known by postcode, for an order of `items_total`."""
    fees = []
    for zone in zones:
        if not zone.postcodes:
            continue  # priced by distance: known only once the address is placed
        try:
            quote = delivery_quote(town=town, postcode=zone.postcodes[0], items_total=items_total)
        except ValidationError:
            continue
        fees.append(ZoneFee(zone=zone, fee=quote.fee, subsidy=quote.subsidy))
    return fees


def _sections(request: HttpRequest, town: Town, options: CheckoutOptions) -> list[ShopSection]:
    data = request.POST if request.method == "POST" else None
    sections = []
    for shop in options.shops:
        form = ShopWayForm(
            data,
            shop=shop.group.shop,
            methods=shop.methods,
            slots=shop.pickup_slots,
            relay_points=options.relay_points,
            lockers=options.lockers,
            windows=shop.delivery_windows,
        )
        fees = (
            _delivery_fees(town, options.delivery_zones, shop.group.items_total)
            if FulfilmentMethod.DELIVERY in shop.methods
            else []
        )
        sections.append(ShopSection(group=shop.group, form=form, delivery_fees=fees))
    return sections


def _customer_initial(request: HttpRequest) -> dict[str, str]:
    user = request.user
    if not user.is_authenticated:
        return {}
    preference = contact_preference(user)
    return {
        "customer_name": user.get_full_name(),
        "customer_email": user.email,
        "customer_phone": phone_shown(preference.phone) if preference and preference.phone else "",
        "notify_by": preference.notify_by if preference else "",
    }


@require_http_methods(["GET", "POST"])
@never_cache
@space_view(single_town=True)
@public
def checkout_page(request: HttpRequest, space: Space) -> HttpResponse:
    town = space.town
    assert town is not None
    basket_url = reverse("baskets:detail", args=[space.slug])
    basket = basket_for(request=request, town=town)
    now = timezone.now()
    summary = basket_summary(basket, at=now)
    if summary.is_empty:
        messages.info(request, _("Votre panier est vide : ajoutez des articles avant de commander."))
        return redirect(basket_url)
    if summary.has_problems and request.method == "GET":  # a POST lets checkout name what is wrong
        messages.error(
            request, _("Certains articles ne peuvent pas être commandés tels quels : modifiez votre panier.")
        )
        return redirect(basket_url)
    assert basket is not None
    options = selectors.checkout_options(town, summary, now=now)
    online_available = options.online_payment
    customer_form = CustomerForm(
        request.POST if request.method == "POST" else None,
        initial=_customer_initial(request),
        online_available=online_available,
    )
    sections = _sections(request, town, options)
    step = request.POST.get("etape", "verifier") if request.method == "POST" else ""
    if step in ("verifier", "confirmer"):
        # Every form is checked, so that all the errors show at once.
        sections_valid = [section.form.is_valid() for section in sections]
        if customer_form.is_valid() and all(sections_valid):
            result = _run_checkout(request, space, basket, customer_form, sections, review=step == "verifier")
            if isinstance(result, CheckoutResult):
                return _placed(request, space, result)
            if isinstance(result, CheckoutReview):
                context = {
                    "review": result,
                    "minimum_online": MINIMUM_ONLINE_AMOUNT,
                    "customer_form": customer_form,
                    "contact_phone": phone_shown(customer_form.contact.phone),
                    "posted": _posted(request),
                }
                with timezone.override(ZoneInfo(town.timezone)):  # slots as the town lives them
                    return render(request, "orders/customer/checkout_review.html", context)
    has_errors = step in ("verifier", "confirmer") and (
        bool(customer_form.errors) or any(section.form.errors for section in sections)
    )
    context = {
        "summary": summary,
        "customer_form": customer_form,
        "sections": sections,
        "town_rules": fulfilment_selectors.town_fulfilment(town),
        "online_available": online_available,
        "has_errors": has_errors,
    }
    return render(request, "orders/customer/checkout.html", context, status=422 if has_errors else 200)


def _posted(request: HttpRequest) -> list[tuple[str, str]]:
    """What the customer typed, for the review page to send again when they confirm or go back."""
    return [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "etape")
        for value in values
    ]


def _run_checkout(
    request: HttpRequest,
    space: Space,
    basket: Basket,
    customer_form: CustomerForm,
    sections: list[ShopSection],
    *,
    review: bool,
) -> CheckoutResult | CheckoutReview | None:
    """The checkout of the valid forms (or its review), or None with the refusal put on the form of the
    shop it is about."""
    tracking_url = absolute_url(reverse("orders_customer:track", args=[space.slug, TOKEN_PLACEHOLDER]))
    arguments: dict[str, Any] = {
        "basket": basket,
        "customer": request.user if request.user.is_authenticated else None,
        "customer_name": customer_form.cleaned_data["customer_name"],
        "customer_contact": customer_form.contact.preferred,
        "contact": customer_form.contact,
        "choices": {section.group.shop.pk: section.form.choice() for section in sections},
        "pay_online": customer_form.pay_online,
        "now": timezone.now(),
        "voucher_code": customer_form.cleaned_data.get("voucher_code", ""),
    }
    try:
        if review:
            return checkout_review(**arguments)
        return checkout(
            **arguments,
            return_url=tracking_url + "?paiement=ok",
            cancel_url=tracking_url + "?paiement=abandonne",
        )
    except VoucherNotAccepted as refusal:
        customer_form.add_error("voucher_code", refusal)
    except CheckoutRefused as refusal:
        section = next((s for s in sections if s.group.shop.pk == refusal.shop_id), None)
        (section.form if section is not None else customer_form).add_error(None, refusal)
    return None


def _placed(request: HttpRequest, space: Space, result: CheckoutResult) -> HttpResponse:
    """Where the customer goes once the orders are placed: to pay, or to their tracking page."""
    assert space.town is not None
    remember_tracking(request, space.town.pk, result.tracking_token)
    if result.payment_url:
        return redirect(result.payment_url)
    messages.success(
        request,
        _(
            "Merci ! Votre commande est envoyée aux commerçants. Gardez cette page : "
            "son adresse vous permet de suivre votre commande."
        ),
    )
    return redirect("orders_customer:track", space.slug, result.tracking_token)


def _private(response: HttpResponse) -> HttpResponse:
    # The address carries the private link: no search engine may index it; other sites never see it in
    # a Referer, since the site's referrer policy is "same-origin".
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _tracked_or_404(space: Space, token: str) -> selectors.TrackedBasket:
    """The orders of the basket whose private tracking link carries `token`; 404 for an unknown token."""
    assert space.town is not None
    tracked = selectors.tracked_basket(space.town, token, at=timezone.now())
    if tracked is None:
        raise Http404
    return tracked


@require_safe
@never_cache
@space_view(single_town=True)
@secret_link
def track(request: HttpRequest, space: Space, token: str) -> HttpResponse:
    tracked = _tracked_or_404(space, token)
    assert space.town is not None
    with timezone.override(ZoneInfo(space.town.timezone)):  # dates and slots as the town lives them
        return _private(render(request, "orders/customer/track.html", {"tracked": tracked}))


@require_POST
@never_cache
@space_view(single_town=True)
@secret_link
def cancel(request: HttpRequest, space: Space, token: str) -> HttpResponse:
    tracked = _tracked_or_404(space, token)
    order = tracked.order(request.POST.get("order", ""))
    if order is None:
        raise Http404
    try:
        order_transition(
            order=order,
            to_status=OrderStatus.CANCELLED,
            actor=request.user if request.user.is_authenticated else None,
            as_customer=True,
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(
            request,
            _("La commande %(reference)s chez %(shop)s est annulée.")
            % {"reference": order.reference, "shop": order.shop.name},
        )
    return _private(redirect("orders_customer:track", space.slug, token))


@require_safe
@never_cache
@signed_in
@space_view(single_town=True)
def my_orders(request: SignedInRequest, space: Space) -> HttpResponse:
    assert space.town is not None
    baskets = selectors.customer_baskets(space.town, request.user)
    with timezone.override(ZoneInfo(space.town.timezone)):
        return render(request, "orders/customer/my_orders.html", {"baskets": baskets})
