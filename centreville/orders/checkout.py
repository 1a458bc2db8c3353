"""Checkout of the town basket: one order per shop under one basket reference, all or nothing.

It runs in steps, in the order they lock rows: lock and read the basket; check each shop's part and
reserve its way to collect (each shop's fulfilment row, by shop primary key); take the stock (products,
then variants, by primary key); THEN lock the town voucher the customer gave, if any, and spend it on the
orders (`voucher_payment.py`); write the orders and their first step, and empty the basket. Two baskets
sharing shops, products or a voucher therefore wait for each other and never deadlock (a counter spending
the voucher locks only the voucher). Only once that transaction has committed, and its locks are
released, is the payment provider called for what the voucher left to pay, and are the orders announced:
if the payment cannot be opened, the orders are withdrawn, their stock and voucher spends given back and
the basket restored, as if the checkout had been refused.
"""

from __future__ import annotations

import logging
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
from centreville.baskets.services import basket_clear, basket_restore
from centreville.catalogue.selectors import unit_price
from centreville.catalogue.stock import NoLongerAvailable, Wanted, stock_return, stock_take
from centreville.core.pagecache import town_public_data_changed
from centreville.fulfilment.models import PAID_ON_THE_SPOT, FulfilmentMethod
from centreville.fulfilment.services import FulfilmentChoice, fulfilment_reserve
from centreville.payments import services as payments
from centreville.payments.services import MINIMUM_ONLINE_AMOUNT
from centreville.shops.hours import midnight
from centreville.shops.models import Shop
from centreville.shops.ordering import shops_order_taking
from centreville.vouchers.ledger import VoucherRefused

from .checkout_refusals import (
    ArticleShort,
    ArticleWithdrawn,
    BasketEmpty,
    CustomerDetailsRefused,
    OnlinePaymentUnavailable,
    PaidOnlineOnly,
    PaymentNotOpened,
    RemainderBelowOnlineMinimum,
    ShopNotTakingOrders,
    VoucherNotAccepted,
    WayNotChosen,
    WayRefused,
)
from .contact import CustomerContact, contact_preference_remember
from .models import Order, OrderStatus
from .payment import payment_start
from .services import (
    PlannedOrder,
    RecordedOrders,
    check_customer,
    new_reference,
    order_steps_announce,
    orders_write,
    planned_order,
)
from .voucher_payment import VoucherUse, voucher_give_back, voucher_pay_orders

logger = logging.getLogger(__name__)

CONTACT_MAX_CHARS = 200
NAME_MAX_CHARS = 120
# Put in `return_url` / `cancel_url` where the private tracking token goes (it is known only at checkout).
TOKEN_PLACEHOLDER = "__token__"


@dataclass(frozen=True)
class CheckoutResult:
    basket_reference: str
    orders: list[Order]  # one per shop, in shop primary-key order
    tracking_token: str  # the private link to all the orders of the basket
    payment_url: str | None  # where to pay, when paying online (None when a voucher paid it all)


