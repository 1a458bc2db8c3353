"""The town dashboard of the observatory, for the town team and elected officials: sections of key figures,
each beside the same figure for the period before, and charts week by week, each chart with its table and
its CSV file (`core.charts`).

The dashboard is a list of sections, each made by one function of the `Scope` (the town, the period, the
time): `SECTIONS`. A new pillar adds its section by adding a function there, e.g.

    def vacancy_section(scope: Scope) -> Section | None:   # from the premises app's selectors
        ...
    SECTIONS = (platform_section, click_collect_section, shops_section, vacancy_section, crossed_section)

and a crossed view (vacancy by street, footfall against platform activity) by adding a function returning
one `Chart` to `CROSSED_VIEWS`; the « Vues croisées » section shows them once there is one. A function
returns None when it has nothing to show for the town.

Every figure is read for one town, from pre-aggregated day totals (the town's `activity.TownDailyTotal`,
footfall's `DailyCount` of each kind, read once for all its figures through the `Scope`) and a handful of
grouped queries on orders and shops (`observatory.selectors`), whatever the number of shops, orders or days;
the clock is passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cached_property
from zoneinfo import ZoneInfo

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centreville.activity.models import Metric
from centreville.activity.selectors import town_counts_by_day
from centreville.agenda.selectors import event_days
from centreville.core.charts import Category, Chart, Series
from centreville.core.money import euros_text
from centreville.footfall import charts as footfall_charts
from centreville.footfall import selectors as footfall
from centreville.footfall.models import MobilityKind
from centreville.parking.history import occupancy_by_day
from centreville.premises.selectors import centre_occupants
from centreville.premises.vacancy import VacancyPage, vacancy_page
from centreville.towns.models import Town
from centreville.vouchers import spending as voucher_spending

from . import event_days as events_compared
from . import selectors

ACTIVE_DAYS = 30
VACANCY_MONTHS = 24  # the vacancy chart of the dashboard: two years, month by month
DEFAULT_PERIOD = "4-semaines"
PERIOD_LABELS: dict[str, Promise] = {
    "4-semaines": gettext_lazy("4 semaines"),
    "12-semaines": gettext_lazy("12 semaines"),
    "annee": gettext_lazy("Cette année"),
}
Number = int | Decimal


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
        return euros_text(value)
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


def delta_trend(delta: Decimal, *, unit: str, compared: str, decimals: int = 1) -> Trend:
    """A change already computed, in percent (`unit` « % ») or in points of a rate (« pt »), as an arrow, a
    short text and a sentence for screen readers."""
    rounded = round(abs(delta), decimals)
    if rounded == 0:
        return Trend("flat", "=", _("stable %(compared)s") % {"compared": compared})
    value = formats.number_format(rounded, decimals, use_l10n=True, force_grouping=True)
    if unit == "%":
        shown = _("%(value)s %%") % {"value": value}
    else:
        shown = _("%(value)s %(unit)s") % {"value": value, "unit": unit}
    if delta > 0:
        words = _("en hausse de %(percent)s %(compared)s")
        return Trend("up", f"+{shown}", words % {"percent": shown, "compared": compared})
    words = _("en baisse de %(percent)s %(compared)s")
    return Trend("down", f"\u2212{shown}", words % {"percent": shown, "compared": compared})


def format_percent(value: Decimal | None, *, decimals: int = 1) -> str:
    """« 12,5 % »; « — » when there is nothing to divide by."""
    if value is None:
        return "—"
    shown = formats.number_format(value, decimals, use_l10n=True, force_grouping=True)
    return _("%(value)s %%") % {"value": shown}


@dataclass(frozen=True)
class Figure:
    """A key figure: its value as shown, and how it moved (None for a share, whose trend would mislead)."""

    key: str
    label: str
    value: Number
    shown: str
    trend: Trend | None
    note: str = ""


def sum_days(by_day: Mapping[date, Number], first: date, last: date) -> Number:
    """The sum of `by_day` from `first` to `last`, days missing counting as nothing."""
    total: Number = 0
    day = first
    while day <= last:
        total += by_day.get(day, 0)
        day += timedelta(days=1)
    return total


def figure_of(
    key: str,
    label: str,
    current: Number,
    previous: Number,
    *,
    compared: str,
    before: str,
    euros: bool = False,
    note: str = "",
) -> Figure:
    """A figure showing `current`, with its trend since `previous`."""
    return Figure(
        key=key,
        label=label,
        value=current,
        shown=format_number(current, euros=euros),
        trend=trend(current, previous, compared=compared, before=before),
        note=note,
    )


def period_figure(
    key: str,
    label: str,
    by_day: Mapping[date, Number],
    period: Period,
    *,
    euros: bool = False,
    note: str = "",
) -> Figure:
    """The total of `by_day` over the period, with its trend since the period before."""
    return figure_of(
        key,
        label,
        sum_days(by_day, period.first, period.last),
        sum_days(by_day, period.previous_first, period.previous_last),
        compared=period.compared,
        before=period.before,
        euros=euros,
        note=note,
    )


def weekly_chart(
    slug: str,
    title: str,
    period: Period,
    series: Sequence[tuple[str, Mapping[date, Number]]],
    *,
    kind: str = "bar",
    unit: str = "",
    decimals: int = 0,
    note: str = "",
    events: Mapping[date, Sequence[str]] | None = None,
) -> Chart:
    """A chart of the period week by week (seven days ending on the period's last day), one series per
    (label, values by day); the town's `events` (titles by day), if given, in its « Événement » column."""
    weeks = period.weeks()
    chart = Chart(
        slug=slug,
        title=title,
        kind=kind,
        category_label=_("Semaine du"),
        categories=[Category(first.isoformat(), formats.date_format(first, "j N")) for first, _last in weeks],
        series=[
            Series(label, [sum_days(by_day, first, last) for first, last in weeks], decimals=decimals)
            for label, by_day in series
        ],
        unit=unit,
        note=note,
    )
    return chart if events is None else events_compared.marked(chart, events, week_spans(period))


def week_spans(period: Period) -> list[tuple[str, date, date]]:
    """The period's weeks as the weekly charts key them: (key, first day, last day)."""
    return [(first.isoformat(), first, last) for first, last in period.weeks()]


# --- Sections ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What every section is made from: one town, one period ending on `today`, the time of the request."""

    town: Town
    at: datetime
    period: Period

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.town.timezone)

    @property
    def today(self) -> date:
        return self.period.last

    @cached_property
    def vacancy(self) -> VacancyPage:
        """The town's vacancy today, a year before and month by month: read once for the vacancy section and
        the crossed view by street."""
        return vacancy_page(self.town, on=self.today, months_shown=VACANCY_MONTHS)

    @cached_property
    def events(self) -> dict[date, list[str]]:
        """The days with a town event (their titles) in the period and in the weeks before it whose days
        are compared with them or charted with it: read once for the charts' marks and the crossed view."""
        start = footfall.week_start(self.period.first) - timedelta(weeks=events_compared.COMPARABLE_WEEKS)
        return event_days(
            town_id=self.town.pk, start=start, end=self.period.last, timezone=self.town.timezone
        )

    @property
    def first_known_day(self) -> date:
        """The town's first day on the platform: before it, visits and orders are unknown, not zero."""
        return self.town.created_at.astimezone(self.tz).date()

    @cached_property
    def orders(self) -> dict[date, tuple[int, Decimal]]:
        """Orders placed and Click & Collect sales by day over the period and the one before: read once for
        the section and the crossed view."""
        period = self.period
        return selectors.orders_by_day(self.town, first=period.previous_first, last=period.last, tz=self.tz)

    @cached_property
    def platform_counts(self) -> dict[str, dict[date, Number]]:
        """The platform's counts by metric and day: read once for its section and the crossed view."""
        return counts_by_day(self, PLATFORM_METRICS)

    @cached_property
    def footfall_kinds(self) -> list[MobilityKind]:
        """The kinds of counters the town has counts for, pedestrians first."""
        return [MobilityKind(kind) for kind in footfall.kinds_counted(self.town)]

    @cached_property
    def footfall_until(self) -> date | None:
        """The last day whose counts can be complete: yesterday at most (today is not over), and not past
        the last day the counters sent."""
        last = footfall.last_counted_day(footfall.Scope(self.town))
        return None if last is None else min(self.today - timedelta(days=1), last)

    @cached_property
    def footfall_days(self) -> dict[str, footfall.CountedDays]:
        """Each kind's day counts over the period's weeks up to the last complete day, and the same weeks a
        year before: read once per kind for the figures, the weekly chart and the crossed view."""
        until = self.footfall_until
        if until is None:
            return {}
        # From the comparable days of the period's first event days (`event_days`) on.
        start = self.period.first - timedelta(weeks=events_compared.COMPARABLE_WEEKS)
        weeks = footfall.weeks_span(start, min(self.period.last, until))
        return {
            kind: footfall.counted_days(footfall.Scope(self.town, kind=kind), *footfall.year_apart(*weeks))
            for kind in self.footfall_kinds
        }


