"""The platform's signals on each shop, computed by batches at a given time."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from centreville.catalogue.models import Product
from centreville.catalogue.stock import Wanted
from centreville.catalogue.tests.factories import ProductFactory
from centreville.orders.models import Order, OrderEvent, OrderStatus
from centreville.orders.tests.factories import order_place
from centreville.shops.models import Shop, ShopPhoto, ShopStatus
from centreville.shops.tests.factories import ShopFactory
from centreville.support import shop_signals
from centreville.support.models import ShopSignals
from centreville.support.shop_signals import shop_signals_refresh
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

AT = datetime(2026, 12, 5, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))


def with_photo(shop: Shop) -> Shop:
    # Dimensions given: no image file is read.
    ShopPhoto.objects.create(
        shop=shop,
        small="s.webp",
        medium="m.webp",
        large="l.webp",
        small_width=1,
        small_height=1,
        width=1,
        height=1,
    )
    return shop


def product_updated(shop: Shop, when: datetime) -> Product:
    product = ProductFactory.create(shop=shop, stock=10)
    Product.objects.filter(pk=product.pk).update(updated_at=when)
    return product


def placed_order(shop: Shop, when: datetime, status: str = OrderStatus.PLACED) -> Order:
    product = product_updated(shop, AT)
    order = order_place(
        shop=shop, wanted=[Wanted(product.pk, 1)], customer=None, customer_name="Jeanne Dupont",
        customer_contact="jeanne@example.fr",
    )  # fmt: skip
    Order.objects.filter(pk=order.pk).update(created_at=when, status=status)
    if status == OrderStatus.EXPIRED:
        event = OrderEvent.objects.create(order=order, from_status=OrderStatus.PLACED, to_status=status)
        OrderEvent.objects.filter(pk=event.pk).update(created_at=when + timedelta(days=2))
    return order


def test_a_complete_shop_has_no_signal() -> None:
    shop = with_photo(ShopFactory.create())
    product_updated(shop, AT - timedelta(days=59))

    assert shop_signals_refresh(at=AT) == 1

    signals = ShopSignals.objects.get(shop=shop)
    assert (signals.has_photo, signals.has_opening_hours) == (True, True)
    assert (signals.products, signals.stale_products, signals.unanswered_orders) == (1, 0, 0)
    assert signals.count == 0
    assert signals.computed_at == AT
    assert signals.town_id == shop.town_id


def test_missing_photo_and_hours_and_products_not_updated_for_60_days_are_seen() -> None:
    shop = ShopFactory.create(opening_hours="  ")
    product_updated(shop, AT - timedelta(days=60, seconds=1))
    product_updated(shop, AT - timedelta(days=60) + timedelta(seconds=1))
    hidden = product_updated(shop, AT - timedelta(days=400))
    Product.objects.filter(pk=hidden.pk).update(is_visible=False)

    shop_signals_refresh(at=AT)

    signals = ShopSignals.objects.get(shop=shop)
    assert (signals.has_photo, signals.has_opening_hours) == (False, False)
    assert (signals.products, signals.stale_products) == (2, 1)  # the hidden product is not the page's
    assert signals.count == 3


def test_orders_left_unanswered_count_those_still_waiting_after_a_day_and_those_expired_unanswered() -> None:
    shop = with_photo(ShopFactory.create())
    placed_order(shop, AT - timedelta(days=1, minutes=1))  # waiting for more than a day
    placed_order(shop, AT - timedelta(hours=23))  # not yet
    placed_order(shop, AT - timedelta(days=30), OrderStatus.EXPIRED)  # expired without an answer
    placed_order(shop, AT - timedelta(days=120), OrderStatus.EXPIRED)  # too long ago
    placed_order(shop, AT - timedelta(days=5), OrderStatus.COLLECTED)  # answered

    shop_signals_refresh(at=AT)

    assert ShopSignals.objects.get(shop=shop).unanswered_orders == 2


def test_a_refresh_replaces_the_signals_and_forgets_shops_no_longer_published() -> None:
    shop = ShopFactory.create()
    gone = ShopFactory.create()
    shop_signals_refresh(at=AT - timedelta(days=2))
    with_photo(shop)
    Shop.objects.filter(pk=gone.pk).update(status=ShopStatus.HIDDEN)

    assert shop_signals_refresh(at=AT) == 1

    assert list(ShopSignals.objects.values_list("shop_id", "has_photo", "computed_at")) == [
        (shop.pk, True, AT)
    ]


def test_the_periodic_refresh_computes_only_shops_not_computed_for_a_day() -> None:
    fresh, old = ShopFactory.create(), ShopFactory.create()
    shop_signals_refresh(at=AT - timedelta(hours=20))
    ShopSignals.objects.filter(shop=old).update(computed_at=AT - timedelta(days=1, minutes=1))
    new = ShopFactory.create()

    assert shop_signals_refresh(at=AT, only_if_older_than_a_day=True) == 2
    assert shop_signals_refresh(at=AT, only_if_older_than_a_day=True) == 0  # cheap when nothing to do

    computed = dict(ShopSignals.objects.values_list("shop_id", "computed_at"))
    assert computed == {fresh.pk: AT - timedelta(hours=20), old.pk: AT, new.pk: AT}


def test_queries_are_the_same_for_every_batch_whatever_its_shops(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shop_signals, "BATCH_SIZE", 3)
    towns = [TownFactory.create(), TownFactory.create()]

    def queries_for(shop_count: int) -> int:
        Shop.objects.update(status=ShopStatus.HIDDEN)  # the shops of the previous count leave
        for number in range(shop_count):
            shop = with_photo(ShopFactory.create(town=towns[number % 2]))
            product_updated(shop, AT - timedelta(days=90))
            placed_order(shop, AT - timedelta(days=3))
        with CaptureQueriesContext(connection) as queries:
            assert shop_signals_refresh(at=AT) == shop_count
        return len(queries.captured_queries)

    none, one_batch, three_batches = queries_for(0), queries_for(3), queries_for(9)

    assert three_batches - one_batch == 2 * (one_batch - none)
    assert ShopSignals.objects.filter(stale_products=1, unanswered_orders=1, has_photo=True).count() == 9
