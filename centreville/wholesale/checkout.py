"""A buyer's checkout: one order per producer under one group reference, each with its hand-over, all or
nothing.

It runs in steps, in the order they lock rows: the buyer's basket; the drive points chosen, by primary key
(a slot is counted under its drive point's lock); the lots, by primary key (taken all at once, never below
zero). Two checkouts sharing drive points or lots therefore wait for each other and never deadlock. On any
refusal (a ValidationError in French naming the producer or the lot) nothing is written and the basket
stays as it is. Standing orders place their week's order through the same `place_orders`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from centreville.accounts.models import User
from centreville.enterprises.models import Enterprise
from centreville.lots.models import Lot

from .handover import HandOverChoice, check_hand_over
from .models import (
    DrivePoint,
    HandOver,
    StandingOrder,
    WholesaleBasket,
    WholesaleBasketLine,
    WholesaleLine,
    WholesaleOrder,
)
from .services import category_prices, check_quantity, line_total, new_reference
from .signals import wholesale_order_changed
from .stock import lots_take


@dataclass(frozen=True)
class Delivery:
    """Where a round delivers the buyer (its enterprise's delivery address unless the buyer says)."""

    address: str = ""
    postcode: str = ""
    city: str = ""

    @classmethod
    def of(cls, buyer: Enterprise) -> Delivery:
        return cls(
            address=buyer.delivery_address or buyer.street_address,
            postcode=buyer.delivery_postcode or buyer.postcode,
            city=buyer.delivery_city or buyer.city,
        )


def checkout(
    *,
    buyer: Enterprise,
    choices: Mapping[int, HandOverChoice],
    at: datetime,
    placed_by: User | None = None,
    delivery: Delivery | None = None,
    buyer_note: str = "",
) -> list[WholesaleOrder]:
    """Turn the buyer's basket into one placed order per producer (in producer primary-key order), sharing
    one group reference, and empty the basket. `choices` maps each producer's primary key to its hand-over."""
    with transaction.atomic():
        basket = WholesaleBasket.objects.select_for_update().filter(buyer=buyer).first()
        lines = list(WholesaleBasketLine.objects.filter(basket=basket).order_by("lot_id")) if basket else []
        if not lines:
            raise ValidationError(_("Le panier est vide."), code="empty")
        orders = place_orders(
            buyer=buyer,
            wanted=[(line.lot_id, line.quantity) for line in lines],
            choices=choices,
            at=at,
            placed_by=placed_by,
            delivery=delivery,
            buyer_note=buyer_note,
        )
        WholesaleBasketLine.objects.filter(basket=basket).delete()
    return orders


def place_orders(
    *,
    buyer: Enterprise,
    wanted: Sequence[tuple[int, Decimal]],
    choices: Mapping[int, HandOverChoice],
    at: datetime,
    placed_by: User | None = None,
    delivery: Delivery | None = None,
    buyer_note: str = "",
    standing_order: StandingOrder | None = None,
) -> list[WholesaleOrder]:
    """Place one order per producer of the wanted lots (lot primary key, quantity), all or nothing; the
    caller holds the basket's lock if there is one."""
    delivery = delivery or Delivery.of(buyer)
    with transaction.atomic():
        lots = {
            lot.pk: lot
            for lot in Lot.objects.select_related("enterprise").filter(pk__in=[w[0] for w in wanted])
        }
        if len(lots) < len({lot_id for lot_id, _q in wanted}):
            raise ValidationError(_("Un lot de la commande n'est plus en vente."), code="lot")
        quantities: dict[int, Decimal] = {}
        for lot_id, quantity in wanted:
            quantities[lot_id] = quantities.get(lot_id, Decimal("0")) + quantity
        for lot_id, quantity in quantities.items():
            check_quantity(lots[lot_id], quantity)
        prices = category_prices(list(quantities), buyer)
        by_producer: dict[int, list[int]] = {}
        for lot_id in sorted(quantities):
            by_producer.setdefault(lots[lot_id].enterprise_id, []).append(lot_id)
        producers = {lot.enterprise_id: lot.enterprise for lot in lots.values()}
        _lock_drive_points(choices, sorted(by_producer))
        hand_overs: dict[int, dict[str, Any]] = {}
        for producer_id in sorted(by_producer):
            producer = producers[producer_id]
            if not (producer.is_active and producer.is_producer):
                raise ValidationError(
                    _("%(producer)s ne prend plus de commandes.") % {"producer": producer.name},
                    code="producer",
                )
            choice = choices.get(producer_id)
            if choice is None:
                raise ValidationError(
                    _("Choisissez comment recevoir la commande de %(producer)s.")
                    % {"producer": producer.name},
                    code="hand_over",
                )
            total = sum(
                (line_total(lots[lot_id], quantities[lot_id], _price(lots[lot_id], buyer, prices))
                 for lot_id in by_producer[producer_id]),
                Decimal("0"),
            )  # fmt: skip
            hand_overs[producer_id] = check_hand_over(
                choice,
                producer=producer,
                at=at,
                items_total=total,
                delivery_postcode=delivery.postcode,
                delivery_address=delivery.address,
                delivery_city=delivery.city,
            ).fields
        locked = lots_take(quantities, titles={lot_id: lot.title for lot_id, lot in lots.items()})
        group_reference = new_reference("G")
        orders: list[WholesaleOrder] = []
        for producer_id in sorted(by_producer):
            order = WholesaleOrder(
                reference=new_reference("PRO"),
                group_reference=group_reference,
                buyer=buyer,
                producer=producers[producer_id],
                placed_by=placed_by,
                buyer_note=buyer_note[:500],
                standing_order=standing_order,
                placed_at=at,
                **hand_overs[producer_id],
            )
            order.full_clean()
            order.save()
            lines = []
            for lot_id in by_producer[producer_id]:
                lot = locked[lot_id]
                if lot.enterprise_id != producer_id:  # moved to another producer meanwhile
                    raise ValidationError(_("« %(title)s » n'est plus en vente.") % {"title": lot.title})
                line = WholesaleLine(
                    order=order,
                    lot=lot,
                    title=lot.title,
                    unit=lot.unit,
                    case_size=lot.case_size,
                    quantity=quantities[lot_id],
                    unit_price=_price(lot, buyer, prices),
                    vat_rate=lot.vat_rate,
                    variable_weight=lot.variable_weight,
                    estimated_weight=lot.estimated_weight,
                    labels=list(lot.labels),
                )
                line.full_clean(exclude=["order"])
                lines.append(line)
            WholesaleLine.objects.bulk_create(lines)
            orders.append(order)
        transaction.on_commit(lambda: _announce(orders, at))
    return orders


def _price(lot: Lot, buyer: Enterprise, prices: dict[tuple[int, str], Decimal]) -> Decimal:
    return prices.get((lot.pk, buyer.buyer_category), lot.unit_price)


def _lock_drive_points(choices: Mapping[int, HandOverChoice], producer_ids: list[int]) -> None:
    """Lock the drive points chosen, by primary key: their slots are counted under these locks."""
    drive_ids = sorted(
        {choices[pk].place_id for pk in producer_ids if pk in choices and choices[pk].kind == HandOver.DRIVE}
    )
    if drive_ids:
        list(DrivePoint.objects.select_for_update().filter(pk__in=drive_ids).order_by("pk"))


def _announce(orders: list[WholesaleOrder], at: datetime) -> None:
    for order in orders:
        wholesale_order_changed.send(sender=WholesaleOrder, order=order, previous_status="", at=at)