@dataclass(frozen=True)
class CheckoutReview:
    """The orders a checkout would place, exactly as it would place them, nothing recorded."""

    orders: list[PlannedOrder]  # one per shop, each with its lines (and what a voucher pays of it)
    voucher: VoucherUse | None = None
    pay_online: bool = False

    @property
    def items_total(self) -> Decimal:
        return sum((planned.order.items_total for planned in self.orders), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return sum((planned.order.total for planned in self.orders), Decimal("0.00"))

    @property
    def voucher_paid(self) -> Decimal:
        return sum((planned.order.voucher_paid for planned in self.orders), Decimal("0.00"))

    @property
    def to_pay(self) -> Decimal:
        """What is left to pay once the voucher paid its part."""
        return self.total - self.voucher_paid

    @property
    def remainder_at_pickup(self) -> bool:
        """Paying online, the voucher left less than an online payment may be: it is paid at pickup."""
        return remainder_paid_at_pickup(self.to_pay, pay_online=self.pay_online)


def remainder_paid_at_pickup(to_pay: Decimal, *, pay_online: bool) -> bool:
    """Whether what is left to pay after the vouchers is paid at pickup: as chosen, or because it is below
    the smallest online payment."""
    return to_pay > 0 and (not pay_online or to_pay < MINIMUM_ONLINE_AMOUNT)


class _Reviewed(Exception):
    """Not an error: rolls a review back, carrying what it found."""

    def __init__(self, review: CheckoutReview) -> None:
        self.review = review


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
    voucher_code: str = "",
) -> CheckoutResult:
    """Turn the basket into one placed order per shop, each with its fulfilment, under one basket reference,
    then empty the basket. On any refusal (a CheckoutRefused, see `checkout_refusals`) nothing is kept, no
    stock moves and the basket stays as it is; the French message names the shop (`shop_id`) and the
    article.

    `choices` maps each shop's primary key to how its order reaches the customer. Guests (no `customer`)
    are welcome: the tracking token is their private link. With `pay_online`, and if the town offers it,
    `payment_url` is where the customer pays for the whole basket; TOKEN_PLACEHOLDER in `return_url` and
    `cancel_url` becomes the tracking token. `contact`, when given, holds each way to reach the customer
    and the one they prefer (`customer_contact` is then its preferred address); a signed-in customer's
    choice is remembered for their next checkout. `voucher_code`, when given, is a town voucher's code as
    the customer typed it: the voucher pays what it can of the orders of the shops taking it (see
    `voucher_payment`); what is left is paid online or at pickup (below the smallest online payment, at
    pickup); a voucher refused refuses the checkout (VoucherNotAccepted).

    Call it outside any transaction: the payment provider is called once the orders are committed, so
    that no lock is held while it answers.
    """
    customer_name, contact = _customer_details(customer_name, customer_contact, contact)
    placed = _place(
        basket=basket,
        customer=customer,
        customer_name=customer_name,
        contact=contact,
        choices=choices,
        pay_online=pay_online,
        now=now,
        review=False,
        voucher_code=voucher_code,
    )
    return _open_payment_and_announce(
        placed,
        basket=basket,
        customer=customer,
        contact=contact,
        pay_online=pay_online,
        return_url=return_url,
        cancel_url=cancel_url,
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
    voucher_code: str = "",
) -> CheckoutReview:
    """What `checkout` would place with the same choices, for the customer to check before confirming:
    every check runs (stock, slots, zones, payment) under the same locks, then everything is rolled back.
    Raises what `checkout` raises."""
    customer_name, contact = _customer_details(customer_name, customer_contact, contact)
    try:
        _place(
            basket=basket,
            customer=customer,
            customer_name=customer_name,
            contact=contact,
            choices=choices,
            pay_online=pay_online,
            now=now,
            review=True,
            voucher_code=voucher_code,
        )
    except _Reviewed as reviewed:  # everything it did is rolled back
        return reviewed.review
    raise AssertionError("a review never places orders")


def _customer_details(
    customer_name: str, customer_contact: str, contact: CustomerContact | None
) -> tuple[str, CustomerContact]:
    """The customer's name and ways to reach them, cleaned; CustomerDetailsRefused when they cannot do."""
    try:
        customer_name = clean_customer_name(customer_name)
        customer_contact = clean_contact(contact.preferred if contact is not None else customer_contact)
        check_customer(customer_name, customer_contact)
    except ValidationError as problem:
        raise CustomerDetailsRefused.of(problem) from problem
    return customer_name, contact if contact is not None else CustomerContact.of(customer_contact)


@dataclass(frozen=True)
class _LockedBasket:
    """The basket's lines, read under the basket's lock, by shop in shop primary-key order."""

    lines: list[BasketLine]
    by_shop: dict[int, list[BasketLine]]
    shops: dict[int, Shop]

    def shop_of(self, product_id: int | None) -> Shop | None:
        """The shop of the line holding this product, if any."""
        line = next((line for line in self.lines if line.product_id == product_id), None)
        return self.shops[line.product.shop_id] if line is not None else None


@dataclass(frozen=True)
class _Placed:
    """What the checkout's transaction wrote, for the steps after its commit."""

    basket_reference: str
    recorded: RecordedOrders
    planned: list[PlannedOrder]
    basket_lines: list[BasketLine]  # as they were before the basket was emptied
    at: datetime


