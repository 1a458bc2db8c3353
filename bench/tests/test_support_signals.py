"""The support signals benchmark's data on a few bench shops: what they lack, drawn the same at every run."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from bench import dataset, support_signals
from centreville.orders.models import Order
from centreville.support.models import ShopSignals
from centreville.support.shop_signals import shop_signals_refresh


def test_arguments_must_be_positive() -> None:
    with pytest.raises(SystemExit):
        support_signals.parse_args(["--shops", "0"])
    assert support_signals.parse_args([]).shops == 10_000


@pytest.mark.postgresql
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the benchmark writes its data in PostgreSQL's SQL"
)
@pytest.mark.django_db
def test_the_shops_lack_what_the_benchmark_says_and_a_rerun_adds_nothing() -> None:
    dataset.generate(dataset.Size(1, 12, 3))
    for _ in range(2):
        support_signals.add_what_shops_lack()
        support_signals.add_unanswered_orders()

    assert shop_signals_refresh(at=timezone.now()) == 12
    signals = {row.shop_id: row for row in ShopSignals.objects.all()}
    assert {pk for pk, row in signals.items() if not row.has_photo} == {pk for pk in signals if pk % 3 == 0}
    assert {pk for pk, row in signals.items() if not row.has_opening_hours} == {
        pk for pk in signals if pk % 7 == 0
    }
    assert {pk: row.unanswered_orders for pk, row in signals.items() if row.unanswered_orders} == {
        pk: 2 for pk in signals if pk % 4 == 0
    }
    assert Order.objects.count() == 2 * len([pk for pk in signals if pk % 4 == 0])