@dataclass(frozen=True)
class SectionLink:
    label: str
    url_name: str  # a URL of the town, reversed with its slug


@dataclass(frozen=True)
class Section:
    key: str  # the id of its heading
    title: str
    figures: list[Figure]
    charts: list[Chart] = field(default_factory=list)
    intro: str = ""
    links: list[SectionLink] = field(default_factory=list)


SectionBuilder = Callable[[Scope], Section | None]
ChartBuilder = Callable[[Scope], Chart | None]


PLATFORM_METRICS = (
    Metric.SHOP_VIEW,
    Metric.PRODUCT_VIEW,
    Metric.QR_SCAN,
    Metric.SEARCH,
    Metric.SEARCH_NO_RESULT,
)


def counts_by_day(scope: Scope, metrics: Sequence[str]) -> dict[str, dict[date, Number]]:
    """Each metric's town counts by day over the period and the one before, in one query."""
    counts = town_counts_by_day(
        scope.town.pk, metrics, first_day=scope.period.previous_first, last_day=scope.period.last
    )
    by_metric: dict[str, dict[date, Number]] = {metric: {} for metric in metrics}
    for (metric, day), count in counts.items():
        by_metric[metric][day] = count
    return by_metric


def added(*by_days: Mapping[date, Number]) -> dict[date, Number]:
    """Day-by-day sums of several series."""
    total: dict[date, Number] = {}
    for by_day in by_days:
        for day, value in by_day.items():
            total[day] = total.get(day, 0) + value
    return total


