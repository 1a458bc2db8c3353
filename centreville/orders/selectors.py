"""Reads of orders; every function takes the town explicitly."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers
from django.db.models import F, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy

from centreville.accounts.models import User
from centreville.baskets.selectors import BasketSummary, ShopGroup
from centreville.fulfilment import selectors as fulfilment
from centreville.fulfilment.models import DeliveryZone, FulfilmentMethod, Locker, RelayPoint
from centreville.fulfilment.selectors import Slot
from centreville.payments.services import online_payment_available
from centreville.shops.hours import WeekdayHours, regular_week_in_words
from centreville.shops.models import Shop
from centreville.towns.models import Town

from .models import Order, OrderEvent, OrderLine, OrderStatus
from .payment import GIVEN_BACK_STATUSES
from .transitions import CUSTOMER_CAN_CANCEL, HANDLE_ORDER, TRANSITIONS, WAITING_STATUSES, merchant_moves

# --- Merchant side: the orders of the shops someone runs ------------------------------------------------

# How an order ends (what a merchant still has to do is WAITING_STATUSES, in the order they work).
CLOSED_STATUSES = (
    OrderStatus.COLLECTED,
    OrderStatus.REFUSED,
    OrderStatus.CANCELLED,
    OrderStatus.SHOP_CANCELLED,
    OrderStatus.NOT_COLLECTED,
    OrderStatus.EXPIRED,
)
TO_PREPARE = (OrderStatus.PLACED, OrderStatus.ACCEPTED)


def contact_href(contact: str) -> str:
    """A `mailto:` or `tel:` link for what the customer left, or "" when it is neither."""
    contact = contact.strip()
    if "@" in contact:
        return f"mailto:{contact}"
    try:
        number = phonenumbers.parse(contact, "FR")
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@dataclass(frozen=True)
class Contact:
    """A way to reach the customer, as a merchant reads it and taps it."""

    href: str  # tel: or mailto:, "" when it is neither
    shown: str  # « 06 12 34 56 78 », an e-mail address

    @property
    def is_phone(self) -> bool:
        return self.href.startswith("tel:")


def phone_shown(contact: str) -> str:
    """A phone number as people write it: « 06 12 34 56 78 » in France, international form otherwise."""
    try:
        number = phonenumbers.parse(contact, "FR")
    except phonenumbers.NumberParseException:
        return contact
    if not phonenumbers.is_possible_number(number):
        return contact
    if phonenumbers.region_code_for_number(number) == "FR":
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def contact_of(contact: str) -> Contact:
    href = contact_href(contact)
    return Contact(href=href, shown=phone_shown(contact) if href.startswith("tel:") else contact.strip())


@dataclass(frozen=True)
class CardLine:
    pk: int
    title: str
    quantity: int
    unit_price: Decimal
    amount: Decimal


@dataclass(frozen=True)
class MerchantOrder:
    """An order as a merchant sees it, with the statuses they may move it to, in workflow order."""

    order: Order
    moves: list[str]

    @property
    def contact_href(self) -> str:
        return contact_href(self.order.customer_contact)

    @property
    def contacts(self) -> list[Contact]:
        """Every way the customer left to reach them, the one they chose for messages first."""
        order = self.order
        given = [order.customer_contact, order.customer_phone, order.customer_email]
        unique = [value for n, value in enumerate(given) if value.strip() and value not in given[:n]]
        return [contact_of(value) for value in unique]

    @property
    def reason_moves(self) -> list[str]:
        """The moves that ask for a reason the customer will read (a form of their own)."""
        return [move for move in self.moves if TRANSITIONS[(self.order.status, move)].needs_reason]

    @property
    def is_open(self) -> bool:
        """Still the merchant's to handle: placed, accepted or ready."""
        return self.order.status in WAITING_STATUSES

    @property
    def voucher_given_back(self) -> bool:
        """Vouchers paid part of the order, and got it back when it ended without a sale."""
        return self.order.voucher_paid > 0 and self.order.status in GIVEN_BACK_STATUSES

    @property
    def lines(self) -> list[CardLine]:
        return [
            CardLine(
                pk=line.pk,
                title=line.title,
                quantity=line.quantity,
                unit_price=line.unit_price,
                amount=line.unit_price * line.quantity,
            )
            for line in self.order.lines.all()
        ]


