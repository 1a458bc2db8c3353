"""Lots' quantities: taking what orders want, giving back what they no longer take.

Both lock the lots in primary-key order, so that two transactions sharing lots wait for each other instead
of deadlocking; the lots' constraint refuses a negative quantity whatever happens. Both must run inside a
transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Case, DecimalField, F, Value, When
from django.utils.translation import gettext as _

from centreville.lots.models import Lot


class LotShort(ValidationError):
    """Less is left of a lot than is wanted (someone was quicker), or the lot is gone."""

    def __init__(self, message: str, *, lot_id: int) -> None:
        super().__init__(message, code="lot_short")
        self.lot_id = lot_id


def lock_lots(lot_ids: Iterable[int]) -> dict[int, Lot]:
    """The lots, locked in primary-key order until the transaction ends (one query)."""
    return {
        lot.pk: lot
        for lot in Lot.objects.select_for_update().filter(pk__in=sorted(set(lot_ids))).order_by("pk")
    }


def lots_take(wanted: Mapping[int, Decimal], *, titles: Mapping[int, str]) -> dict[int, Lot]:
    """Take the wanted quantity of each lot (by lot primary key), all or nothing. Raises LotShort, in French,
    naming the first lot short, unpublished or gone, and changes nothing. Returns the locked lots as they
    were before the take."""
    lots = lock_lots(wanted)
    for lot_id, quantity in wanted.items():
        lot = lots.get(lot_id)
        if lot is None or not lot.is_published:
            raise LotShort(
                _("« %(title)s » n'est plus en vente.") % {"title": titles.get(lot_id, "?")}, lot_id=lot_id
            )
        if lot.quantity_available < quantity:
            left = lot.quantity_available.normalize()
            message = (
                _("« %(title)s » n'est plus disponible.") % {"title": lot.title}
                if not lot.quantity_available
                else _("« %(title)s » : il n'en reste que %(left)s.")
                % {"title": lot.title, "left": f"{left:f}"}
            )
            raise LotShort(message, lot_id=lot_id)
    _move(wanted, sign=-1)
    return lots


def lots_give_back(quantities: Mapping[int, Decimal]) -> None:
    """Put these quantities back on their lots (a refusal, a cancellation, a short delivery); lots gone
    are left alone."""
    quantities = {lot_id: quantity for lot_id, quantity in quantities.items() if quantity > 0}
    if not quantities:
        return
    lock_lots(quantities)
    _move(quantities, sign=1)


def _move(quantities: Mapping[int, Decimal], *, sign: int) -> None:
    """One UPDATE for all the lots: quantity plus (or minus) each one's."""
    moved = Case(
        *(When(pk=pk, then=Value(sign * quantity)) for pk, quantity in sorted(quantities.items())),
        output_field=DecimalField(max_digits=10, decimal_places=3),
    )
    Lot.objects.filter(pk__in=sorted(quantities)).update(quantity_available=F("quantity_available") + moved)