def platform_section(scope: Scope) -> Section:
    """Visits of the shops' and products' pages, QR scans, searches and searches without result."""
    period = scope.period
    counts = scope.platform_counts
    shop_pages, product_pages = counts[Metric.SHOP_VIEW], counts[Metric.PRODUCT_VIEW]
    return Section(
        key="plateforme",
        title=_("Fréquentation de la plateforme"),
        intro=_("Comptée chaque jour, sans cookie ni suivi des personnes."),
        figures=[
            period_figure(
                "visits",
                _("Visites des pages des commerces et des produits"),
                added(shop_pages, product_pages),
                period,
            ),
            period_figure("scans", _("Scans des QR codes"), counts[Metric.QR_SCAN], period),
            period_figure("searches", _("Recherches"), counts[Metric.SEARCH], period),
            period_figure(
                "unfound",
                _("Recherches sans résultat"),
                counts[Metric.SEARCH_NO_RESULT],
                period,
                note=_("Ce que les habitants cherchent sans le trouver sur la plateforme."),
            ),
        ],
        charts=[
            weekly_chart(
                "visites",
                _("Visites des pages par semaine"),
                period,
                [(_("Pages de commerces"), shop_pages), (_("Pages de produits"), product_pages)],
                kind="stacked",
                events=scope.events,
            ),
            weekly_chart(
                "scans-recherches",
                _("Scans et recherches par semaine"),
                period,
                [
                    (_("Scans des QR codes"), counts[Metric.QR_SCAN]),
                    (_("Recherches"), counts[Metric.SEARCH]),
                    (_("Recherches sans résultat"), counts[Metric.SEARCH_NO_RESULT]),
                ],
                kind="line",
            ),
        ],
        links=[SectionLink(_("Activité de la plateforme en détail"), "observatory:activity")],
    )


