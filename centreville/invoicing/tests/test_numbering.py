"""Invoice numbers: one gapless chronological series per seller, kind and year, even under concurrency."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from centreville.enterprises.tests.factories import BuyerFactory, EnterpriseFactory
from centreville.invoicing.models import Invoice, NumberSequence, SequenceKind
from centreville.invoicing.services import credit_note_issue, invoice_issue_for_order, number_take
from centreville.invoicing.tests.factories import COLLECTED_AT, collected_order, issued_invoice


@pytest.mark.django_db
def test_each_seller_has_its_own_series_and_each_year_starts_again_at_one() -> None:
    first, second = EnterpriseFactory.create(), EnterpriseFactory.create()

    numbers = [issued_invoice(producer=first).number, issued_invoice(producer=second).number]
    numbers.append(issued_invoice(producer=first).number)
    order = collected_order(producer=first)
    new_year = invoice_issue_for_order(order=order, at=datetime(2027, 1, 4, 9, 0, tzinfo=UTC))

    assert numbers == ["F2026-000001", "F2026-000001", "F2026-000002"]
    assert new_year is not None
    assert new_year.number == "F2027-000001"
    credit_note = credit_note_issue(
        invoice=new_year, reason="Doublon", at=datetime(2027, 1, 4, 10, 0, tzinfo=UTC)
    )
    assert credit_note.number == "A2027-000001"  # credit notes keep their own series


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_invoices_issued_at_once_for_one_seller_are_numbered_without_gap_or_duplicate() -> None:
    # Given 40 collected orders of one seller, to many buyers
    seller = EnterpriseFactory.create()
    buyers = BuyerFactory.create_batch(4)
    orders = [collected_order(producer=seller, buyer=buyers[n % 4]) for n in range(40)]
    start = threading.Barrier(10)

    def issue(n: int) -> str:
        if n < 10:
            start.wait()  # the first wave arrives at once
        try:
            invoice = invoice_issue_for_order(order=orders[n], at=COLLECTED_AT)
            assert invoice is not None
            return invoice.number
        finally:
            connection.close()

    # When ten connections issue their invoices at once, and the first orders twice
    with ThreadPoolExecutor(max_workers=10) as pool:
        numbers = list(pool.map(issue, [*range(40), *range(10)]))

    # Then 40 invoices numbered 1 to 40, each once; issuing again gave back the same invoice
    issued = sorted(Invoice.objects.filter(seller=seller).values_list("sequence_number", flat=True))
    assert issued == list(range(1, 41))
    assert numbers[40:] == numbers[:10]
    assert (
        NumberSequence.objects.get(enterprise=seller, kind=SequenceKind.INVOICE, year=2026).last_number == 40
    )


@pytest.mark.django_db
def test_a_number_is_not_lost_when_the_writing_fails() -> None:
    seller = EnterpriseFactory.create()

    def take_then_fail() -> None:
        with transaction.atomic():
            number_take(enterprise=seller, kind=SequenceKind.INVOICE, on=COLLECTED_AT.date())
            raise RuntimeError  # the invoice could not be written: its number goes back with it

    with pytest.raises(RuntimeError):
        take_then_fail()

    assert issued_invoice(producer=seller).number == "F2026-000001"


@pytest.mark.django_db
def test_numbers_follow_dates_an_invoice_dated_before_the_last_one_is_refused() -> None:
    seller = EnterpriseFactory.create()
    issued_invoice(producer=seller)  # 11 December 2026
    earlier = collected_order(producer=seller)

    with pytest.raises(ValidationError, match="avant la précédente de sa série \\(11/12/2026\\)"):
        invoice_issue_for_order(order=earlier, at=datetime(2026, 12, 10, 9, 0, tzinfo=UTC))

    assert Invoice.objects.filter(seller=seller).count() == 1
