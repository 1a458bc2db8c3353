"""Reads of the vouchers for pages: plain data. One section per audience."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Sum
from django.utils.translation import gettext as _

from centreville.shops.models import Shop

from .codes import code_read
from .ledger import VoucherRefused, spendable
from .models import Movement, MovementKind, Participation, Voucher

# --- Checkout ---


@dataclass(frozen=True)
class VoucherAtCheckout:
    """A voucher about to pay a basket's orders: what it may pay now, which of the basket's shops take it."""

    code: str
    programme_name: str
    spendable_cents: int
    accepting_shop_ids: frozenset[int]


def voucher_at_checkout(*, typed_code: str, shops: Iterable[Shop], at: datetime) -> VoucherAtCheckout:
    """The voucher a customer's typed code names, its row locked until the caller's transaction ends (the
    checkout spends it next, `ledger.voucher_spend`); raises VoucherRefused in French when the code names
    none. A shop takes it when it takes part in the programme, as `ledger.voucher_spend` checks."""
    code = code_read(typed_code)
    if code is None:
        raise VoucherRefused(
            _("Ce code n'est pas celui d'un bon : vérifiez chaque caractère."), code="malformed"
        )
    voucher = Voucher.objects.select_for_update().select_related("programme").filter(code=code).first()
    if voucher is None:
        raise VoucherRefused(_("Aucun bon ne porte ce code : vérifiez-le."), code="unknown")
    programme = voucher.programme
    by_pk = {shop.pk: shop for shop in shops}
    participating = Participation.objects.filter(
        programme=programme, shop_id__in=list(by_pk), is_active=True
    ).values_list("shop_id", flat=True)
    accepting = frozenset(
        shop_id for shop_id in participating if not programme.chains_excluded or by_pk[shop_id].is_independent
    )
    paid, town = spendable(voucher, at=at)
    return VoucherAtCheckout(
        code=code,
        programme_name=programme.name,
        spendable_cents=paid + town,
        accepting_shop_ids=accepting,
    )


@dataclass(frozen=True)
class SpendLeft:
    spend: Movement
    left_cents: int  # what is not given back yet


def spends_to_give_back(*, shop_id: int, reference: str) -> list[SpendLeft]:
    """The spends made at a shop under a reference (an order's) that still have something to give back,
    oldest first."""
    spends = (
        Movement.objects.filter(kind=MovementKind.SPEND, shop_id=shop_id, reference=reference)
        .annotate(given_back=Sum("refunds__paid_cents", default=0) + Sum("refunds__town_cents", default=0))
        .order_by("at", "pk")
    )
    left = [SpendLeft(spend=spend, left_cents=-spend.amount_cents - spend.given_back) for spend in spends]
    return [item for item in left if item.left_cents > 0]
