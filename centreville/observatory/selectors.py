"""Reads of one town for the observatory's pages and report: headline figures, orders and sales by day, the
delivery subsidy by day, which shops were published at given moments and which were kept up to date.

Each is a handful of grouped queries whatever the number of shops, orders or days; the days and moments are
passed in (no clock here).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Case, CharField, Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, TruncDate

from centreville.accounts.models import Role, TownRole
from centreville.activity.models import Metric
from centreville.activity.selectors import shops_counted
from centreville.catalogue.models import Product
from centreville.fulfilment.models import FulfilmentMethod
from centreville.orders.models import Order, OrderEvent, OrderStatus
from centreville.shops.models import Shop, ShopMembership, ShopStatus, ShopStatusChange
from centreville.towns.models import Town

# « 12 bis, rue … », « 3-5 place … »: what comes before the street's name.
_STREET_NUMBER = re.compile(r"^\s*\d+(?:\s*[-–/]\s*\d+)?\s*(?:bis|ter|quater|[a-d])?\b[\s,]*", re.IGNORECASE)


def midnight(day: date, tz: ZoneInfo) -> datetime:
    """The moment `day` starts in `tz` (a day of 23 or 25 hours when the clocks change)."""
    return datetime.combine(day, time(0), tzinfo=tz)


@dataclass(frozen=True)
class DashboardFigures:
    shops_by_status: dict[str, int]
    published_shops: int
    products: int
    visible_products: int
    merchants: int
    roles: dict[str, int]


def town_dashboard_figures(town: Town) -> DashboardFigures:
    """Headline figures of one town, in a handful of aggregate queries."""
    by_status = dict(
        Shop.objects.for_town(town).values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    shops_by_status = {str(label): by_status.get(value, 0) for value, label in ShopStatus.choices}
    products = Product.objects.for_town(town).aggregate(
        total=Count("id"), visible=Count("id", filter=Q(is_visible=True))
    )
    merchants = ShopMembership.objects.filter(shop__town=town).values("user").distinct().count()
    role_counts = dict(
        TownRole.objects.filter(town=town)
        .values_list("role")
        .annotate(n=Count("id"))
        .values_list("role", "n")
    )
    return DashboardFigures(
        shops_by_status=shops_by_status,
        published_shops=by_status.get(ShopStatus.PUBLISHED, 0),
        products=products["total"],
        visible_products=products["visible"],
        merchants=merchants,
        roles={str(label): role_counts.get(value, 0) for value, label in Role.choices},
    )


def orders_by_day(town: Town, *, first: date, last: date, tz: ZoneInfo) -> dict[date, tuple[int, Decimal]]:
    """Orders placed each day from `first` to `last` (local days) and the amount of the articles of those
    since collected (the Click & Collect sales, on the day of the order); days without orders left out."""
    rows = (
        Order.objects.for_town(town)
        .filter(created_at__gte=midnight(first, tz), created_at__lt=midnight(last + timedelta(days=1), tz))
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values("day")
        .annotate(
            orders=Count("pk"),
            sales=Sum("items_total", filter=Q(status=OrderStatus.COLLECTED), default=Decimal("0.00")),
        )
        .order_by()
    )
    return {row["day"]: (row["orders"], row["sales"]) for row in rows}


def subsidy_by_day(town: Town, *, first: date, last: date, tz: ZoneInfo) -> dict[date, Decimal]:
    """The town's share of delivery fees, on the day each delivered order was handed over (as in the monthly
    subsidy report of `fulfilment.selectors`); days without any left out."""
    handed_over = (
        OrderEvent.objects.filter(order=OuterRef("pk"), to_status=OrderStatus.COLLECTED)
        .order_by("created_at", "pk")
        .values("created_at")[:1]
    )
    rows = (
        Order.objects.for_town(town)
        .filter(fulfilment=FulfilmentMethod.DELIVERY, status=OrderStatus.COLLECTED)
        .annotate(handed_over=Subquery(handed_over))
        .filter(handed_over__gte=midnight(first, tz), handed_over__lt=midnight(last + timedelta(days=1), tz))
        .annotate(day=TruncDate("handed_over", tzinfo=tz))
        .values("day")
        .annotate(subsidy=Sum("delivery_subsidy"))
        .order_by()
    )
    return {row["day"]: row["subsidy"] for row in rows}


def _status_at(moment: datetime) -> Case:
    """A shop's status at `moment`: the status it left at its first change after then, else the current one;
    nothing for a shop created later."""
    left = (
        ShopStatusChange.objects.filter(shop=OuterRef("pk"), created_at__gt=moment)
        .order_by("created_at", "pk")
        .values("from_status")[:1]
    )
    return Case(
        When(created_at__gt=moment, then=Value("")),
        default=Coalesce(Subquery(left), F("status")),
        output_field=CharField(),
    )


def published_at(town: Town, moments: Mapping[str, datetime]) -> dict[str, set[int]]:
    """The ids of the town's shops published at each named moment, in one query."""
    shops: QuerySet[Shop] = Shop.objects.for_town(town).annotate(
        **{f"status_{name}": _status_at(moment) for name, moment in moments.items()}
    )
    published: dict[str, set[int]] = {name: set() for name in moments}
    for row in shops.values("pk", *(f"status_{name}" for name in moments)):
        for name in moments:
            if row[f"status_{name}"] == ShopStatus.PUBLISHED:
                published[name].add(row["pk"])
    return published


def active_days(town: Town, *, first: date, last: date, tz: ZoneInfo) -> dict[int, set[date]]:
    """The days each shop was kept up to date (counted by the back-office) or handled an order, in two
    queries."""
    days = shops_counted(town.pk, Metric.MERCHANT_UPDATE, first_day=first, last_day=last)
    handled = (
        OrderEvent.objects.filter(
            order__town=town,
            by_customer=False,
            actor__isnull=False,
            created_at__gte=midnight(first, tz),
            created_at__lt=midnight(last + timedelta(days=1), tz),
        )
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values_list("order__shop_id", "day")
        .order_by()
        .distinct()
    )
    for shop_id, day in handled:
        days.setdefault(shop_id, set()).add(day)
    return days


def shops_active(shop_ids: Iterable[int], days: Mapping[int, set[date]], *, first: date, last: date) -> int:
    """How many of `shop_ids` were active on a day from `first` to `last`."""
    return sum(1 for shop_id in shop_ids if any(first <= day <= last for day in days.get(shop_id, ())))


def shops_street_and_trade(town: Town, shop_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """Each shop's street (its address without the number) and trade, for figures by street and by trade."""
    rows = Shop.objects.filter(town=town, pk__in=list(shop_ids)).values_list(
        "pk", "street_address", "category__name"
    )
    return {pk: (_STREET_NUMBER.sub("", address).strip(), trade or "") for pk, address, trade in rows}


def shop_names(town: Town, shop_ids: Iterable[int]) -> dict[int, str]:
    """The names of the town's shops among `shop_ids`, by id, in one query."""
    return dict(Shop.objects.for_town(town).filter(pk__in=list(shop_ids)).values_list("pk", "name"))


def product_titles(town: Town, product_ids: Iterable[int]) -> dict[int, str]:
    """The titles of the town's products among `product_ids`, by id, in one query."""
    return dict(Product.objects.for_town(town).filter(pk__in=list(product_ids)).values_list("pk", "title"))
