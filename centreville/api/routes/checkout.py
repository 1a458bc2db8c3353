"""Checkout of the town basket: one order per shop, as a guest or signed in, paid at pickup or online."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from centreville.baskets.selectors import BasketSummary, basket_summary
from centreville.baskets.services import basket_for
from centreville.core.links import absolute_url
from centreville.fulfilment.services import FulfilmentChoice
from centreville.orders.checkout import TOKEN_PLACEHOLDER, checkout, clean_contact, clean_customer_name
from centreville.orders.checkout_refusals import CheckoutRefused, VoucherNotAccepted
from centreville.payments import services as payments
from centreville.towns.models import Town

from ..auth import any_session
from ..errors import Conflict, failures
from ..schemas import CheckoutIn, CheckoutOut, OrderOut
from ..selectors import basket_orders, published_town

router = Router(tags=["Commande"], auth=any_session)


def tracking_url(town: Town, token: str) -> str:
    """The customer's private page for the checkout's orders (the web page, not this API)."""
    return absolute_url(reverse("orders_customer:track", args=[town.slug, token]))


def _input_errors(payload: CheckoutIn, town: Town, summary: BasketSummary) -> dict[str, list[str]]:
    """What the customer must fix before anything is attempted, field by field."""
    errors: dict[str, list[str]] = {}
    for field, clean, value in (
        ("name", clean_customer_name, payload.name),
        ("contact", clean_contact, payload.contact),
    ):
        try:
            clean(value)
        except ValidationError as error:
            errors[field] = error.messages
    names = {group.shop.pk: group.shop.name for group in summary.shops}
    for shop_id, name in names.items():
        if shop_id not in payload.choices:
            errors[f"choices.{shop_id}"] = [
                _("%(shop)s : choisissez comment récupérer cette commande.") % {"shop": name}
            ]
    for shop_id in payload.choices:
        if shop_id not in names:
            errors[f"choices.{shop_id}"] = [_("Ce commerce n'a pas d'article dans votre panier.")]
    shops = [group.shop for group in summary.shops]
    if payload.pay_online and not payments.online_payment_available(town, shops):
        errors["pay_online"] = [_("Le paiement en ligne n'est pas proposé ici : vous paierez au retrait.")]
    return errors


def _refusal(refusal: CheckoutRefused) -> Exception:
    """409 when things changed since the basket was filled, 400 when the customer's input is at fault;
    under the shop concerned, when there is one."""
    if refusal.conflict:
        shop = {f"shops.{refusal.shop_id}": refusal.messages} if refusal.shop_id is not None else {}
        return Conflict(refusal.messages[0], shop)
    if isinstance(refusal, VoucherNotAccepted):
        return ValidationError({"voucher_code": refusal.messages})
    if refusal.shop_id is not None:
        return ValidationError({f"choices.{refusal.shop_id}": refusal.messages})
    return ValidationError(refusal.messages)


@router.post(
    "/villes/{town}/commande",
    response={201: CheckoutOut, **failures(400, 403, 404, 409)},
    summary="Commander le panier",
    description="Une commande par commerce, sous une même référence de panier ; sans compte, le nom et un "
    "téléphone ou un e-mail suffisent. Tout ou rien : si un article n'est plus disponible ou un créneau "
    "vient d'être pris, rien n'est enregistré (409) et le panier reste tel quel.",
    operation_id="commander",
)
def place_orders(request: HttpRequest, town: str, payload: CheckoutIn) -> Status[CheckoutOut]:
    the_town = published_town(town)
    basket = basket_for(request=request, town=the_town)
    now = timezone.now()
    summary = basket_summary(basket, at=now)
    if basket is None or summary.is_empty:
        raise ValidationError(_("Votre panier est vide."))
    errors = _input_errors(payload, the_town, summary)
    if errors:
        raise ValidationError(errors)
    choices = {
        shop_id: FulfilmentChoice(**choice.model_dump()) for shop_id, choice in payload.choices.items()
    }
    try:
        result = checkout(
            basket=basket,
            customer=request.user if request.user.is_authenticated else None,
            customer_name=payload.name,
            customer_contact=payload.contact,
            choices=choices,
            pay_online=payload.pay_online,
            # After paying (or giving up) online, the customer lands on their tracking page.
            return_url=tracking_url(the_town, TOKEN_PLACEHOLDER) + "?paiement=ok",
            cancel_url=tracking_url(the_town, TOKEN_PLACEHOLDER) + "?paiement=abandonne",
            now=now,
            voucher_code=payload.voucher_code,
        )
    except CheckoutRefused as refusal:
        raise _refusal(refusal) from refusal
    orders = basket_orders(the_town, result.basket_reference)
    placed = CheckoutOut(
        basket_reference=result.basket_reference,
        orders=[OrderOut.of(order) for order in orders],
        total=sum((order.total for order in orders), Decimal("0.00")),
        to_pay=sum((order.to_pay for order in orders), Decimal("0.00")),
        tracking_token=result.tracking_token,
        tracking_url=tracking_url(the_town, result.tracking_token),
        payment_url=result.payment_url,
    )
    return Status(201, placed)