@dataclass(frozen=True)
class StatusGroup:
    status: str
    orders: list[MerchantOrder]

    @property
    def label(self) -> str:
        return str(OrderStatus(self.status).label)


@dataclass(frozen=True)
class MerchantDay:
    open_groups: list[StatusGroup]  # placed, accepted, ready, dropped: always all four, possibly empty
    closed: list[MerchantOrder]  # collected, refused, cancelled, not collected or expired that day

    @property
    def open_count(self) -> int:
        return sum(len(group.orders) for group in self.open_groups)


def merchant_order_shops(user: Any, town: Town) -> list[Shop]:
    """The shops of `town` that `user` is a member of, by name."""
    return list(
        Shop.objects.for_town(town)
        .filter(memberships__user=user)
        .select_related("town")
        .order_by("name", "pk")
    )


def shops_with_orders(town: Town, *, day: date, today: date) -> QuerySet[Shop]:
    """The shops of `town` that have orders on `day`: what a town manager may pick from."""
    order_shops = Order.objects.for_town(town).filter(_on_day(town, day, today=today)).values("shop_id")
    return Shop.objects.for_town(town).filter(pk__in=order_shops).order_by("name", "pk")


def _day_bounds(town: Town, day: date) -> tuple[datetime, datetime]:
    """The town's local midnight starting `day` and the next one."""
    tz = ZoneInfo(town.timezone)
    return datetime.combine(day, time(0), tzinfo=tz), datetime.combine(
        day + timedelta(days=1), time(0), tzinfo=tz
    )


def _on_day(town: Town, day: date, *, today: date) -> Q:
    """Orders placed on `day`, to collect on `day`, or closed on `day`; today also every order still open,
    so that nothing waiting for the merchant is hidden because it was placed earlier."""
    start, end = _day_bounds(town, day)
    on_day = (
        Q(created_at__gte=start, created_at__lt=end)
        | Q(pickup_slot_start__gte=start, pickup_slot_start__lt=end)
        | Q(status__in=CLOSED_STATUSES, updated_at__gte=start, updated_at__lt=end)
    )
    if day == today:
        on_day |= Q(status__in=WAITING_STATUSES)
    return on_day


def _merchant_orders(town: Town, shops: Sequence[Shop]) -> QuerySet[Order]:
    """The orders of these shops of `town`, with what a card shows, soonest pickup first."""
    return (
        Order.objects.for_town(town)
        .filter(shop__in=[shop.pk for shop in shops])
        .select_related("shop", "relay_point", "locker", "delivery_zone")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("pk")))
        .order_by(F("pickup_slot_start").asc(nulls_last=True), "created_at", "pk")
    )


def merchant_day(user: Any, town: Town, shops: Sequence[Shop], *, day: date, today: date) -> MerchantDay:
    """The orders of `shops` for `day`, grouped by status as the merchant works through them.

    A fixed number of queries whatever the number of orders (orders, their lines, and the person's
    roles once).
    """
    groups: dict[str, list[MerchantOrder]] = {status: [] for status in WAITING_STATUSES}
    closed: list[MerchantOrder] = []
    for order in _merchant_orders(town, shops).filter(_on_day(town, day, today=today)):
        card = MerchantOrder(order=order, moves=merchant_moves(user, order))
        if order.status in groups:
            groups[order.status].append(card)
        else:
            closed.append(card)
    closed.sort(key=lambda card: card.order.updated_at, reverse=True)
    return MerchantDay(
        open_groups=[StatusGroup(status=status, orders=orders) for status, orders in groups.items()],
        closed=closed,
    )


def merchant_order(user: Any, town: Town, reference: str) -> MerchantOrder | None:
    """The order of `town` with this reference, if `user` may handle it (a shop's member, the manager)."""
    order = (
        Order.objects.for_town(town)
        .filter(reference=reference)
        .select_related("shop", "relay_point", "locker", "delivery_zone")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("pk")))
        .first()
    )
    if order is None or not user.has_perm(HANDLE_ORDER, order):
        return None
    return MerchantOrder(order=order, moves=merchant_moves(user, order))


@dataclass(frozen=True)
class ArticleTotal:
    title: str
    quantity: int


