"""An invoice's figures from an order's lines: pure arithmetic, the one place it is done.

Each line's amount excluding VAT is rounded half-up to the cent; a rate's base is the sum of its lines'
amounts (so it equals them to the cent), its VAT is computed on that base and rounded half-up once; the
total including VAT is the bases plus the VATs. This is what EN 16931 checks (BR-CO-10, BR-S-08, BR-CO-15).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext

CENT = Decimal("0.01")
GRAM = Decimal("0.001")


def to_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class OrderedLine:
    """What an order line says, whatever its model: `quantity` counts selling units (cases when
    `case_size` is set, pieces for a variable-weight line), `unit_price` is per base unit (per kg for a
    variable-weight line)."""

    title: str
    unit: str
    quantity: Decimal
    delivered_quantity: Decimal | None
    case_size: Decimal | None
    unit_price: Decimal
    vat_rate: Decimal
    variable_weight: bool = False
    estimated_weight: Decimal | None = None  # kg per piece
    final_weight: Decimal | None = None  # kg weighed, all pieces together
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class BilledLine:
    title: str
    detail: str
    quantity: Decimal  # base units
    unit: str
    unit_price: Decimal
    vat_rate: Decimal
    amount: Decimal
    labels: tuple[str, ...]


@dataclass(frozen=True)
class RateTotal:
    rate: Decimal
    base: Decimal
    vat: Decimal


@dataclass(frozen=True)
class Totals:
    lines: tuple[BilledLine, ...]
    rates: tuple[RateTotal, ...]
    excl_vat: Decimal
    vat: Decimal
    incl_vat: Decimal


def _number(value: Decimal) -> str:
    """« 7,35 »: French decimals, no trailing zeros."""
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def billed_line(line: OrderedLine) -> BilledLine | None:
    """The line as invoiced, or None when nothing was handed over."""
    handed_over = line.quantity if line.delivered_quantity is None else line.delivered_quantity
    if handed_over <= 0:
        return None
    detail = ""
    if line.variable_weight:
        estimate = handed_over * line.estimated_weight if line.estimated_weight is not None else None
        weight = line.final_weight if line.final_weight is not None else estimate
        if weight is None or weight <= 0:
            return None
        quantity, unit = weight.quantize(GRAM), "kg"
        if estimate is not None and line.final_weight is not None:
            detail = gettext("%(pieces)s pièce(s), poids estimé %(estimate)s kg, pesé %(weight)s kg") % {
                "pieces": _number(handed_over),
                "estimate": _number(estimate),
                "weight": _number(weight),
            }
        elif estimate is not None:
            detail = gettext("%(pieces)s pièce(s), poids estimé %(estimate)s kg (non pesé)") % {
                "pieces": _number(handed_over),
                "estimate": _number(estimate),
            }
    else:
        quantity, unit = handed_over * (line.case_size or 1), line.unit
        if line.case_size:
            detail = gettext("%(cases)s colis de %(size)s %(unit)s") % {
                "cases": _number(handed_over),
                "size": _number(line.case_size),
                "unit": line.unit,
            }
        if line.delivered_quantity is not None and line.delivered_quantity < line.quantity:
            ordered = gettext("commandé %(quantity)s") % {"quantity": _number(line.quantity)}
            detail = ", ".join(filter(None, [detail, ordered]))
    return BilledLine(
        title=line.title,
        detail=detail,
        quantity=quantity,
        unit=unit,
        unit_price=line.unit_price,
        vat_rate=line.vat_rate,
        amount=to_cents(quantity * line.unit_price),
        labels=line.labels,
    )


def invoice_totals(lines: list[OrderedLine], *, charges_vat: bool) -> Totals:
    """The billed lines and their totals; a seller that charges no VAT bills every line at 0 %."""
    billed = []
    for line in lines:
        one = billed_line(line)
        if one is None:
            continue
        if not charges_vat:
            one = BilledLine(**{**one.__dict__, "vat_rate": Decimal("0")})
        billed.append(one)
    bases: dict[Decimal, Decimal] = defaultdict(Decimal)
    for one in billed:
        bases[one.vat_rate] += one.amount
    rates = tuple(
        RateTotal(rate=rate, base=base, vat=to_cents(base * rate / 100))
        for rate, base in sorted(bases.items())
    )
    excl_vat = sum((rate.base for rate in rates), Decimal("0.00"))
    vat = sum((rate.vat for rate in rates), Decimal("0.00"))
    return Totals(lines=tuple(billed), rates=rates, excl_vat=excl_vat, vat=vat, incl_vat=excl_vat + vat)
