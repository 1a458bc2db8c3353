"""Checkout of the town basket: one order per shop under one basket reference, all or nothing.

Rows are locked in one order for the whole basket, the same as for a single order: the basket, then each
shop's fulfilment row (pickup slots) by shop primary key, then products and variants by primary key.
Two baskets sharing shops or products therefore wait for each other and never deadlock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from centreville.accounts.models import User
from centreville.baskets.models import Basket, BasketLine
from centreville.baskets.services import basket_clear
from centreville.catalogue.selectors import unit_price
from centreville.fulfilment.models import PAID_ON_THE_SPOT, FulfilmentMethod
from centreville.fulfilment.services import FulfilmentChoice, fulfilment_reserve
from centreville.payments import services as payments
from centreville.shops.hours import midnight
from centreville.shops.models import Shop
from centreville.shops.ordering import shops_order_taking

from .contact import CustomerContact, contact_preference_remember
from .models import Order
from .payment import payment_start
from .services import (
    NoLongerAvailable,
    PlannedOrder,
    Wanted,
    check_customer,
    new_reference,
    orders_record,
    planned_order,
    stock_take,
)

CONTACT_MAX_CHARS = 200
NAME_MAX_CHARS = 120
# Put in `return_url` / `cancel_url` where the private tracking token goes (it is known only at checkout).
TOKEN_PLACEHOLDER = "__token__"


@dataclass(frozen=True)
class CheckoutResult:
    basket_reference: str
    orders: list[Order]  # one per shop, in shop primary-key order
    tracking_token: str  # the private link to all the orders of the basket
    payment_url: str | None  # where to pay, when paying online


@dataclass(frozen=True)
class CheckoutReview:
    """The orders a checkout would place, exactly as it would place them, nothing recorded."""

    orders: list[PlannedOrder]  # one per shop, each with its lines

    @property
    def items_total(self) -> Decimal:
        return sum((planned.order.items_total for planned in self.orders), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return sum((planned.order.total for planned in self.orders), Decimal("0.00"))


class _Reviewed(Exception):
    """Not an error: rolls a review back, carrying what it found."""

    def __init__(self, review: CheckoutReview) -> None:
        self.review = review


class CheckoutRefused(ValidationError):
    """Checkout refused because of one shop's part of the basket; `shop_id` says which."""

    def __init__(self, message: str, *, shop_id: int | None = None, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.shop_id = shop_id


def clean_contact(value: str) -> str:
    """A French phone number (kept as +33…) or an e-mail address (kept in lower case); else ValidationError
    in French saying what is expected."""
    value = value.strip()
    if not value:
        raise ValidationError(
            _("Indiquez un numéro de téléphone ou une adresse e-mail pour être prévenu."), code="required"
        )
    if len(value) > CONTACT_MAX_CHARS:
        raise ValidationError(_("Ce contact est trop long."), code="long")
    if "@" in value:
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(
                _("« %(value)s » n'est pas une adresse e-mail valide (exemple : nom@exemple.fr).")
                % {"value": value},
                code="email",
            ) from None
        return value.lower()
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _(
                "« %(value)s » n'est ni un numéro de téléphone valide (exemple : 06 12 34 56 78) "
                "ni une adresse e-mail."
            )
            % {"value": value},
            code="phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_customer_name(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise ValidationError(
            _("Indiquez votre nom : le commerçant le demandera au retrait."), code="required"
        )
    if len(value) > NAME_MAX_CHARS:
        raise ValidationError(
            _("Le nom est trop long (%(max)s caractères au plus).") % {"max": NAME_MAX_CHARS}, code="long"
        )
    return value


def _refused(shop: Shop, error: ValidationError) -> CheckoutRefused:
    problem = " ".join(error.messages)
    return CheckoutRefused(
        _("%(shop)s : %(problem)s") % {"shop": shop.name, "problem": problem}, shop_id=shop.pk
    )


