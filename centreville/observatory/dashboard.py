"""The elected officials' dashboard of one town: platform activity, Click & Collect and the shops, week by
week, each figure beside the same figure for the period before.

Every figure is read for one town, from pre-aggregated day counts (`activity.DailyCount`) and a handful of
grouped queries on orders and shops, whatever the number of shops, orders or days; the clock is passed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Case, CharField, Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centreville.activity.models import Metric
from centreville.activity.selectors import shops_counted, town_counts_by_day
from centreville.fulfilment.models import FulfilmentMethod
from centreville.orders.models import Order, OrderEvent, OrderStatus
from centreville.shops.models import Shop, ShopStatus, ShopStatusChange
from centreville.towns.models import Town

ACTIVE_DAYS = 30
DEFAULT_PERIOD = "4-semaines"
PERIOD_LABELS: dict[str, Promise] = {
    "4-semaines": gettext_lazy("4 semaines"),
    "12-semaines": gettext_lazy("12 semaines"),
    "annee": gettext_lazy("Cette année"),
}
Number = int | Decimal


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


# --- Periods ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    key: str
    first: date
    last: date
    previous_first: date
    previous_last: date
    compared: str  # « par rapport aux 4 semaines précédentes »
    before: str  # « les 4 semaines précédentes »

    @property
    def label(self) -> str:
        return str(PERIOD_LABELS[self.key])

    def weeks(self) -> list[tuple[date, date]]:
        """Seven-day spans ending on the period's last day, oldest first; the first may be shorter (a year
        does not start on the weekday it ends on)."""
        spans = []
        end = self.last
        while end >= self.first:
            start = max(end - timedelta(days=6), self.first)
            spans.append((start, end))
            end = start - timedelta(days=1)
        return spans[::-1]


def period_for(key: str, *, today: date) -> Period:
    """The period `key` (4 weeks, 12 weeks or this year) ending `today`, and the one it is compared with:
    as many days just before, or for the year the same dates a year earlier."""
    if key == "annee":
        first = today.replace(month=1, day=1)
        try:
            previous_last = today.replace(year=today.year - 1)
        except ValueError:  # 29 February
            previous_last = date(today.year - 1, 2, 28)
        return Period(
            key=key,
            first=first,
            last=today,
            previous_first=first.replace(year=today.year - 1),
            previous_last=previous_last,
            compared=_("par rapport à la même période de l'an dernier"),
            before=_("à la même période de l'an dernier"),
        )
    if key not in PERIOD_LABELS:
        key = DEFAULT_PERIOD
    weeks = 12 if key == "12-semaines" else 4
    first = today - timedelta(days=7 * weeks - 1)
    return Period(
        key=key,
        first=first,
        last=today,
        previous_first=first - timedelta(days=7 * weeks),
        previous_last=first - timedelta(days=1),
        compared=_("par rapport aux %(weeks)s semaines précédentes") % {"weeks": weeks},
        before=_("les %(weeks)s semaines précédentes") % {"weeks": weeks},
    )


# --- Figures ----------------------------------------------------------------------------------------------


def format_number(value: Number, *, euros: bool = False) -> str:
    """« 1 234 », « 1 234,50 € » in French; « 1,234 », « €1,234.50 » in English."""
    if euros:
        amount = formats.number_format(value, 2, use_l10n=True, force_grouping=True)
        return _("%(amount)s €") % {"amount": amount}
    return formats.number_format(value, 0, use_l10n=True, force_grouping=True)


@dataclass(frozen=True)
class Trend:
    direction: str  # "up", "down" or "flat"
    short: str  # « +12 % », « \u22125 % » (a minus sign), « = »
    words: str  # « en hausse de 12 % par rapport aux 4 semaines précédentes »

    @property
    def arrow(self) -> str:
        return {"up": "▲", "down": "▼"}.get(self.direction, "▶")


def trend(current: Number, previous: Number, *, compared: str, before: str) -> Trend:
    """How `current` moved from `previous`, as an arrow, a percentage and a sentence for screen readers."""
    if previous == 0:
        if current == 0:
            return Trend("flat", "=", _("stable %(compared)s") % {"compared": compared})
        return Trend("up", _("contre 0"), _("en hausse, contre 0 %(before)s") % {"before": before})
    percent = round(abs(Decimal(current) - Decimal(previous)) * 100 / Decimal(previous))
    if percent == 0:
        return Trend("flat", "=", _("stable %(compared)s") % {"compared": compared})
    shown = _("%(value)s %%") % {"value": format_number(percent)}
    if current > previous:
        words = _("en hausse de %(percent)s %(compared)s")
        return Trend("up", f"+{shown}", words % {"percent": shown, "compared": compared})
    words = _("en baisse de %(percent)s %(compared)s")
    return Trend("down", f"\u2212{shown}", words % {"percent": shown, "compared": compared})


@dataclass(frozen=True)
class Bar:
    first: date
    last: date
    value: Number
    shown: str
    height: int  # percent of the highest bar of the series

    @property
    def label(self) -> str:
        if self.first == self.last:
            return formats.date_format(self.first, "j N")
        return _("du %(first)s au %(last)s") % {
            "first": formats.date_format(self.first, "j N"),
            "last": formats.date_format(self.last, "j N"),
        }


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: Number
    shown: str
    trend: Trend
    bars: list[Bar]
    note: str = ""

    @property
    def highest(self) -> Bar | None:
        return max(self.bars, key=lambda bar: bar.value) if self.bars else None

    # The chart: an SVG 100 units high, 10 units a week; each bar 8 wide, as high as its share of the top.
    @property
    def chart_width(self) -> int:
        return 10 * len(self.bars)

    @property
    def chart_bars(self) -> list[tuple[Bar, int, int]]:
        """Each bar with its x and y in the chart."""
        return [(bar, 10 * index + 1, 100 - bar.height) for index, bar in enumerate(self.bars)]


def _sum(by_day: Mapping[date, Number], first: date, last: date) -> Number:
    total: Number = 0
    day = first
    while day <= last:
        total += by_day.get(day, 0)
        day += timedelta(days=1)
    return total


def _figure(
    key: str,
    label: str,
    current: Number,
    previous: Number,
    *,
    compared: str,
    before: str,
    euros: bool = False,
    bars: list[Bar] | None = None,
    note: str = "",
) -> Figure:
    """A figure showing `current`, with its trend since `previous`."""
    return Figure(
        key=key,
        label=label,
        value=current,
        shown=format_number(current, euros=euros),
        trend=trend(current, previous, compared=compared, before=before),
        bars=bars or [],
        note=note,
    )


def _series_figure(
    key: str,
    label: str,
    by_day: Mapping[date, Number],
    period: Period,
    *,
    euros: bool = False,
    note: str = "",
) -> Figure:
    totals = [(first, last, _sum(by_day, first, last)) for first, last in period.weeks()]
    top = max((value for _first, _last, value in totals), default=0)
    bars = [
        Bar(
            first=first,
            last=last,
            value=value,
            shown=format_number(value, euros=euros),
            height=max(2, round(100 * value / top)) if value and top else 0,
        )
        for first, last, value in totals
    ]
    return _figure(
        key,
        label,
        _sum(by_day, period.first, period.last),
        _sum(by_day, period.previous_first, period.previous_last),
        compared=period.compared,
        before=period.before,
        euros=euros,
        bars=bars,
        note=note,
    )


# --- Reads ------------------------------------------------------------------------------------------------


def _orders_by_day(
    town: Town, start: datetime, end: datetime, tz: ZoneInfo
) -> dict[date, tuple[int, Decimal]]:
    """Orders placed each day and the amount of those collected (the Click & Collect sales)."""
    rows = (
        Order.objects.for_town(town)
        .filter(created_at__gte=start, created_at__lt=end)
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values("day")
        .annotate(
            orders=Count("pk"),
            sales=Sum("items_total", filter=Q(status=OrderStatus.COLLECTED), default=Decimal("0.00")),
        )
        .order_by()
    )
    return {row["day"]: (row["orders"], row["sales"]) for row in rows}


def _subsidy_by_day(town: Town, start: datetime, end: datetime, tz: ZoneInfo) -> dict[date, Decimal]:
    """The town's share of delivery fees, on the day each delivered order was handed over (as in the monthly
    subsidy report of `fulfilment.selectors`)."""
    handed_over = (
        OrderEvent.objects.filter(order=OuterRef("pk"), to_status=OrderStatus.COLLECTED)
        .order_by("created_at", "pk")
        .values("created_at")[:1]
    )
    rows = (
        Order.objects.for_town(town)
        .filter(fulfilment=FulfilmentMethod.DELIVERY, status=OrderStatus.COLLECTED)
        .annotate(handed_over=Subquery(handed_over))
        .filter(handed_over__gte=start, handed_over__lt=end)
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


def _published_at(town: Town, moments: Mapping[str, datetime]) -> dict[str, set[int]]:
    """The ids of the town's shops published at each moment, in one query."""
    shops: QuerySet[Shop] = Shop.objects.for_town(town).annotate(
        **{f"status_{name}": _status_at(moment) for name, moment in moments.items()}
    )
    published: dict[str, set[int]] = {name: set() for name in moments}
    for row in shops.values("pk", *(f"status_{name}" for name in moments)):
        for name in moments:
            if row[f"status_{name}"] == ShopStatus.PUBLISHED:
                published[name].add(row["pk"])
    return published