@dataclass(frozen=True)
class ShopPreparation:
    shop: Shop
    orders: list[Order]
    totals: list[ArticleTotal]  # each article once, with the quantity to pick across the orders


def preparation_list(town: Town, shops: Sequence[Shop], *, day: date, today: date) -> list[ShopPreparation]:
    """Per shop, the orders of `day` still to prepare (placed or accepted) and what to pick in all."""
    by_shop: dict[int, list[Order]] = {shop.pk: [] for shop in shops}
    orders = _merchant_orders(town, shops).filter(_on_day(town, day, today=today), status__in=TO_PREPARE)
    for order in orders:
        by_shop[order.shop_id].append(order)
    preparations = []
    for shop in shops:
        titles: dict[tuple[int, int], str] = {}
        quantities: dict[tuple[int, int], int] = {}
        for order in by_shop[shop.pk]:
            for line in order.lines.all():
                key = (line.product_id, line.variant_id or 0)
                titles.setdefault(key, line.title)
                quantities[key] = quantities.get(key, 0) + line.quantity
        totals = sorted(
            (ArticleTotal(title=titles[key], quantity=quantity) for key, quantity in quantities.items()),
            key=lambda total: total.title.casefold(),
        )
        preparations.append(ShopPreparation(shop=shop, orders=by_shop[shop.pk], totals=totals))
    return preparations


def export_lines(
    town: Town, shops: Sequence[Shop], *, first_day: date, last_day: date
) -> QuerySet[OrderLine]:
    """Every line of the orders of `shops` placed from `first_day` to `last_day` (town time), oldest first."""
    start, _ = _day_bounds(town, first_day)
    _, end = _day_bounds(town, last_day)
    return (
        OrderLine.objects.filter(
            order__town=town,
            order__shop__in=[shop.pk for shop in shops],
            order__created_at__gte=start,
            order__created_at__lt=end,
        )
        .select_related("order", "order__shop", "order__relay_point", "order__locker")
        .order_by("order__created_at", "order_id", "pk")
    )


# --- end of the merchant side ---------------------------------------------------------------------------


# --- Customer side: the orders of one basket, through its private link, and a signed-in person's orders ----

# What each status means for the customer, in words they would use.
CUSTOMER_STATUS_WORDS: dict[str, Any] = {
    OrderStatus.PLACED: gettext_lazy("Envoyée au commerçant, qui va la confirmer."),
    OrderStatus.ACCEPTED: gettext_lazy("Acceptée : le commerçant la prépare."),
    OrderStatus.READY: gettext_lazy("Prête : vous pouvez venir la chercher."),
    OrderStatus.DROPPED: gettext_lazy("Déposée au point relais : vous pouvez aller la chercher."),
    OrderStatus.COLLECTED: gettext_lazy("Retirée. Merci et à bientôt !"),
    OrderStatus.REFUSED: gettext_lazy("Refusée par le commerçant."),
    OrderStatus.CANCELLED: gettext_lazy("Annulée."),
    OrderStatus.SHOP_CANCELLED: gettext_lazy("Annulée par le commerçant, qui ne peut pas l'honorer."),
    OrderStatus.NOT_COLLECTED: gettext_lazy(
        "Non retirée : le délai est passé sans vous voir, les articles sont remis en vente."
    ),
    OrderStatus.EXPIRED: gettext_lazy("Expirée : le délai est passé, les articles sont remis en vente."),
}
DELIVERY_STATUS_WORDS: dict[str, Any] = {
    OrderStatus.READY: gettext_lazy("Prête : elle part en livraison."),
    OrderStatus.COLLECTED: gettext_lazy("Livrée. Merci et à bientôt !"),
    OrderStatus.NOT_COLLECTED: gettext_lazy("Non livrée : les articles sont remis en vente."),
}
# A relay order is ready when prepared in the shop: the customer goes once it is at the relay point.
RELAY_STATUS_WORDS: dict[str, Any] = {
    OrderStatus.READY: gettext_lazy(
        "Préparée : le commerçant va la déposer au point relais. Vous serez prévenu du dépôt."
    ),
}
# Steps whose reason, written for the customer, is shown with the order.
EXPLAINED_STATUSES = frozenset(
    {OrderStatus.REFUSED, OrderStatus.SHOP_CANCELLED, OrderStatus.NOT_COLLECTED, OrderStatus.EXPIRED}
)