def click_collect_section(scope: Scope) -> Section:
    """Orders placed, Click & Collect sales and the town's share of delivery fees."""
    period = scope.period
    orders = scope.orders
    placed: dict[date, Number] = {day: count for day, (count, _sales) in orders.items()}
    sold: dict[date, Number] = {day: sales for day, (_count, sales) in orders.items()}
    subsidy: dict[date, Number] = dict(
        selectors.subsidy_by_day(scope.town, first=period.previous_first, last=period.last, tz=scope.tz)
    )
    sales_note = _("Montant des articles des commandes retirées, à la date de la commande.")
    subsidy_note = _("Part des frais de livraison payée par la ville, à la date de la remise.")
    return Section(
        key="click-collect",
        title=_("Click & Collect"),
        figures=[
            period_figure("orders", _("Commandes passées"), placed, period),
            period_figure("sales", _("Ventes Click & Collect"), sold, period, euros=True, note=sales_note),
            period_figure(
                "subsidy",
                _("Aide de la ville à la livraison"),
                subsidy,
                period,
                euros=True,
                note=subsidy_note,
            ),
        ],
        charts=[
            weekly_chart("commandes", _("Commandes passées par semaine"), period, [(_("Commandes"), placed)]),
            weekly_chart(
                "ventes",
                _("Ventes et aide à la livraison par semaine"),
                period,
                [(_("Ventes Click & Collect"), sold), (_("Aide de la ville à la livraison"), subsidy)],
                unit="€",
                decimals=2,
                note=f"{sales_note} {subsidy_note}",
            ),
        ],
    )


def shops_section(scope: Scope) -> Section:
    """Shops published now and at the period's start; those active in the last 30 days, and their share."""
    period, today, tz = scope.period, scope.today, scope.tz
    window_start = today - timedelta(days=ACTIVE_DAYS - 1)
    before_start = window_start - timedelta(days=ACTIVE_DAYS)
    published = selectors.published_at(
        scope.town,
        {
            "now": scope.at,
            "window": selectors.midnight(window_start, tz),
            "period": selectors.midnight(period.first, tz),
        },
    )
    days = selectors.active_days(scope.town, first=before_start, last=today, tz=tz)
    active_ids = {
        shop_id
        for shop_id in published["now"]
        if any(window_start <= day <= today for day in days.get(shop_id, ()))
    }
    active_now = len(active_ids)
    active_before = selectors.shops_active(
        published["window"], days, first=before_start, last=window_start - timedelta(days=1)
    )
    count_now, count_then = len(published["now"]), len(published["period"])
    then = formats.date_format(period.first, "j F Y")
    share = round(100 * active_now / count_now) if count_now else 0
    return Section(
        key="commerces",
        title=_("Commerces sur la plateforme"),
        figures=[
            figure_of(
                "published",
                _("Commerces publiés"),
                count_now,
                count_then,
                compared=_("par rapport au %(date)s") % {"date": then},
                before=_("le %(date)s") % {"date": then},
            ),
            figure_of(
                "active",
                _("Commerces actifs"),
                active_now,
                active_before,
                compared=_("par rapport aux %(days)s jours précédents") % {"days": ACTIVE_DAYS},
                before=_("les %(days)s jours précédents") % {"days": ACTIVE_DAYS},
                note=_(
                    "Commerces publiés qui ont mis à jour leur page, leurs produits ou leurs photos, ou "
                    "traité une commande, dans les %(days)s derniers jours."
                )
                % {"days": ACTIVE_DAYS},
            ),
            Figure(
                key="active-share",
                label=_("Part des commerces publiés qui sont actifs"),
                value=share,
                shown=_("%(value)s %%") % {"value": format_number(share)},
                trend=None,
                note=_("%(active)s sur %(published)s publiés.")
                % {"active": format_number(active_now), "published": format_number(count_now)},
            ),
            *_centre_share(scope, active_ids),
        ],
    )


def _centre_share(scope: Scope, active_ids: set[int]) -> list[Figure]:
    """The share of the town centre's occupied units whose shop is active on the platform (none without
    units recorded)."""
    if scope.vacancy.history_start is None:
        return []
    occupants = centre_occupants(scope.town, on=scope.today)
    if not occupants:
        return []
    active = sum(1 for shop_id in occupants if shop_id in active_ids)
    share = round(100 * active / len(occupants))
    return [
        Figure(
            key="centre-active-share",
            label=_("Commerces du centre-ville actifs sur la plateforme"),
            value=share,
            shown=_("%(value)s %%") % {"value": format_number(share)},
            trend=None,
            note=_(
                "%(active)s des %(occupied)s locaux occupés du centre-ville abritent un commerce publié et "
                "actif sur la plateforme."
            )
            % {"active": format_number(active), "occupied": format_number(len(occupants))},
        )
    ]


