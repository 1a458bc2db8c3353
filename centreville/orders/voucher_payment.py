"""Town vouchers paying a basket's orders, and given back when an order ends without a sale.

At checkout, once the stock is taken, the voucher's row is locked (after the basket, the ways and the
stock: `checkout.py`'s lock order) and spends, order by order in shop primary-key order, as much as is
left on it up to the order's total, at each shop that takes part in its programme; each spend carries the
order's reference. An order ended without a sale gives each of its spends back in the same transaction as
its step (`services.order_transition`). Balances and movements are written by `vouchers.ledger` only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from centreville.vouchers import ledger
from centreville.vouchers.codes import code_display
from centreville.vouchers.ledger import VoucherRefused
from centreville.vouchers.selectors import spends_to_give_back, voucher_at_checkout

from .models import Order

CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> int:
    return int((amount / CENT).to_integral_value())


def to_euros(cents: int) -> Decimal:
    return (Decimal(cents) * CENT).quantize(CENT)


@dataclass(frozen=True)
class VoucherUse:
    """What a voucher paid of a basket's orders (each order's part is its `voucher_paid`)."""

    code: str  # as printed: « 7K3M-QX2P-9VTA-H4RC »
    programme_name: str
    paid: Decimal
    left_on_voucher: Decimal  # what the voucher may still pay afterwards
    accepting_shop_ids: frozenset[int]  # the basket's shops taking part in its programme


def voucher_pay_orders(
    *, typed_code: str, orders: Sequence[Order], customer: Any, at: datetime
) -> VoucherUse:
    """Spend the voucher on `orders` (unsaved, in shop primary-key order, references set), each up to its
    total, at the shops taking part in its programme; sets each order's `voucher_paid`. Raises
    VoucherRefused, in French, when the code names no voucher, no shop of the basket takes it, or the
    ledger refuses a spend: the caller's transaction then writes nothing."""
    voucher = voucher_at_checkout(typed_code=typed_code, shops=[order.shop for order in orders], at=at)
    accepting = [order for order in orders if order.shop_id in voucher.accepting_shop_ids]
    if not accepting:
        raise VoucherRefused(
            _(
                "Aucun commerce de votre panier ne participe à l'opération « %(name)s » : "
                "ce bon ne peut pas payer cette commande."
            )
            % {"name": voucher.programme_name},
            code="no_shop",
        )
    if voucher.spendable_cents == 0:
        # Nothing to spend: the ledger says why (cancelled, expired, used up, programme closed) in its words.
        order = accepting[0]
        ledger.voucher_spend(
            code=voucher.code,
            shop=order.shop,
            amount_cents=max(to_cents(order.total), 1),
            at=at,
            by=customer,
            reference=order.reference,
        )
        raise AssertionError("the ledger spent a voucher with nothing spendable")
    left = voucher.spendable_cents
    for order in accepting:
        amount = min(left, to_cents(order.total))
        if amount <= 0:
            continue
        ledger.voucher_spend(
            code=voucher.code,
            shop=order.shop,
            amount_cents=amount,
            at=at,
            by=customer,
            reference=order.reference,
        )
        order.voucher_paid = to_euros(amount)
        left -= amount
    return VoucherUse(
        code=code_display(voucher.code),
        programme_name=voucher.programme_name,
        paid=to_euros(voucher.spendable_cents - left),
        left_on_voucher=to_euros(left),
        accepting_shop_ids=voucher.accepting_shop_ids,
    )


def voucher_give_back(order: Order, *, at: datetime) -> Decimal:
    """Give back to their vouchers what they paid of this order (it ended without a sale), inside the
    caller's transaction, the order locked. Safe to run twice: a spend already given back is skipped.
    Returns what was given back."""
    if order.voucher_paid <= 0:
        return Decimal("0.00")
    given = 0
    for item in spends_to_give_back(shop_id=order.shop_id, reference=order.reference):
        ledger.voucher_spend_refund(spend=item.spend, at=at, reference=order.reference)
        given += item.left_cents
    return to_euros(given)