def _active_days(town: Town, first: date, last: date, tz: ZoneInfo) -> dict[int, set[date]]:
    """The days each shop was kept up to date (counted by the back-office) or handled an order."""
    days = shops_counted(town.pk, Metric.MERCHANT_UPDATE, first_day=first, last_day=last)
    handled = (
        OrderEvent.objects.filter(
            order__town=town,
            by_customer=False,
            actor__isnull=False,
            created_at__gte=_midnight(first, tz),
            created_at__lt=_midnight(last + timedelta(days=1), tz),
        )
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values_list("order__shop_id", "day")
        .order_by()
        .distinct()
    )
    for shop_id, day in handled:
        days.setdefault(shop_id, set()).add(day)
    return days


@dataclass(frozen=True)
class ShopsFigures:
    published: Figure
    active: Figure
    active_percent: int  # of the shops published today


@dataclass(frozen=True)
class Dashboard:
    period: Period
    platform: list[Figure]
    click_collect: list[Figure]
    shops: ShopsFigures


def _shops(town: Town, *, at: datetime, today: date, period: Period, tz: ZoneInfo) -> ShopsFigures:
    window_start = today - timedelta(days=ACTIVE_DAYS - 1)
    before_start = window_start - timedelta(days=ACTIVE_DAYS)
    published = _published_at(
        town,
        {"now": at, "window": _midnight(window_start, tz), "period": _midnight(period.first, tz)},
    )
    days = _active_days(town, before_start, today, tz)

    def active(shop_ids: set[int], first: date, last: date) -> int:
        return sum(1 for shop_id in shop_ids if any(first <= day <= last for day in days.get(shop_id, ())))

    active_now = active(published["now"], window_start, today)
    active_before = active(published["window"], before_start, window_start - timedelta(days=1))
    count_now, count_then = len(published["now"]), len(published["period"])
    then = formats.date_format(period.first, "j F Y")
    return ShopsFigures(
        published=_figure(
            "published",
            _("Commerces publiés"),
            count_now,
            count_then,
            compared=_("par rapport au %(date)s") % {"date": then},
            before=_("le %(date)s") % {"date": then},
        ),
        active=_figure(
            "active",
            _("Commerces actifs"),
            active_now,
            active_before,
            compared=_("par rapport aux %(days)s jours précédents") % {"days": ACTIVE_DAYS},
            before=_("les %(days)s jours précédents") % {"days": ACTIVE_DAYS},
            note=_(
                "Commerces publiés qui ont mis à jour leur page, leurs produits ou leurs photos, ou traité "
                "une commande, dans les %(days)s derniers jours."
            )
            % {"days": ACTIVE_DAYS},
        ),
        active_percent=round(100 * active_now / count_now) if count_now else 0,
    )