def _rate_figure(
    key: str, label: str, now: Decimal | None, then: Decimal | None, *, compared: str, note: str = ""
) -> Figure:
    """A rate in percent, its trend in points since `then`."""
    return Figure(
        key=key,
        label=label,
        value=now if now is not None else 0,
        shown=format_percent(now),
        trend=None
        if now is None or then is None
        else delta_trend(now - then, unit=_("pt"), compared=compared),
        note=note,
    )


def vacancy_section(scope: Scope) -> Section | None:
    """The town centre's vacancy today against a year before, and month by month (none before the town
    records its units)."""
    page = scope.vacancy
    if page.history_start is None:
        return None
    now, then = page.summary.centre, page.a_year_before.centre
    on = formats.date_format(page.a_year_before.on, "j F Y")
    compared = _("par rapport au %(date)s") % {"date": on}
    return Section(
        key="vacance",
        title=_("Vacance commerciale du centre-ville"),
        intro=_(
            "Calculée chaque jour à partir de l'historique des locaux, selon la méthode de la page vacance."
        ),
        figures=[
            _rate_figure(
                "vacancy-rate",
                _("Taux de vacance"),
                now.rate,
                then.rate,
                compared=compared,
                note=_("%(vacant)s locaux vacants sur %(units)s.")
                % {"vacant": format_number(now.vacant), "units": format_number(now.units)},
            ),
            _rate_figure(
                "vacancy-surface-rate",
                _("Taux de vacance en surface"),
                now.surface_rate,
                then.surface_rate,
                compared=compared,
            ),
            figure_of(
                "vacant-units",
                _("Locaux vacants"),
                now.vacant,
                then.vacant,
                compared=compared,
                before=_("le %(date)s") % {"date": on},
            ),
        ],
        charts=[page.over_time_chart],
        links=[
            SectionLink(_("La vacance en détail, rue par rue"), "premises:vacancy"),
            SectionLink(_("La carte des locaux"), "premises:map"),
        ],
    )


def _footfall_figure(kind: MobilityKind, compared: footfall.Compared) -> Figure:
    total = compared.current.total
    change = compared.change_percent
    words = _("par rapport aux mêmes jours de la semaine, un an plus tôt")
    if total is None:
        note = _("Aucun comptage sur la période.")
    elif change is None:
        note = _("Pas de comparaison avec l'an dernier : des comptages manquent sur l'une des deux périodes.")
    else:
        note = ""
    return Figure(
        key=f"footfall-{kind}",
        label=_("Passages : %(kind)s") % {"kind": kind.label},
        value=total or 0,
        shown="—" if total is None else format_number(total),
        trend=None if change is None else delta_trend(change, unit="%", compared=words),
        note=note,
    )


def footfall_section(scope: Scope) -> Section | None:
    """What the street counters counted over the period up to the last complete day, kind by kind, against
    the same weekdays a year before, and week by week (none before the town has counts)."""
    kinds, until = scope.footfall_kinds, scope.footfall_until
    if not kinds or until is None:
        return None
    period, read = scope.period, scope.footfall_days
    last = min(period.last, until)
    figures = [_footfall_figure(kind, read[kind].period_compared(period.first, last)) for kind in kinds]
    first_kind = kinds[0]  # pedestrians when counted: the order of MobilityKind
    weeks = read[first_kind].weeks_compared(period.first, last)
    weekly = footfall_charts.weeks_chart(
        weeks,
        slug="passages-par-semaine",
        title=_("%(kind)s : passages par semaine") % {"kind": first_kind.label},
    )
    # Each ISO week's events, up to the period's last day (its counts stop there).
    spans = [
        (category.key, row.current.first, min(row.current.last, period.last))
        for category, row in zip(weekly.categories, weeks, strict=True)
    ]
    return Section(
        key="passages",
        title=_("Fréquentation des rues"),
        intro=_(
            "Les passages comptés par les compteurs de la ville du %(first)s au %(last)s (le dernier jour "
            "complet compté), comparés aux mêmes jours de la semaine un an plus tôt."
        )
        % {"first": formats.date_format(period.first, "j F Y"), "last": formats.date_format(last, "j F Y")},
        figures=figures,
        charts=[events_compared.marked(weekly, scope.events, spans)] if last >= period.first else [],
        links=[SectionLink(_("Les compteurs et leurs comptages"), "footfall_manage:sites")],
    )