def checkout(
    *,
    basket: Basket,
    customer: User | None,
    customer_name: str,
    customer_contact: str,
    choices: dict[int, FulfilmentChoice],
    pay_online: bool,
    return_url: str = "",
    cancel_url: str = "",
    now: datetime,
    contact: CustomerContact | None = None,
) -> CheckoutResult:
    """Turn the basket into one placed order per shop, each with its fulfilment, under one basket reference,
    then empty the basket. On any refusal nothing is recorded, no stock moves and the basket stays as it
    is; the French message names the shop (CheckoutRefused.shop_id) and the article.

    `choices` maps each shop's primary key to how its order reaches the customer. Guests (no `customer`)
    are welcome: the tracking token is their private link. With `pay_online`, and if the town offers it,
    `payment_url` is where the customer pays for the whole basket; TOKEN_PLACEHOLDER in `return_url` and
    `cancel_url` becomes the tracking token. `contact`, when given, holds each way to reach the customer
    and the one they prefer (`customer_contact` is then its preferred address); a signed-in customer's
    choice is remembered for their next checkout.
    """
    return _checkout(
        basket=basket,
        customer=customer,
        customer_name=customer_name,
        customer_contact=customer_contact,
        choices=choices,
        pay_online=pay_online,
        return_url=return_url,
        cancel_url=cancel_url,
        now=now,
        contact=contact,
        review=False,
    )


def checkout_review(
    *,
    basket: Basket,
    customer: User | None,
    customer_name: str,
    customer_contact: str,
    choices: dict[int, FulfilmentChoice],
    pay_online: bool,
    now: datetime,
    contact: CustomerContact | None = None,
) -> CheckoutReview:
    """What `checkout` would place with the same choices, for the customer to check before confirming:
    every check runs (stock, slots, zones, payment) under the same locks, then everything is rolled back.
    Raises what `checkout` raises."""
    try:
        _checkout(
            basket=basket,
            customer=customer,
            customer_name=customer_name,
            customer_contact=customer_contact,
            choices=choices,
            pay_online=pay_online,
            return_url="",
            cancel_url="",
            now=now,
            contact=contact,
            review=True,
        )
    except _Reviewed as reviewed:  # everything it did is rolled back
        return reviewed.review
    raise AssertionError("a review never places orders")