@transaction.atomic
def _place(
    *,
    basket: Basket,
    customer: User | None,
    customer_name: str,
    contact: CustomerContact,
    choices: dict[int, FulfilmentChoice],
    pay_online: bool,
    now: datetime,
    review: bool,
    voucher_code: str = "",
) -> _Placed:
    """The checkout's transaction, its steps in lock order; with `review`, raises _Reviewed with what it
    would place, which rolls it all back."""
    locked = _lock_basket(basket)
    if pay_online and not payments.online_payment_available(basket.town, locked.shops.values()):
        raise OnlinePaymentUnavailable()
    # Without a voucher, a way paid online only is refused at once; with one, once the voucher has paid.
    fulfilment = _reserve_ways(
        locked, choices, paid_at_pickup=not pay_online and not voucher_code.strip(), now=now
    )
    wanted = _take_stock(locked)
    basket_reference = new_reference("P")
    planned = [
        planned_order(
            shop=locked.shops[shop_id],
            wanted=[wanted[line.pk] for line in shop_lines],
            # The prices the customer saw in the basket, the same the fulfilment was priced on.
            products={line.product_id: line.product for line in shop_lines},
            variants={line.variant.pk: line.variant for line in shop_lines if line.variant is not None},
            customer=customer,
            customer_name=customer_name,
            customer_contact=contact.preferred,
            contact=contact,
            basket_reference=basket_reference,
            fulfilment_fields=fulfilment[shop_id],
        )
        for shop_id, shop_lines in locked.by_shop.items()
    ]
    voucher = None
    if voucher_code.strip():
        try:
            voucher = voucher_pay_orders(
                typed_code=voucher_code,
                orders=[item.order for item in planned],
                customer=customer,
                at=now,
            )
        except VoucherRefused as problem:
            raise VoucherNotAccepted.of(problem) from problem
    _check_paid_on_the_spot(planned, pay_online=pay_online)
    if review:
        raise _Reviewed(CheckoutReview(orders=planned, voucher=voucher, pay_online=pay_online))
    recorded = orders_write(planned, customer=customer)
    basket_clear(basket=basket)
    return _Placed(
        basket_reference=basket_reference,
        recorded=recorded,
        planned=planned,
        basket_lines=locked.lines,
        at=now,
    )


def _lock_basket(basket: Basket) -> _LockedBasket:
    """Lock the basket, then read its lines; BasketEmpty when there are none."""
    # Waits for another checkout of the same basket (a double click): that one empties it first.
    Basket.objects.select_for_update().filter(pk=basket.pk).first()
    lines = list(
        BasketLine.objects.filter(basket=basket, product__town_id=basket.town_id)
        .select_related("product__shop__town", "variant")
        .order_by("product__shop_id", "pk")
    )
    if not lines:
        raise BasketEmpty()
    by_shop: dict[int, list[BasketLine]] = {}
    for line in lines:
        by_shop.setdefault(line.product.shop_id, []).append(line)
    return _LockedBasket(
        lines=lines, by_shop=by_shop, shops={line.product.shop_id: line.product.shop for line in lines}
    )


def _reserve_ways(
    locked: _LockedBasket, choices: dict[int, FulfilmentChoice], *, paid_at_pickup: bool, now: datetime
) -> dict[int, dict[str, Any]]:
    """For each shop, in shop primary-key order (the lock order): check it takes orders and the way chosen,
    and reserve that way (its slot counted under the lock of the shop's fulfilment row). Returns each
    shop's Order field values."""
    taking = shops_order_taking(locked.shops.values(), at=now)
    fulfilment: dict[int, dict[str, Any]] = {}
    for shop_id, shop_lines in locked.by_shop.items():
        shop = locked.shops[shop_id]
        if not taking[shop_id].takes_orders:
            raise ShopNotTakingOrders(shop, taking[shop_id].notice)
        choice = choices.get(shop_id)
        if choice is None:
            raise WayNotChosen(shop)
        if (
            paid_at_pickup
            and choice.method in FulfilmentMethod.values
            and choice.method not in PAID_ON_THE_SPOT
        ):
            raise PaidOnlineOnly(shop, choice.method)
        items_total = sum(
            (unit_price(line.product, line.variant) * line.quantity for line in shop_lines),
            Decimal("0.00"),
        )
        try:
            fulfilment[shop_id] = fulfilment_reserve(
                shop=shop, choice=choice, items_total=items_total, now=now
            )
        except ValidationError as problem:
            raise WayRefused.of(shop, problem) from problem
        ready_from = taking[shop_id].ready_from
        if ready_from is not None:  # closed, taking orders for after it reopens
            fulfilment[shop_id]["accept_from"] = midnight(ready_from, ZoneInfo(shop.town.timezone))
    return fulfilment


