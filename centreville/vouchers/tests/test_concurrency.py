"""Two counters at once cannot spend a voucher below zero (PostgreSQL: real concurrent transactions, each in
its own thread and connection)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from centreville.vouchers import ledger, services
from centreville.vouchers.ledger import VoucherRefused
from centreville.vouchers.models import Movement, MovementKind
from centreville.vouchers.services import Beneficiary
from centreville.vouchers.tests.factories import ProgrammeFactory

from .conftest import AT, joined_shop

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and concurrent transactions"
)
pytestmark = [pytest.mark.postgresql, needs_postgresql, pytest.mark.django_db(transaction=True)]


def test_twelve_counters_spending_ten_euros_of_fifty_at_once_accept_five() -> None:
    programme = ProgrammeFactory.create()
    shops = [joined_shop(programme), joined_shop(programme)]
    voucher = services.vouchers_issue(
        programme=programme, beneficiary=Beneficiary("person", "a@example.org"), face_value_cents=5000, at=AT
    )[0]
    start = threading.Barrier(12)

    def spend(index: int) -> str:
        try:
            start.wait()
            ledger.voucher_spend(code=voucher.code, shop=shops[index % 2], amount_cents=1000, at=AT)
            return "ok"
        except VoucherRefused as refused:
            return refused.messages[0]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(spend, range(12)))

    assert answers.count("ok") == 5
    assert set(answers) - {"ok"} == {"Ce bon est épuisé : son solde est de 0 €."}
    voucher.refresh_from_db()
    assert voucher.balance_cents == 0
    assert Movement.objects.filter(voucher=voucher, kind=MovementKind.SPEND).count() == 5
