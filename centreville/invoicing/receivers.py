"""The invoicing app's reactions to the exchange's orders (see ARCHITECTURE.md, « When a lower app must make
a higher one react »)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.dispatch import receiver

from centreville.wholesale.models import WholesaleOrder
from centreville.wholesale.signals import wholesale_order_collected

from .services import invoice_document_store_later, invoice_issue_for_order


@receiver(wholesale_order_collected, dispatch_uid="invoicing_invoice_collected_order")
def invoice_collected_order(sender: Any, *, order: WholesaleOrder, at: datetime, **kwargs: Any) -> None:
    invoice = invoice_issue_for_order(order=order, at=at)
    if invoice is not None:
        invoice_document_store_later(invoice)
