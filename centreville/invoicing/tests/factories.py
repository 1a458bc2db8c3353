"""Collected orders ready to invoice, and their invoices."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from centreville.enterprises.models import Enterprise
from centreville.enterprises.tests.factories import BuyerFactory, EnterpriseFactory
from centreville.invoicing.models import Invoice
from centreville.invoicing.services import invoice_issue_for_order
from centreville.wholesale.models import OrderStatus, WholesaleOrder
from centreville.wholesale.tests.factories import WholesaleLineFactory, WholesaleOrderFactory

# Friday 11 December 2026, 17:00 in Paris: the order is handed over at the farm.
COLLECTED_AT = datetime(2026, 12, 11, 16, 0, tzinfo=UTC)


def collected_order(
    *,
    producer: Enterprise | None = None,
    buyer: Enterprise | None = None,
    lines: list[dict[str, Any]] | None = None,
) -> WholesaleOrder:
    """A collected order with its lines (each a dict of WholesaleLineFactory's fields); by default 10 kg of
    carrots at 1.20 € excl. VAT."""
    order = WholesaleOrderFactory.create(
        producer=producer or EnterpriseFactory.create(),
        buyer=buyer or BuyerFactory.create(),
        status=OrderStatus.COLLECTED,
        collected_at=COLLECTED_AT,
    )
    for fields in lines if lines is not None else [{}]:
        WholesaleLineFactory.create(order=order, **fields)
    return order


def issued_invoice(**kwargs: Any) -> Invoice:
    invoice = invoice_issue_for_order(order=collected_order(**kwargs), at=COLLECTED_AT)
    assert invoice is not None
    return invoice


def kg(value: str) -> Decimal:
    return Decimal(value)
