"""Spending a voucher at the counter, once per form: a double tap or a form sent again on a slow connection
never spends twice.

The counter's form carries the newest movement's id when it was shown (`selectors.counter_mark`). A spend of
the same voucher at the same shop, by the same person, of the same amount, with a greater id, was made by
that very form: the second sending is answered with it instead of a new spend. The check waits on the
voucher's lock, so two sendings at the same instant are seen one after the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F

from centreville.shops.models import Shop

from . import ledger
from .codes import code_read
from .models import Movement, MovementKind, Voucher


@dataclass(frozen=True)
class CounterResult:
    movement: Movement
    repeated: bool  # the form had already been sent: nothing more was spent


def counter_spend(
    *, code: str, shop: Shop, amount_cents: int, at: datetime, by: Any, form_mark: int
) -> CounterResult:
    """Spend through `ledger.voucher_spend`, unless this form (`form_mark`) already did; raises
    `ledger.VoucherRefused` (nothing written) with the French reason."""
    read = code_read(code)
    with transaction.atomic():
        if read is not None:
            # The same lock the spend takes (and in the same order: the voucher alone), taken first so that
            # a second sending of this form waits for the first one and then sees its spend.
            voucher_id = (
                Voucher.objects.select_for_update().filter(code=read).values_list("pk", flat=True).first()
            )
            earlier = (
                None if voucher_id is None else _spent_by_form(voucher_id, shop, by, amount_cents, form_mark)
            )
            if earlier is not None:
                return CounterResult(movement=earlier, repeated=True)
        movement = ledger.voucher_spend(code=code, shop=shop, amount_cents=amount_cents, at=at, by=by)
        return CounterResult(movement=movement, repeated=False)


def _spent_by_form(
    voucher_id: int, shop: Shop, by: Any, amount_cents: int, form_mark: int
) -> Movement | None:
    return (
        Movement.objects.filter(
            voucher_id=voucher_id, shop=shop, kind=MovementKind.SPEND, by=by, pk__gt=form_mark
        )
        .annotate(amount=F("paid_cents") + F("town_cents"))
        .filter(amount=-amount_cents)
        .order_by("pk")
        .first()
    )
