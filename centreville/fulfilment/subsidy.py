"""The town's delivery subsidy: how much of a delivery fee the town pays.

The town chooses a percentage of the delivery fee and, optionally, a cap per delivery
(`TownFulfilment.subsidy_percent`, `subsidy_cap`); `delivery_subsidy()` applies them to a fee, the order
keeps the result (`Order.delivery_subsidy`), and the monthly report (`selectors.subsidy_report_rows()`)
sums what the town paid.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .models import TownFulfilment

CENT = Decimal("0.01")


def delivery_subsidy(fee: Decimal, rules: TownFulfilment) -> Decimal:
    """The part of a delivery `fee` the town pays: its percentage of the fee, rounded to the cent, no more
    than its cap nor than the fee itself."""
    subsidy = (fee * rules.subsidy_percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    if rules.subsidy_cap is not None:
        subsidy = min(subsidy, rules.subsidy_cap)
    return min(subsidy, fee)