@dataclass(frozen=True)
class TrackedOrder:
    """One shop's order as its customer follows it."""

    order: Order
    steps: list[OrderEvent]
    relay_point_week: list[WeekdayHours] = field(default_factory=list)  # the relay point's hours in words

    @property
    def status_words(self) -> str:
        if self.order.fulfilment == "delivery" and self.order.status in DELIVERY_STATUS_WORDS:
            return str(DELIVERY_STATUS_WORDS[self.order.status])
        if self.order.fulfilment == "relay" and self.order.status in RELAY_STATUS_WORDS:
            return str(RELAY_STATUS_WORDS[self.order.status])
        return str(CUSTOMER_STATUS_WORDS[self.order.status])

    @property
    def can_cancel(self) -> bool:
        return self.order.status in CUSTOMER_CAN_CANCEL

    @property
    def refusal_reason(self) -> str:
        return next(
            (step.reason for step in reversed(self.steps) if step.to_status == OrderStatus.REFUSED), ""
        )

    @property
    def status_reason(self) -> str:
        """Why the order ended so (refused, cancelled by the shop, not collected, expired), or ""."""
        if self.order.status not in EXPLAINED_STATUSES:
            return ""
        return next((step.reason for step in reversed(self.steps) if step.to_status == self.order.status), "")

    @property
    def unavailable_titles(self) -> list[str]:
        """The articles the shop said were missing or damaged when it cancelled."""
        return [line.title for line in self.order.lines.all() if line.unavailable]

    @property
    def shows_locker_code(self) -> bool:
        return self.order.status == OrderStatus.READY and bool(self.order.locker_code)

    @property
    def voucher_given_back(self) -> bool:
        """Vouchers paid part of the order, and got it back when it ended without a sale."""
        return self.order.voucher_paid > 0 and self.order.status in GIVEN_BACK_STATUSES


@dataclass(frozen=True)
class TrackedBasket:
    """All the orders of one checkout, in shop order, as the private tracking link shows them."""

    basket_reference: str
    token: str
    orders: list[TrackedOrder]

    @property
    def placed_at(self) -> datetime:
        return min(tracked.order.created_at for tracked in self.orders)

    @property
    def total(self) -> Decimal:
        return sum((tracked.order.total for tracked in self.orders), Decimal("0.00"))

    @property
    def voucher_paid(self) -> Decimal:
        return sum((tracked.order.voucher_paid for tracked in self.orders), Decimal("0.00"))

    def order(self, reference: str) -> Order | None:
        return next((t.order for t in self.orders if t.order.reference == reference), None)


def _customer_orders(town: Town) -> QuerySet[Order]:
    return (
        Order.objects.for_town(town)
        .select_related("shop", "relay_point", "locker", "delivery_zone")
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.order_by("pk")),
            Prefetch("events", queryset=OrderEvent.objects.order_by("created_at", "pk")),
        )
    )


def tracked_basket(town: Town, token: str, *, at: datetime) -> TrackedBasket | None:
    """The orders of the checkout whose private link carries `token`, or None; three queries. Relay points'
    hours are those of the week from `at`."""
    if not token:
        return None
    same_checkout = Order.objects.for_town(town).filter(tracking_token=token)
    orders = list(
        _customer_orders(town)
        .filter(
            basket_reference=Subquery(same_checkout.values("basket_reference")[:1]),
            # The same customer too: the reference is random, but another person's order never shows.
            customer_contact=Subquery(same_checkout.values("customer_contact")[:1]),
        )
        .order_by("shop_id", "pk")
    )
    if not orders:
        return None
    return TrackedBasket(
        basket_reference=orders[0].basket_reference,
        token=token,
        orders=[
            TrackedOrder(
                order=order,
                steps=list(order.events.all()),
                relay_point_week=(
                    regular_week_in_words(order.relay_point.opening_hours, town.timezone, at=at)
                    if order.relay_point
                    else []
                ),
            )
            for order in orders
        ],
    )


@dataclass(frozen=True)
class CustomerBasket:
    """One checkout in a signed-in customer's list: its orders and the link to follow them."""

    basket_reference: str
    token: str
    placed_at: datetime
    orders: list[Order]

    @property
    def total(self) -> Decimal:
        return sum((order.total for order in self.orders), Decimal("0.00"))