@transaction.atomic
def _checkout(
    *,
    basket: Basket,
    customer: User | None,
    customer_name: str,
    customer_contact: str,
    choices: dict[int, FulfilmentChoice],
    pay_online: bool,
    return_url: str,
    cancel_url: str,
    now: datetime,
    contact: CustomerContact | None,
    review: bool,
) -> CheckoutResult:
    """The checkout; with `review`, raises _Reviewed with what it would place, which rolls it all back."""
    customer_name = clean_customer_name(customer_name)
    customer_contact = clean_contact(contact.preferred if contact is not None else customer_contact)
    contact = contact if contact is not None else CustomerContact.of(customer_contact)
    check_customer(customer_name, customer_contact)
    # Waits for another checkout of the same basket (a double click): that one empties it first.
    Basket.objects.select_for_update().filter(pk=basket.pk).first()
    lines = list(
        BasketLine.objects.filter(basket=basket, product__town_id=basket.town_id)
        .select_related("product__shop__town", "variant")
        .order_by("product__shop_id", "pk")
    )
    if not lines:
        raise ValidationError(_("Votre panier est vide."), code="empty")
    by_shop: dict[int, list[BasketLine]] = {}
    for line in lines:
        by_shop.setdefault(line.product.shop_id, []).append(line)
    shops = {line.product.shop_id: line.product.shop for line in lines}
    taking = shops_order_taking(shops.values(), at=now)
    if pay_online and not payments.online_payment_available(basket.town, shops.values()):
        raise ValidationError(
            _("Le paiement en ligne n'est pas proposé pour ce panier : choisissez de payer au retrait."),
            code="online_unavailable",
        )
    basket_reference = new_reference("P")

    fulfilment: dict[int, dict[str, Any]] = {}
    for shop_id, shop_lines in by_shop.items():  # shop primary-key order: the lock order
        shop = shops[shop_id]
        if not taking[shop_id].takes_orders:
            raise CheckoutRefused(
                _("%(shop)s : %(notice)s Retirez ses articles du panier pour commander le reste.")
                % {"shop": shop.name, "notice": taking[shop_id].notice},
                shop_id=shop_id,
            )
        choice = choices.get(shop_id)
        if choice is None:
            raise CheckoutRefused(
                _("%(shop)s : choisissez comment récupérer cette commande.") % {"shop": shop.name},
                shop_id=shop_id,
            )
        if (
            not pay_online
            and choice.method in FulfilmentMethod.values
            and choice.method not in PAID_ON_THE_SPOT
        ):
            raise CheckoutRefused(
                _(
                    "%(shop)s : « %(way)s » se paie en ligne, personne n'étant là pour encaisser. "
                    "Choisissez le paiement en ligne, ou un retrait où payer sur place."
                )
                % {"shop": shop.name, "way": FulfilmentMethod(choice.method).label},
                shop_id=shop_id,
                code="paid_online_only",
            )
        items_total = sum(
            (unit_price(line.product, line.variant) * line.quantity for line in shop_lines),
            Decimal("0.00"),
        )
        try:
            fulfilment[shop_id] = fulfilment_reserve(
                shop=shop, choice=choice, items_total=items_total, now=now
            )
        except ValidationError as error:
            raise _refused(shop, error) from error
        ready_from = taking[shop_id].ready_from
        if ready_from is not None:  # closed, taking orders for after it reopens
            fulfilment[shop_id]["accept_from"] = midnight(ready_from, ZoneInfo(shop.town.timezone))

    wanted = {line.pk: Wanted(line.product_id, line.quantity, line.variant_id) for line in lines}
    try:
        locked, _variants = stock_take(list(wanted.values()))
    except NoLongerAvailable as error:
        short_shop_id = _shop_of_product(error.product_id, lines)
        if short_shop_id is None:
            raise
        raise _refused(shops[short_shop_id], error) from error
    for line in lines:
        product = locked[line.product_id]
        if not product.is_visible or product.shop_id != line.product.shop_id:
            shop = shops[line.product.shop_id]
            raise CheckoutRefused(
                _("%(shop)s : « %(title)s » n'est plus proposé.")
                % {"shop": shop.name, "title": product.title},
                shop_id=shop.pk,
            )

    planned: list[PlannedOrder] = []
    for shop_id, shop_lines in by_shop.items():
        planned.append(
            planned_order(
                shop=shops[shop_id],
                wanted=[wanted[line.pk] for line in shop_lines],
                # The prices the customer saw in the basket, the same the fulfilment was priced on.
                products={line.product_id: line.product for line in shop_lines},
                variants={line.variant.pk: line.variant for line in shop_lines if line.variant is not None},
                customer=customer,
                customer_name=customer_name,
                customer_contact=customer_contact,
                contact=contact,
                basket_reference=basket_reference,
                fulfilment_fields=fulfilment[shop_id],
            )
        )
    if review:
        raise _Reviewed(CheckoutReview(orders=planned))
    orders = orders_record(planned, customer=customer)
    token = orders[0].tracking_token
    payment_url = (
        payment_start(
            orders=orders,
            return_url=return_url.replace(TOKEN_PLACEHOLDER, token),
            cancel_url=cancel_url.replace(TOKEN_PLACEHOLDER, token),
        )
        if pay_online
        else None
    )
    basket_clear(basket=basket)
    if customer is not None:
        contact_preference_remember(user=customer, notify_by=contact.notify_by, phone=contact.phone)
    return CheckoutResult(
        basket_reference=basket_reference,
        orders=orders,
        tracking_token=token,
        payment_url=payment_url,
    )


def _shop_of_product(product_id: int | None, lines: Sequence[BasketLine]) -> int | None:
    """The shop of the basket line holding this product, if any."""
    return next((line.product.shop_id for line in lines if line.product_id == product_id), None)