def _check_paid_on_the_spot(planned: list[PlannedOrder], *, pay_online: bool) -> None:
    """An order with something left to pay at pickup must be collected where someone takes the money (not
    a locker, not a delivery): PaidOnlineOnly, or RemainderBelowOnlineMinimum when paying online leaves
    less than an online payment may be."""
    to_pay = sum((item.order.to_pay for item in planned), Decimal("0.00"))
    if not remainder_paid_at_pickup(to_pay, pay_online=pay_online):
        return
    for item in planned:
        order = item.order
        if order.to_pay > 0 and order.fulfilment not in PAID_ON_THE_SPOT:
            if pay_online:
                raise RemainderBelowOnlineMinimum(order.shop, order.fulfilment, to_pay, MINIMUM_ONLINE_AMOUNT)
            raise PaidOnlineOnly(order.shop, order.fulfilment)


def _take_stock(locked: _LockedBasket) -> dict[int, Wanted]:
    """Take the basket's articles out of stock, all or nothing, each still shown by its shop; returns what
    each line wants, by line primary key."""
    wanted = {line.pk: Wanted(line.product_id, line.quantity, line.variant_id) for line in locked.lines}
    try:
        products, _variants = stock_take(list(wanted.values()))
    except NoLongerAvailable as problem:
        raise ArticleShort.of(locked.shop_of(problem.product_id), problem) from problem
    for line in locked.lines:
        product = products[line.product_id]
        if not product.is_visible or product.shop_id != line.product.shop_id:
            raise ArticleWithdrawn(locked.shops[line.product.shop_id], product.title)
    return wanted


def _open_payment_and_announce(
    placed: _Placed,
    *,
    basket: Basket,
    customer: User | None,
    contact: CustomerContact,
    pay_online: bool,
    return_url: str,
    cancel_url: str,
) -> CheckoutResult:
    """After the commit: open the payment when paying online (PaymentNotOpened, the orders withdrawn, when
    it cannot be), then announce the orders and remember how a signed-in customer wants to be told."""
    orders = placed.recorded.orders
    token = orders[0].tracking_token
    payment_url = None
    to_pay = [order for order in orders if order.to_pay > 0]
    if to_pay and not remainder_paid_at_pickup(
        sum((order.to_pay for order in to_pay), Decimal("0.00")), pay_online=pay_online
    ):
        try:
            payment_url = payment_start(
                orders=to_pay,
                return_url=return_url.replace(TOKEN_PLACEHOLDER, token),
                cancel_url=cancel_url.replace(TOKEN_PLACEHOLDER, token),
            )
        except ValidationError as problem:
            _withdraw(placed, basket=basket)
            raise PaymentNotOpened.of(problem) from problem
        except Exception:
            _withdraw(placed, basket=basket)
            raise
    order_steps_announce(placed.recorded.events)
    if customer is not None:
        contact_preference_remember(user=customer, notify_by=contact.notify_by, phone=contact.phone)
    return CheckoutResult(
        basket_reference=placed.basket_reference,
        orders=orders,
        tracking_token=token,
        payment_url=payment_url,
    )


@transaction.atomic
def _withdraw(placed: _Placed, *, basket: Basket) -> None:
    """Undo a checkout whose payment could not be opened: its orders (still placed, announced to nobody)
    are deleted, their stock and voucher spends given back and the basket's lines put back. Locks in the
    checkout's order: the basket, then the orders, then products and variants, then the voucher."""
    Basket.objects.select_for_update().filter(pk=basket.pk).first()
    withdrawn = {
        order.pk: order.shop_id
        for order in Order.objects.select_for_update()
        .filter(pk__in=[order.pk for order in placed.recorded.orders], status=OrderStatus.PLACED)
        .order_by("pk")
    }
    if len(withdrawn) < len(placed.recorded.orders):
        # A merchant acted on one meanwhile: it stays, paid at pickup, announced by the periodic catch-up.
        logger.warning("Basket %s: an order moved on before its payment failed", placed.basket_reference)
    stock_return([line for item in placed.planned if item.order.pk in withdrawn for line in item.lines])
    for order in placed.recorded.orders:
        if order.pk in withdrawn:
            voucher_give_back(order, at=placed.at)
    Order.objects.filter(pk__in=sorted(withdrawn)).delete()
    shop_ids = set(withdrawn.values())
    basket_restore(
        basket=basket, lines=[line for line in placed.basket_lines if line.product.shop_id in shop_ids]
    )
    for town_id in sorted({order.town_id for order in placed.recorded.orders}):
        town_public_data_changed(town_id)  # the stock shown on public pages is back
