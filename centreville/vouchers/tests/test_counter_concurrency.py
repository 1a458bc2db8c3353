"""A counter's form sent twice at the same instant (a double tap on a slow connection) spends once
(PostgreSQL: real concurrent transactions, each in its own thread and connection)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from centreville.shops.tests.factories import ShopMembershipFactory
from centreville.vouchers import selectors, services
from centreville.vouchers.counter import counter_spend
from centreville.vouchers.models import Movement, MovementKind
from centreville.vouchers.services import Beneficiary
from centreville.vouchers.tests.factories import ProgrammeFactory

from .conftest import AT, joined_shop

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and concurrent transactions"
)
pytestmark = [pytest.mark.postgresql, needs_postgresql, pytest.mark.django_db(transaction=True)]


def test_one_form_sent_six_times_at_once_spends_once() -> None:
    programme = ProgrammeFactory.create()
    shop = joined_shop(programme)
    merchant = ShopMembershipFactory.create(shop=shop).user
    voucher = services.vouchers_issue(
        programme=programme, beneficiary=Beneficiary("person", "a@example.org"), face_value_cents=5000, at=AT
    )[0]
    mark = selectors.counter_mark()
    start = threading.Barrier(6)

    def send(_index: int) -> tuple[int, bool]:
        try:
            start.wait()
            result = counter_spend(
                code=voucher.code, shop=shop, amount_cents=1250, at=AT, by=merchant, form_mark=mark
            )
            return result.movement.pk, result.repeated
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(send, range(6)))

    assert len({pk for pk, _repeated in answers}) == 1  # every sending shows the same spend
    assert sorted(repeated for _pk, repeated in answers) == [False] + [True] * 5
    voucher.refresh_from_db()
    assert voucher.balance_cents == 3750
    assert Movement.objects.filter(voucher=voucher, kind=MovementKind.SPEND).count() == 1
