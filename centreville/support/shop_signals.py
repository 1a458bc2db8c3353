"""The platform's signals on each published shop: what a merchant could improve, seen without asking.

A page without photo or opening hours, products not updated for STALE_AFTER, orders left unanswered
(still waiting after ANSWER_WITHIN, or expired without an answer in the last LOOKBACK). Computed by
batches of BATCH_SIZE shops, in the same few queries whatever the batch's size, and kept in
`ShopSignals`, one row per shop.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Q

from centreville.catalogue.models import Product
from centreville.orders.models import Order, OrderEvent, OrderStatus
from centreville.shops.models import Shop, ShopPhoto, ShopStatus

from .models import ShopSignals

STALE_AFTER = timedelta(days=60)
ANSWER_WITHIN = timedelta(days=1)
LOOKBACK = timedelta(days=90)
REFRESH_EVERY = timedelta(days=1)
BATCH_SIZE = 1000
SIGNAL_FIELDS = ["town", "computed_at", "has_photo", "has_opening_hours", "products", "stale_products",
                 "unanswered_orders"]  # fmt: skip


def shop_signals_refresh(*, at: datetime, only_if_older_than_a_day: bool = False) -> int:
    """Compute the signals of every published shop (or only of those not computed in the last day) as of
    `at`; forget those of shops no longer published. Returns how many shops were computed."""
    ShopSignals.objects.exclude(shop__status=ShopStatus.PUBLISHED).delete()
    shops = Shop.objects.filter(status=ShopStatus.PUBLISHED)
    if only_if_older_than_a_day:
        shops = shops.exclude(support_signals__computed_at__gt=at - REFRESH_EVERY)
    computed = 0
    batch: list[tuple[int, int, str]] = []
    for row in shops.order_by("pk").values_list("pk", "town_id", "opening_hours").iterator(BATCH_SIZE):
        batch.append(row)
        if len(batch) == BATCH_SIZE:
            computed += _refresh_batch(batch, at=at)
            batch = []
    if batch:
        computed += _refresh_batch(batch, at=at)
    return computed


def _refresh_batch(shops: list[tuple[int, int, str]], *, at: datetime) -> int:
    """Five queries for the batch: photos, products, orders waiting, orders expired, the upsert."""
    ids = [pk for pk, _town, _hours in shops]
    with_photo = set(ShopPhoto.objects.filter(shop_id__in=ids).values_list("shop_id", flat=True).distinct())
    products = {
        row["shop_id"]: (row["total"], row["stale"])
        for row in Product.objects.filter(shop_id__in=ids, is_visible=True)
        .values("shop_id")
        .annotate(total=Count("pk"), stale=Count("pk", filter=Q(updated_at__lt=at - STALE_AFTER)))
        .order_by()
    }
    unanswered: Counter[int] = Counter(
        dict(
            Order.objects.filter(
                shop_id__in=ids, status=OrderStatus.PLACED, created_at__lt=at - ANSWER_WITHIN
            )
            .values("shop_id")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("shop_id", "n")
        )
    )
    unanswered.update(
        dict(
            OrderEvent.objects.filter(
                order__shop_id__in=ids,
                from_status=OrderStatus.PLACED,
                to_status=OrderStatus.EXPIRED,
                created_at__gte=at - LOOKBACK,
                created_at__lte=at,
            )
            .values("order__shop_id")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("order__shop_id", "n")
        )
    )
    rows = [
        ShopSignals(
            shop_id=pk,
            town_id=town_id,
            computed_at=at,
            has_photo=pk in with_photo,
            has_opening_hours=bool(hours.strip()),
            products=products.get(pk, (0, 0))[0],
            stale_products=products.get(pk, (0, 0))[1],
            unanswered_orders=unanswered[pk],
        )
        for pk, town_id, hours in shops
    ]
    with transaction.atomic():
        ShopSignals.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["shop"], update_fields=SIGNAL_FIELDS
        )
    return len(rows)