def mean_known(by_day: Mapping[date, Decimal | None], first: date, last: date) -> Decimal | None:
    """The mean of the days from `first` to `last` whose value is known; None when none is."""
    known = [value for day, value in by_day.items() if first <= day <= last and value is not None]
    return round(sum(known, Decimal(0)) / len(known), 1) if known else None


def parking_section(scope: Scope) -> Section | None:
    """How full the town's car parks were over the period, on the days they sent data, against the period
    before, and week by week with the town's events (none before a car park sends anything)."""
    period = scope.period
    occupancy = {
        day: None if value is None else Decimal(str(value))
        for day, value in occupancy_by_day(
            town_id=scope.town.pk, start=period.previous_first, end=period.last, tz_name=scope.town.timezone
        )
    }
    current = mean_known(occupancy, period.first, period.last)
    previous = mean_known(occupancy, period.previous_first, period.previous_last)
    if current is None and previous is None:
        return None
    figure = Figure(
        key="occupation-parkings",
        label=_("Occupation moyenne des parkings"),
        value=current or Decimal(0),
        shown=format_percent(current),
        trend=None
        if current is None or previous is None
        else delta_trend(current - previous, unit=_("pt"), compared=period.compared),
        note=_("Places occupées sur places offertes, les jours où les parkings ont envoyé des données."),
    )
    weeks = period.weeks()
    chart = Chart(
        slug="occupation-parkings-par-semaine",
        title=_("Occupation moyenne des parkings par semaine"),
        kind="line",
        category_label=_("Semaine du"),
        categories=[Category(first.isoformat(), formats.date_format(first, "j N")) for first, _last in weeks],
        series=[
            Series(
                _("Occupation (%)"), [mean_known(occupancy, first, last) for first, last in weeks], decimals=1
            )
        ],
        unit="%",
    )
    return Section(
        key="stationnement",
        title=_("Stationnement"),
        figures=[figure],
        charts=[events_compared.marked(chart, scope.events, week_spans(period))],
        links=[SectionLink(_("Les parkings en ce moment"), "parking_public:board")],
    )


def _ranked_chart(slug: str, title: str, category_label: str, euros_by_name: Mapping[str, int]) -> Chart:
    """A bar chart of amounts in cents by name, largest first."""
    ranked = sorted(euros_by_name.items(), key=lambda item: (-item[1], item[0]))
    return Chart(
        slug=slug,
        title=title,
        kind="bar",
        category_label=category_label,
        categories=[Category(name, name) for name, _cents in ranked],
        series=[
            Series(_("Dépensé en bons (€)"), [Decimal(cents) / 100 for _name, cents in ranked], decimals=2)
        ],
        unit="€",
    )