def town_dashboard(town: Town, *, at: datetime, period: str = DEFAULT_PERIOD) -> Dashboard:
    """Every figure of `town`'s dashboard for `period` ending on `at`'s day, in about six queries."""
    tz = ZoneInfo(town.timezone)
    today = at.astimezone(tz).date()
    span = period_for(period, today=today)
    start, end = _midnight(span.previous_first, tz), _midnight(span.last + timedelta(days=1), tz)

    counts = town_counts_by_day(
        town.pk,
        [Metric.SHOP_VIEW, Metric.PRODUCT_VIEW, Metric.QR_SCAN, Metric.SEARCH],
        first_day=span.previous_first,
        last_day=span.last,
    )

    def metric(*metrics: str) -> dict[date, Number]:
        by_day: dict[date, Number] = {}
        for (name, day), count in counts.items():
            if name in metrics:
                by_day[day] = by_day.get(day, 0) + count
        return by_day

    orders = _orders_by_day(town, start, end, tz)
    placed: dict[date, Number] = {day: count for day, (count, _sales) in orders.items()}
    sold: dict[date, Number] = {day: sales for day, (_count, sales) in orders.items()}
    return Dashboard(
        period=span,
        platform=[
            _series_figure(
                "visits",
                _("Visites des pages des commerces et des produits"),
                metric(Metric.SHOP_VIEW, Metric.PRODUCT_VIEW),
                span,
            ),
            _series_figure("scans", _("Scans des QR codes"), metric(Metric.QR_SCAN), span),
            _series_figure("searches", _("Recherches"), metric(Metric.SEARCH), span),
        ],
        click_collect=[
            _series_figure("orders", _("Commandes passées"), placed, span),
            _series_figure(
                "sales",
                _("Ventes Click & Collect"),
                sold,
                span,
                euros=True,
                note=_("Montant des articles des commandes retirées, à la date de la commande."),
            ),
            _series_figure(
                "subsidy",
                _("Aide de la ville à la livraison"),
                _subsidy_by_day(town, start, end, tz),
                span,
                euros=True,
                note=_("Part des frais de livraison payée par la ville, à la date de la remise."),
            ),
        ],
        shops=_shops(town, at=at, today=today, period=span, tz=tz),
    )
