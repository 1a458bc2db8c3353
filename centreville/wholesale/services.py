"""Writes of the buyers' baskets; prices and quantity rules the basket and the checkout share.

Lock order, for every write of this app: the buyer's basket, then drive points by primary key, then lots by
primary key, then orders by primary key.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from centreville.enterprises.models import Enterprise
from centreville.lots.models import Lot, LotPrice

from .models import (
    DeliveryRound,
    DrivePoint,
    OrderStatus,
    WholesaleBasket,
    WholesaleBasketLine,
    WholesaleLine,
    WholesaleOrder,
)
from .signals import wholesale_order_changed, wholesale_order_collected
from .stock import lock_lots, lots_give_back, lots_take
from .transitions import ADJUSTABLE_STATUSES, Actor, transition_rule

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference(prefix: str) -> str:
    """A short reference people can read out on the phone (no 0/O, 1/I)."""
    return prefix + "-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _n in range(8))


def buyer_price(lot: Lot, buyer: Enterprise, prices: dict[tuple[int, str], Decimal] | None = None) -> Decimal:
    """The lot's unit price excluding VAT for this buyer: its category's price, else the lot's."""
    if prices is not None:
        return prices.get((lot.pk, buyer.buyer_category), lot.unit_price)
    price = LotPrice.objects.filter(lot=lot, buyer_category=buyer.buyer_category).first()
    return price.unit_price if price is not None else lot.unit_price


def category_prices(lot_ids: list[int], buyer: Enterprise) -> dict[tuple[int, str], Decimal]:
    """The category prices of these lots for the buyer's category, in one query."""
    return {
        (lot_id, category): price
        for lot_id, category, price in LotPrice.objects.filter(
            lot_id__in=lot_ids, buyer_category=buyer.buyer_category
        ).values_list("lot_id", "buyer_category", "unit_price")
    }


def line_total(lot: Lot, quantity: Decimal, unit_price: Decimal) -> Decimal:
    """The price excluding VAT of `quantity` selling units of the lot (estimated for a variable weight)."""
    if lot.variable_weight:
        return (quantity * (lot.estimated_weight or Decimal("0")) * unit_price).quantize(Decimal("0.01"))
    return (quantity * (lot.case_size or 1) * unit_price).quantize(Decimal("0.01"))