def vouchers_section(scope: Scope) -> Section | None:
    """What the town's vouchers brought to its shops: spends over the period against the one before, the
    share of what was issued that is spent, how many shops each voucher took its holder to, and where they
    were spent, street by street and trade by trade (none before the town runs a programme)."""
    if not voucher_spending.town_programmes(scope.town).exists():
        return None
    period, tz = scope.period, scope.tz
    start, end = selectors.midnight(period.first, tz), selectors.midnight(period.last + timedelta(days=1), tz)
    by_day = voucher_spending.spends_by_day(
        scope.town, start=selectors.midnight(period.previous_first, tz), end=end
    )
    spent_euros: dict[date, Number] = {day: Decimal(cents) / 100 for day, cents in by_day.items()}
    issued, spent = voucher_spending.issued_and_spent(scope.town, until=end)
    share = None if not issued else round(Decimal(100 * spent) / issued, 1)
    per_voucher = voucher_spending.shops_per_voucher(scope.town, start=start, end=end)
    discovered = voucher_spending.shops_discovered(scope.town, start=start, end=end)
    by_shop = voucher_spending.spends_by_shop(scope.town, start=start, end=end)
    places = selectors.shops_street_and_trade(scope.town, by_shop)
    by_street: dict[str, int] = {}
    by_trade: dict[str, int] = {}
    for shop_id, cents in by_shop.items():
        street, trade = places.get(shop_id, ("", ""))
        by_street[street or _("Adresse inconnue")] = by_street.get(street or _("Adresse inconnue"), 0) + cents
        by_trade[trade or _("Autre")] = by_trade.get(trade or _("Autre"), 0) + cents
    spent_note = _("Achats payés en bons dans les commerces de la ville, moins les achats annulés.")
    charts = [
        weekly_chart(
            "bons-par-semaine",
            _("Dépensé en bons d'achat par semaine"),
            period,
            [(_("Dépensé en bons"), spent_euros)],
            unit="€",
            decimals=2,
            note=spent_note,
        )
    ]
    if by_shop:
        charts += [
            _ranked_chart("bons-par-rue", _("Dépensé en bons par rue"), _("Rue"), by_street),
            _ranked_chart("bons-par-activite", _("Dépensé en bons par activité"), _("Activité"), by_trade),
        ]
    return Section(
        key="bons-achat",
        title=_("Bons d'achat"),
        figures=[
            period_figure(
                "vouchers-spent",
                _("Dépensé en bons d'achat"),
                spent_euros,
                period,
                euros=True,
                note=spent_note,
            ),
            Figure(
                key="vouchers-share-spent",
                label=_("Part des bons émis déjà dépensée"),
                value=share or Decimal(0),
                shown=format_percent(share),
                trend=None,
                note=_("Depuis le début des opérations de la ville, jusqu'à la fin de la période."),
            ),
            Figure(
                key="vouchers-shops-discovered",
                label=_("Commerces découverts avec un bon"),
                value=discovered,
                shown=format_number(discovered),
                trend=None,
                note=_(
                    "Fois où un bénéficiaire a dépensé un bon dans un commerce "
                    "où il n'en avait jamais dépensé."
                ),
            ),
            Figure(
                key="vouchers-shops-per-voucher",
                label=_("Commerces par bon utilisé"),
                value=per_voucher or Decimal(0),
                shown=formats.number_format(per_voucher, 1, use_l10n=True)
                if per_voucher is not None
                else "—",
                trend=None,
                note=_(
                    "Nombre moyen de commerces différents où chaque bon utilisé sur la période a été dépensé."
                ),
            ),
        ],
        charts=charts,
    )


# --- Crossed views ----------------------------------------------------------------------------------------


def vacancy_by_street(scope: Scope) -> Chart | None:
    """Vacancy street by street today."""
    if scope.vacancy.history_start is None or not scope.vacancy.streets:
        return None
    return scope.vacancy.street_chart


def _index(values: Sequence[Number | None]) -> list[Number | None]:
    """Each value as an index, 100 being the mean of the values known; gaps stay gaps."""
    known = [value for value in values if value is not None]
    if not known or not sum(known):
        return [None for _value in values]
    mean = Decimal(sum(known)) / len(known)
    return [None if value is None else round(Decimal(value) * 100 / mean) for value in values]


def footfall_against_platform(scope: Scope) -> Chart | None:
    """Passages in the streets and visits of the platform's pages, week by week, each as an index of its own
    mean: whether the two move together."""
    until = scope.footfall_until
    if not scope.footfall_kinds or until is None:
        return None
    kind, period = scope.footfall_kinds[0], scope.period
    # The days after the last complete one are left out: their weeks are gaps.
    days = scope.footfall_days[kind].days(period.first, min(period.last, until))
    passages = {row.first: row.total for row in days if row.total is not None}
    counts = scope.platform_counts
    visits = added(counts[Metric.SHOP_VIEW], counts[Metric.PRODUCT_VIEW])
    weeks = period.weeks()
    # Per day, so that a week shorter than seven days (a year's first) weighs as much as the others.
    daily_passages: list[Number | None] = []
    for first, last in weeks:
        counted = [total for day, total in passages.items() if first <= day <= last]
        # A week not counted to its end yet is a gap: its sum would read as a fall.
        known = counted and last <= until
        daily_passages.append(Decimal(sum(counted)) / len(counted) if known else None)
    daily_visits = [
        Decimal(sum_days(visits, first, last)) / ((last - first).days + 1) for first, last in weeks
    ]
    chart = Chart(
        slug="passages-et-visites",
        title=_("Passages dans les rues et visites de la plateforme, semaine par semaine"),
        kind="line",
        category_label=_("Semaine du"),
        categories=[Category(first.isoformat(), formats.date_format(first, "j N")) for first, _last in weeks],
        series=[
            Series(_("Passages : %(kind)s") % {"kind": kind.label}, _index(daily_passages)),
            Series(_("Visites des pages"), _index(daily_visits)),
        ],
        unit=_("indice 100 : moyenne de la période"),
        note=_(
            "Chaque série, en moyenne par jour de la semaine, est rapportée à sa propre moyenne sur la "
            "période, pour comparer leurs variations ; leurs chiffres sont dans leurs sections. Une semaine "
            "sans comptage, ou pas encore comptée jusqu'au bout, est un trou, jamais un zéro."
        ),
    )
    return events_compared.marked(chart, scope.events, week_spans(period))


