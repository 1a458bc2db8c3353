"""Reads of the wholesale pages: a buyer's basket and orders, a producer's orders and pick lists."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, F, Prefetch, Q, QuerySet, Value, When

from centreville.enterprises.models import Enterprise
from centreville.lots.models import Lot

from .handover import PARIS, Offer, hand_over_offers
from .models import (
    DrivePoint,
    OrderStatus,
    StandingOrder,
    WholesaleBasketLine,
    WholesaleLine,
    WholesaleOrder,
)
from .services import category_prices, line_total

# Orders that are still to be prepared (a pick list leaves out the others).
TO_PREPARE = (OrderStatus.PLACED, OrderStatus.ACCEPTED, OrderStatus.READY)


@dataclass
class BasketRow:
    line: WholesaleBasketLine
    unit_price: Decimal
    total: Decimal


@dataclass
class ProducerPart:
    producer: Enterprise
    rows: list[BasketRow] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((row.total for row in self.rows), Decimal("0.00"))


def basket_parts(buyer: Enterprise, *, at: datetime) -> list[ProducerPart]:
    """The buyer's basket by producer (primary-key order), each line priced for the buyer, with the
    hand-overs each producer offers at `at`."""
    lines = list(
        WholesaleBasketLine.objects.filter(basket__buyer=buyer)
        .select_related("lot__enterprise")
        .order_by("lot__enterprise_id", "pk")
    )
    prices = category_prices([line.lot_id for line in lines], buyer)
    parts: dict[int, ProducerPart] = {}
    for line in lines:
        part = parts.setdefault(line.lot.enterprise_id, ProducerPart(line.lot.enterprise))
        price = prices.get((line.lot_id, buyer.buyer_category), line.lot.unit_price)
        part.rows.append(BasketRow(line, price, line_total(line.lot, line.quantity, price)))
    for part in parts.values():
        part.offers = hand_over_offers(part.producer, at=at)
    return list(parts.values())


def _with_lines(orders: QuerySet[WholesaleOrder]) -> QuerySet[WholesaleOrder]:
    return orders.select_related(
        "buyer", "producer", "pickup_place", "drive_point", "delivery_round"
    ).prefetch_related(Prefetch("lines", queryset=WholesaleLine.objects.order_by("pk")))


def buyer_orders(buyer: Enterprise) -> list[tuple[str, list[WholesaleOrder]]]:
    """The buyer's orders, newest first, by checkout group."""
    groups: dict[str, list[WholesaleOrder]] = {}
    for order in _with_lines(WholesaleOrder.objects.filter(buyer=buyer)).order_by(
        "-placed_at", "producer_id"
    )[:200]:
        groups.setdefault(order.group_reference, []).append(order)
    return list(groups.items())


PRODUCER_ORDERS_PAGE_SIZE = 50


def producer_orders(
    producer: Enterprise, *, status: str = "", page_number: int | str = 1
) -> Page[WholesaleOrder]:
    """One page of the producer's own orders: those still to prepare first, the soonest hand-over first,
    then the others (collected, refused, cancelled), the latest hand-over first."""
    orders = WholesaleOrder.objects.filter(producer=producer)
    if status:
        orders = orders.filter(status=status)
    is_open = Q(status__in=TO_PREPARE)
    ordered = _with_lines(orders).order_by(
        Case(When(is_open, then=Value(0)), default=Value(1)),
        # Only open orders have this key; closed ones tie on it and fall to the next one.
        Case(When(is_open, then=F("hand_over_at"))).asc(),
        F("hand_over_at").desc(),
        "-pk",
    )
    return Paginator(ordered, PRODUCER_ORDERS_PAGE_SIZE).get_page(page_number)


def order_of(
    *, reference: str, buyer: Enterprise | None = None, producer: Enterprise | None = None
) -> WholesaleOrder | None:
    orders = WholesaleOrder.objects.filter(reference=reference)
    if buyer is not None:
        orders = orders.filter(buyer=buyer)
    if producer is not None:
        orders = orders.filter(producer=producer)
    return _with_lines(orders).first()


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=PARIS)
    return start.astimezone(UTC), datetime.combine(day + timedelta(days=1), time(0), tzinfo=PARIS).astimezone(
        UTC
    )


@dataclass
class PickRow:
    title: str
    unit: str
    case_size: Decimal | None
    quantity: Decimal
    orders: int


@dataclass
class PickGroup:
    name: str
    rows: list[PickRow]
    buyers: list[str]


def _consolidate(lines: list[WholesaleLine]) -> list[PickRow]:
    rows: dict[tuple[int | None, str], PickRow] = {}
    for line in lines:
        key = (line.lot_id, line.title)
        row = rows.setdefault(
            key, PickRow(line.title, line.get_unit_display(), line.case_size, Decimal("0"), 0)
        )
        row.quantity += line.handed_quantity
        row.orders += 1
    return sorted(rows.values(), key=lambda row: row.title)


def _day_lines(day: date) -> QuerySet[WholesaleLine]:
    start, end = _day_bounds(day)
    return WholesaleLine.objects.filter(
        order__hand_over_at__gte=start, order__hand_over_at__lt=end, order__status__in=TO_PREPARE
    ).select_related(
        "order__buyer",
        "order__producer",
        "order__pickup_place",
        "order__drive_point",
        "order__delivery_round",
    )


def pick_list(producer: Enterprise, day: date) -> list[PickGroup]:
    """What the producer prepares for `day` (Paris), consolidated per lot, by place of hand-over."""
    groups: dict[str, tuple[list[WholesaleLine], set[str]]] = defaultdict(lambda: ([], set()))
    for line in _day_lines(day).filter(order__producer=producer).order_by("order__hand_over_at", "pk"):
        lines, buyers = groups[line.order.place_name]
        lines.append(line)
        buyers.add(line.order.buyer.name)
    return [PickGroup(name, _consolidate(lines), sorted(buyers)) for name, (lines, buyers) in groups.items()]


def drive_pick_list(drive: DrivePoint, day: date) -> list[PickGroup]:
    """What every producer of the drive point brings there on `day`, consolidated per lot, by producer."""
    groups: dict[str, tuple[list[WholesaleLine], set[str]]] = defaultdict(lambda: ([], set()))
    for line in _day_lines(day).filter(order__drive_point=drive).order_by("order__producer__name", "pk"):
        lines, buyers = groups[line.order.producer.name]
        lines.append(line)
        buyers.add(line.order.buyer.name)
    return [PickGroup(name, _consolidate(lines), sorted(buyers)) for name, (lines, buyers) in groups.items()]


def buyer_standing_orders(buyer: Enterprise) -> list[StandingOrder]:
    return list(
        StandingOrder.objects.filter(buyer=buyer)
        .select_related("producer", "pickup_place", "drive_point", "delivery_round")
        .prefetch_related("lines__lot")
        .order_by("-is_active", "weekday", "pk")
    )


def orderable_lot(lot_id: int) -> Lot | None:
    return Lot.objects.filter(pk=lot_id, is_published=True).select_related("enterprise").first()


def person_buyers(user: Any) -> list[Enterprise]:
    """The active buyer enterprises `user` acts for, by name."""
    return list(
        Enterprise.objects.filter(members__user=user, is_buyer=True, is_active=True).order_by("name", "pk")
    )