def parse_quantity(value: object) -> Decimal:
    """A quantity typed by a buyer (« 2,5 » or « 2.5 »); ValidationError in French when it is none."""
    try:
        quantity = Decimal(str(value).strip().replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        raise ValidationError(
            _("Indiquez une quantité en chiffres, par exemple 6."), code="quantity"
        ) from None
    if not quantity.is_finite():
        raise ValidationError(_("Indiquez une quantité en chiffres, par exemple 6."), code="quantity")
    return quantity


def check_quantity(lot: Lot, quantity: Decimal) -> None:
    """Refuse, in French, a quantity below the lot's minimum or not a multiple of its step."""
    if quantity <= 0:
        raise ValidationError(_("La quantité doit être positive."), code="quantity")
    if quantity < lot.minimum_quantity:
        raise ValidationError(
            _("« %(title)s » se commande par %(minimum)s au moins.")
            % {"title": lot.title, "minimum": f"{lot.minimum_quantity.normalize():f}"},
            code="minimum",
        )
    if quantity % lot.quantity_step:
        raise ValidationError(
            _("« %(title)s » se commande par multiples de %(step)s.")
            % {"title": lot.title, "step": f"{lot.quantity_step.normalize():f}"},
            code="step",
        )


def _orderable_lot(lot_id: int, buyer: Enterprise) -> Lot:
    lot = Lot.objects.filter(pk=lot_id, is_published=True, enterprise__is_active=True).first()
    if lot is None:
        raise ValidationError(_("Ce lot n'est plus en vente."), code="lot")
    if lot.enterprise_id == buyer.pk:
        raise ValidationError(_("Une entreprise n'achète pas ses propres lots."), code="lot")
    return lot


def _locked_basket(buyer: Enterprise) -> WholesaleBasket:
    basket, _created = WholesaleBasket.objects.get_or_create(buyer=buyer)
    return WholesaleBasket.objects.select_for_update().get(pk=basket.pk)


@transaction.atomic
def basket_add(*, buyer: Enterprise, lot_id: int, quantity: Decimal, at: datetime) -> WholesaleBasketLine:
    """Add `quantity` of a lot to the buyer's basket (added to what is there already), checked against the
    lot's minimum, step and what is left; nothing changes on a refusal."""
    if not buyer.is_buyer:
        raise ValidationError(_("Cette entreprise n'achète pas en professionnel."), code="buyer")
    lot = _orderable_lot(lot_id, buyer)
    basket = _locked_basket(buyer)
    line = WholesaleBasketLine.objects.filter(basket=basket, lot=lot).first()
    total = quantity + (line.quantity if line is not None else 0)
    check_quantity(lot, total)
    if total > lot.quantity_available:
        raise ValidationError(
            _("« %(title)s » : il n'en reste que %(left)s.")
            % {"title": lot.title, "left": f"{lot.quantity_available.normalize():f}"},
            code="short",
        )
    if line is None:
        line = WholesaleBasketLine(basket=basket, lot=lot, quantity=total, added_at=at)
    line.quantity = total
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def basket_change(*, buyer: Enterprise, line_id: int, quantity: Decimal) -> WholesaleBasketLine:
    """Set a line's quantity, checked like an addition."""
    basket = _locked_basket(buyer)
    line = WholesaleBasketLine.objects.select_related("lot").filter(pk=line_id, basket=basket).first()
    if line is None:
        raise ValidationError(_("Cette ligne n'est plus dans le panier."), code="line")
    check_quantity(line.lot, quantity)
    if quantity > line.lot.quantity_available:
        raise ValidationError(
            _("« %(title)s » : il n'en reste que %(left)s.")
            % {"title": line.lot.title, "left": f"{line.lot.quantity_available.normalize():f}"},
            code="short",
        )
    line.quantity = quantity
    line.full_clean()
    line.save(update_fields=["quantity"])
    return line


@transaction.atomic
def basket_remove(*, buyer: Enterprise, line_id: int) -> None:
    basket = _locked_basket(buyer)
    WholesaleBasketLine.objects.filter(pk=line_id, basket=basket).delete()


# --- The order's steps -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineAdjustment:
    """What the producer hands over of one line: fewer units when short, the weight of a variable one."""

    line_id: int
    delivered_quantity: Decimal | None = None
    final_weight: Decimal | None = None


def _locked_order(order: WholesaleOrder) -> WholesaleOrder:
    return WholesaleOrder.objects.select_for_update().get(pk=order.pk)


def order_transition(
    *, order: WholesaleOrder, to_status: str, actor: Actor, at: datetime, reason: str = ""
) -> WholesaleOrder:
    """Move the order to `to_status` if its life allows it for this actor; ValidationError in French
    otherwise, nothing changed. A refusal or cancellation gives the quantities handed over back to their
    lots; a collection has the invoice issued once committed."""
    with transaction.atomic():
        locked = _locked_order(order)
        transition = transition_rule(locked, to_status)
        if transition is None or transition.actor is not actor:
            raise ValidationError(
                _("La commande %(reference)s est « %(status)s » : ce changement n'est pas possible.")
                % {"reference": locked.reference, "status": locked.get_status_display()},
                code="transition",
            )
        reason = " ".join(reason.split())
        if transition.needs_reason and not reason:
            raise ValidationError(_("Indiquez le motif : l'acheteur le lira."), code="reason")
        previous = locked.status
        if transition.gives_back:
            given: dict[int, Decimal] = {}
            for line in locked.lines.exclude(lot=None).order_by("lot_id"):
                assert line.lot_id is not None
                given[line.lot_id] = given.get(line.lot_id, Decimal("0")) + line.handed_quantity
            lots_give_back(given)
        locked.status = to_status
        if to_status in (OrderStatus.ACCEPTED, OrderStatus.REFUSED):
            locked.decided_at = at
        if to_status == OrderStatus.REFUSED:
            locked.refusal_reason = reason[:500]
        if to_status == OrderStatus.COLLECTED:
            locked.collected_at = at
        locked.full_clean()
        locked.save()
        transaction.on_commit(lambda: _announce_step(locked, previous, at))
    return locked


def _announce_step(order: WholesaleOrder, previous: str, at: datetime) -> None:
    wholesale_order_changed.send(sender=WholesaleOrder, order=order, previous_status=previous, at=at)
    if order.status == OrderStatus.COLLECTED and previous != OrderStatus.COLLECTED:
        wholesale_order_collected.send(sender=WholesaleOrder, order=order, at=at)


def order_adjust(*, order: WholesaleOrder, adjustments: list[LineAdjustment], at: datetime) -> WholesaleOrder:
    """Record what the producer hands over: a short delivery (at most what was ordered; the lot gets the
    difference back) and the weighed kilograms of variable-weight lines. All or nothing."""
    with transaction.atomic():
        locked = _locked_order(order)
        if locked.status not in ADJUSTABLE_STATUSES:
            raise ValidationError(
                _("La commande %(reference)s ne peut plus être ajustée.") % {"reference": locked.reference},
                code="adjust",
            )
        lines = {line.pk: line for line in locked.lines.all()}
        moved: dict[int, Decimal] = {}
        changed: list[WholesaleLine] = []
        for adjustment in adjustments:
            line = lines.get(adjustment.line_id)
            if line is None:
                raise ValidationError(_("Cette ligne n'est pas dans la commande."), code="line")
            if adjustment.delivered_quantity is not None:
                delivered = adjustment.delivered_quantity
                if delivered < 0 or delivered > line.quantity:
                    raise ValidationError(
                        _("« %(title)s » : la quantité remise va de 0 à %(ordered)s.")
                        % {"title": line.title, "ordered": f"{line.quantity.normalize():f}"},
                        code="delivered",
                    )
                if line.lot_id is not None:
                    moved[line.lot_id] = (
                        moved.get(line.lot_id, Decimal("0")) + line.handed_quantity - delivered
                    )
                line.delivered_quantity = delivered
            if adjustment.final_weight is not None:
                if not line.variable_weight:
                    raise ValidationError(
                        _("« %(title)s » n'est pas vendu au poids pesé.") % {"title": line.title},
                        code="weight",
                    )
                if adjustment.final_weight <= 0:
                    raise ValidationError(
                        _("« %(title)s » : indiquez le poids pesé en kilos.") % {"title": line.title},
                        code="weight",
                    )
                line.final_weight = adjustment.final_weight
            line.full_clean()
            changed.append(line)
        lock_lots(moved)  # all at once, by primary key, before any of them moves
        given_back = {lot_id: quantity for lot_id, quantity in moved.items() if quantity > 0}
        taken_again = {lot_id: -quantity for lot_id, quantity in moved.items() if quantity < 0}
        if taken_again:  # the producer found some after all: it comes off the lot again, never below zero
            lots_take(taken_again, titles={line.lot_id or 0: line.title for line in lines.values()})
        lots_give_back(given_back)
        WholesaleLine.objects.bulk_update(changed, ["delivered_quantity", "final_weight"])
        transaction.on_commit(lambda: _announce_step(locked, locked.status, at))
    return locked


# --- A producer's rounds and drive points -----------------------------------------------------------------


@transaction.atomic
def delivery_round_create(
    *,
    producer: Enterprise,
    name: str,
    weekdays: list[int],
    cutoff_days_before: int,
    cutoff_time: time,
    postcodes: list[str],
    minimum_order: Decimal,
    delivery_window: str = "",
) -> DeliveryRound:
    """A new round of the producer; ValidationError in French, nothing written, when it cannot run."""
    if not weekdays or any(day not in range(1, 8) for day in weekdays):
        raise ValidationError({"weekdays": _("Cochez au moins un jour de tournée.")})
    bad = [code for code in postcodes if not (len(code) == 5 and code.isdigit())]
    if not postcodes or bad:
        raise ValidationError(
            {"postcodes": _("Indiquez des codes postaux à 5 chiffres, séparés par des virgules.")}
        )
    delivery_round = DeliveryRound(
        enterprise=producer,
        name=" ".join(name.split()),
        weekdays=sorted(set(weekdays)),
        cutoff_days_before=cutoff_days_before,
        cutoff_time=cutoff_time,
        postcodes=sorted(set(postcodes)),
        minimum_order=minimum_order,
        delivery_window=delivery_window.strip(),
    )
    delivery_round.full_clean()
    delivery_round.save()
    return delivery_round


@transaction.atomic
def delivery_round_stop(*, producer: Enterprise, round_id: int) -> None:
    """The round is offered no more (orders already placed on it keep it)."""
    DeliveryRound.objects.filter(pk=round_id, enterprise=producer).update(is_active=False)


@transaction.atomic
def drive_point_join(*, producer: Enterprise, drive_id: int) -> DrivePoint:
    drive = DrivePoint.objects.filter(pk=drive_id, is_active=True).first()
    if drive is None:
        raise ValidationError(_("Ce drive n'existe plus."), code="drive")
    drive.producers.add(producer)
    return drive


@transaction.atomic
def drive_point_leave(*, producer: Enterprise, drive_id: int) -> None:
    """Buyers can no longer choose the drive for this producer; orders already placed there stay."""
    drive = DrivePoint.objects.filter(pk=drive_id).first()
    if drive is not None:
        drive.producers.remove(producer)