def event_days_measures(scope: Scope) -> list[events_compared.Measure]:
    """The day figures an event day is compared on, from what the scope read once: footfall of the first
    kind counted (complete days only), visits of the platform's pages, orders and their amount (from the
    town's first day on the platform to yesterday, a day without any counting zero)."""
    period = scope.period
    first = period.first - timedelta(weeks=events_compared.COMPARABLE_WEEKS)
    measures = []
    until = scope.footfall_until
    if scope.footfall_kinds and until is not None:
        kind = scope.footfall_kinds[0]
        days = scope.footfall_days[kind].days(first, min(period.last, until))
        label = _("Passages : %(kind)s") % {"kind": kind.label}
        measures.append(events_compared.footfall_measure(label, days))
    counts = scope.platform_counts
    visits = added(counts[Metric.SHOP_VIEW], counts[Metric.PRODUCT_VIEW])
    # From the town's first day, up to yesterday (today is not over).
    since, yesterday = max(first, scope.first_known_day), period.last - timedelta(days=1)
    return measures + events_compared.platform_measures(visits, scope.orders, first=since, last=yesterday)


def event_days_compared(scope: Scope) -> events_compared.EventDaysComparison | None:
    """The period's event days beside their comparable days (None without any event day)."""
    period = scope.period
    if not any(period.first <= day <= period.last for day in scope.events):
        return None
    return events_compared.compare_event_days(
        scope.events, event_days_measures(scope), first=period.first, last=period.last
    )


def event_days_against_comparable(scope: Scope) -> Chart | None:
    """Each event day of the period beside comparable days without an event: footfall, visits, orders."""
    comparison = event_days_compared(scope)
    return None if comparison is None else comparison.chart


# Crossed views: each a function of the scope returning one chart (or None when it has nothing to show).
CROSSED_VIEWS: tuple[ChartBuilder, ...] = (
    vacancy_by_street,
    footfall_against_platform,
    event_days_against_comparable,
)


def crossed_section(scope: Scope) -> Section | None:
    """The crossed views (`CROSSED_VIEWS`), once there is one with something to show."""
    charts = [chart for build in CROSSED_VIEWS if (chart := build(scope)) is not None]
    if not charts:
        return None
    return Section(key="vues-croisees", title=_("Vues croisées"), figures=[], charts=charts)


SECTIONS: tuple[SectionBuilder, ...] = (
    vacancy_section,
    footfall_section,
    parking_section,
    shops_section,
    platform_section,
    click_collect_section,
    vouchers_section,
    crossed_section,
)


@dataclass(frozen=True)
class Dashboard:
    period: Period
    sections: list[Section]

    @property
    def charts(self) -> list[Chart]:
        """Every chart of the page: the CSV files it answers."""
        return [chart for section in self.sections for chart in section.charts]

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)

    def figure(self, key: str) -> Figure:
        return next(figure for section in self.sections for figure in section.figures if figure.key == key)


def town_dashboard(town: Town, *, at: datetime, period: str = DEFAULT_PERIOD) -> Dashboard:
    """Every section of `town`'s dashboard for `period` ending on `at`'s day, in a handful of queries."""
    today = at.astimezone(ZoneInfo(town.timezone)).date()
    scope = Scope(town=town, at=at, period=period_for(period, today=today))
    sections = [section for build in SECTIONS if (section := build(scope)) is not None]
    return Dashboard(period=scope.period, sections=sections)