def customer_baskets(town: Town, user: Any, *, limit: int = 50) -> list[CustomerBasket]:
    """The signed-in person's latest checkouts in `town`, newest first; two queries."""
    orders = (
        Order.objects.for_town(town)
        .filter(customer=user)
        .select_related("shop")
        .order_by("-created_at", "shop_id", "pk")[: limit * 5]
    )
    baskets: dict[str, list[Order]] = {}
    for order in orders:
        baskets.setdefault(order.basket_reference, []).append(order)
    result = []
    for reference, grouped in list(baskets.items())[:limit]:
        grouped.sort(key=lambda order: (order.shop_id, order.pk))
        result.append(
            CustomerBasket(
                basket_reference=reference,
                token=grouped[0].tracking_token,
                placed_at=min(order.created_at for order in grouped),
                orders=grouped,
            )
        )
    return result


# --- end of the customer side -----------------------------------------------------------------------------


# --- Personal data -------------------------------------------------------------------------------------


def customer_orders_export(user: User) -> list[dict[str, object]]:
    """The orders a person placed with their account, for the export of their personal data."""
    orders = (
        Order.objects.filter(customer=user)
        .select_related("town", "shop")
        .prefetch_related("lines")
        .order_by("created_at", "pk")
    )
    return [
        {
            "ville": order.town.name,
            "commerce": order.shop.name,
            "reference": order.reference,
            "passee_le": order.created_at.isoformat(),
            "statut": str(order.get_status_display()),
            "nom": order.customer_name,
            "contact": order.customer_contact,
            "e-mail": order.customer_email,
            "telephone": order.customer_phone,
            "retrait": str(order.get_fulfilment_display()),
            "adresse_de_livraison": order.delivery_place,
            "articles": [
                {"article": line.title, "quantite": line.quantity, "prix_unitaire": str(line.unit_price)}
                for line in order.lines.all()
            ],
            "total": str(order.total),
            "paye_par_bon_d_achat": str(order.voucher_paid),
        }
        for order in orders
    ]


# --- Checkout: what a basket may be collected and paid with ----------------------------------------------


@dataclass(frozen=True)
class ShopCheckoutOptions:
    """One shop of the basket: its articles, the ways its order may reach the customer and their free
    slots (none for a way not offered)."""

    group: ShopGroup
    methods: list[str]
    pickup_slots: list[Slot]
    delivery_windows: list[Slot]


@dataclass(frozen=True)
class CheckoutOptions:
    """What the checkout of a basket offers: each shop's ways, the town's places in service for the ways
    some shop offers, and whether the basket may be paid online."""

    shops: list[ShopCheckoutOptions]
    relay_points: list[RelayPoint]
    lockers: list[Locker]
    delivery_zones: list[DeliveryZone]
    online_payment: bool


def checkout_options(town: Town, summary: BasketSummary, *, now: datetime) -> CheckoutOptions:
    """The ways to collect and to pay offered for this basket of the town at `now`, as the checkout page and
    the API show them; the places are read only for the ways some shop offers."""
    shops = [group.shop for group in summary.shops]
    online_payment = online_payment_available(town, shops)
    methods = fulfilment.methods_for_shops(town, shops, online_payment=online_payment)
    offered = {method for shop_methods in methods.values() for method in shop_methods}
    return CheckoutOptions(
        shops=[
            ShopCheckoutOptions(
                group=group,
                methods=methods[group.shop.pk],
                pickup_slots=(
                    fulfilment.pickup_slots(group.shop, now=now)
                    if FulfilmentMethod.PICKUP in methods[group.shop.pk]
                    else []
                ),
                delivery_windows=(
                    fulfilment.delivery_windows(group.shop, now=now)
                    if FulfilmentMethod.DELIVERY in methods[group.shop.pk]
                    else []
                ),
            )
            for group in summary.shops
        ],
        relay_points=list(fulfilment.relay_points(town)) if FulfilmentMethod.RELAY in offered else [],
        lockers=list(fulfilment.lockers(town)) if FulfilmentMethod.LOCKER in offered else [],
        delivery_zones=list(fulfilment.delivery_zones(town)) if FulfilmentMethod.DELIVERY in offered else [],
        online_payment=online_payment,
    )
