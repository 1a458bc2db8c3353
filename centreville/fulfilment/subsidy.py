"""The town's delivery subsidy: how much of a delivery the town pays, and the monthly report of what it paid.

The town chooses a percentage of the delivery fee and, optionally, a cap per delivery
(`TownFulfilment.subsidy_percent`, `subsidy_cap`); `delivery_subsidy()` applies them to a fee, and the
order keeps the result (`Order.delivery_subsidy`), which the report sums month by month.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.utils import formats
from django.utils.translation import gettext as _

from centreville.core.spreadsheets import spreadsheet_amount, spreadsheet_text, spreadsheet_writer
from centreville.orders.models import OrderEvent, OrderStatus
from centreville.shops.hours import midnight
from centreville.towns.models import Town

from .models import FulfilmentMethod, TownFulfilment

CENT = Decimal("0.01")


def delivery_subsidy(fee: Decimal, rules: TownFulfilment) -> Decimal:
    """The part of a delivery `fee` the town pays: its percentage of the fee, rounded to the cent, no more
    than its cap nor than the fee itself."""
    subsidy = (fee * rules.subsidy_percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    if rules.subsidy_cap is not None:
        subsidy = min(subsidy, rules.subsidy_cap)
    return min(subsidy, fee)


# --- Monthly subsidy report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubsidyRow:
    delivered_at: datetime  # when the order was marked collected, in the town's time zone
    reference: str
    shop_name: str
    postcode: str
    zone_name: str
    fee: Decimal
    subsidy: Decimal

    @property
    def customer_paid(self) -> Decimal:
        return self.fee - self.subsidy


@dataclass(frozen=True)
class SubsidyTotals:
    deliveries: int
    fee: Decimal
    subsidy: Decimal
    customer_paid: Decimal


def month_bounds(town: Town, year: int, month: int) -> tuple[datetime, datetime]:
    """The first instant of the month and of the next one, in the town's time zone."""
    tz = ZoneInfo(town.timezone)
    first = datetime(year, month, 1).date()
    following = datetime(year + month // 12, month % 12 + 1, 1).date()
    return midnight(first, tz), midnight(following, tz)


def subsidy_report_rows(*, town: Town, year: int, month: int) -> list[SubsidyRow]:
    """The town's delivered orders of the month (by the day they were marked collected), oldest first."""
    start, end = month_bounds(town, year, month)
    tz = ZoneInfo(town.timezone)
    events = (
        OrderEvent.objects.filter(
            to_status=OrderStatus.COLLECTED,
            created_at__gte=start,
            created_at__lt=end,
            order__town=town,
            order__fulfilment=FulfilmentMethod.DELIVERY,
            order__status=OrderStatus.COLLECTED,
        )
        .select_related("order__shop", "order__delivery_zone")
        .order_by("created_at", "pk")
    )
    rows: list[SubsidyRow] = []
    seen: set[int] = set()
    for event in events:
        order = event.order
        if order.pk in seen:
            continue
        seen.add(order.pk)
        rows.append(
            SubsidyRow(
                delivered_at=event.created_at.astimezone(tz),
                reference=order.reference,
                shop_name=order.shop.name,
                postcode=order.delivery_postcode,
                zone_name=order.delivery_zone.name if order.delivery_zone else "",
                fee=order.delivery_fee,
                subsidy=order.delivery_subsidy,
            )
        )
    return rows


def subsidy_totals(rows: Sequence[SubsidyRow]) -> SubsidyTotals:
    return SubsidyTotals(
        deliveries=len(rows),
        fee=sum((row.fee for row in rows), Decimal("0.00")),
        subsidy=sum((row.subsidy for row in rows), Decimal("0.00")),
        customer_paid=sum((row.customer_paid for row in rows), Decimal("0.00")),
    )


def subsidy_report_csv(*, town: Town, year: int, month: int) -> str:
    """The monthly report as CSV for French spreadsheets: `;` between columns, a BOM for UTF-8, a total."""
    rows = subsidy_report_rows(town=town, year=year, month=month)
    totals = subsidy_totals(rows)
    out = io.StringIO()
    writer = spreadsheet_writer(out)
    writer.writerow(
        [
            _("Date"),
            _("Référence"),
            _("Commerce"),
            _("Code postal"),
            _("Zone"),
            _("Frais de livraison (€)"),
            _("Aide de la ville (€)"),
            _("Payé par le client (€)"),
        ]
    )
    for row in rows:
        writer.writerow(
            [
                formats.date_format(row.delivered_at, "d/m/Y"),
                row.reference,
                spreadsheet_text(row.shop_name),
                row.postcode,
                spreadsheet_text(row.zone_name),
                spreadsheet_amount(row.fee),
                spreadsheet_amount(row.subsidy),
                spreadsheet_amount(row.customer_paid),
            ]
        )
    writer.writerow(
        [
            _("Total"),
            _("Livraisons : %(count)s") % {"count": totals.deliveries},
            "",
            "",
            "",
            spreadsheet_amount(totals.fee),
            spreadsheet_amount(totals.subsidy),
            spreadsheet_amount(totals.customer_paid),
        ]
    )
    return out.getvalue()
