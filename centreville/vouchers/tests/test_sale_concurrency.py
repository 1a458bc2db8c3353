"""Two deliveries of "paid" for one sale at once (two events the provider sent under different ids, each in
its own request) issue its vouchers once (PostgreSQL: real concurrent transactions, each in its thread)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from centreville.payments.models import Payment, PaymentStatus
from centreville.payments.providers import EventType, ProviderEvent
from centreville.payments.services import payment_record_event
from centreville.vouchers import sales
from centreville.vouchers.models import Sale, SaleStatus, Voucher
from centreville.vouchers.tests.factories import ProgrammeFactory

from .conftest import AT

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and concurrent transactions"
)
pytestmark = [pytest.mark.postgresql, needs_postgresql, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_paid_events_for_one_sale_issue_its_vouchers_once() -> None:
    programme = ProgrammeFactory.create()
    assert programme.town is not None
    sale = sales.sale_start(
        town=programme.town,
        programme=programme,
        buyer=sales.Buyer(kind="person", name="Camille", email="camille@example.org", postcode="61200"),
        face_value_cents=2000,
        count=3,
        at=AT,
        return_url="http://testserver/r/",
        cancel_url="http://testserver/c/",
    )
    payment = Payment.objects.get(voucher_sale=sale)
    start = threading.Barrier(2)

    def deliver(number: int) -> bool:
        event = ProviderEvent(
            id=f"evt_paid_{number}",
            type=EventType.SUCCEEDED,
            provider_reference=payment.provider_reference,
            amount=payment.amount,
            created=AT,
            currency="eur",
        )
        try:
            start.wait()
            return payment_record_event(provider_name="fake", event=event)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(deliver, range(2)))

    assert answers == [True, True]  # two events, each recorded
    sale.refresh_from_db()
    assert sale.status == SaleStatus.PAID
    assert Voucher.objects.filter(origin=sale.reference).count() == 3
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PAID
    assert Sale.objects.count() == 1
