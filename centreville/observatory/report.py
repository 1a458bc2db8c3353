"""The monthly report for the municipal council: one month's key figures of a town, each against the month
before and the same month a year earlier, with charts over thirteen months and their tables.

The report is a list of sections, each made by one function of the `ReportScope` (the town, the month, the
time of writing): `REPORT_SECTIONS`. A new pillar adds its section by adding a function there, e.g.

    def vacancy_report(scope: ReportScope) -> ReportSection | None:   # from the premises app's selectors
        ...
    REPORT_SECTIONS = (..., vacancy_report, footfall_report)

A function returns None when it has nothing to report for the town. `report_pdf.py` lays the sections out;
this module only reads (about ten queries for the whole report).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import formats
from django.utils.translation import gettext as _

from centreville.activity.models import Metric
from centreville.activity.selectors import searches_without_result, town_counts_by_day
from centreville.agenda.selectors import event_days
from centreville.core.charts import Category, Chart, Series
from centreville.footfall import charts as footfall_charts
from centreville.footfall import selectors as footfall
from centreville.footfall.models import MobilityKind
from centreville.premises.vacancy import over_time_chart, vacancy_page
from centreville.towns.models import Town
from centreville.vouchers import spending as voucher_spending

from . import event_days as events_compared
from . import selectors
from .dashboard import Number, Trend, delta_trend, format_number, format_percent, sum_days, trend

MONTHS_CHARTED = 13  # the month and the twelve before: the same month last year is the first bar
UNFOUND_LISTED = 15


# --- Months -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Month:
    first: date  # its first day

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.replace(day=1))

    @classmethod
    def parse(cls, text: str) -> Month:
        """« 2026-03 » → March 2026; ValueError for anything else."""
        year, _sep, month = text.partition("-")
        if not (len(year) == 4 and len(month) == 2 and year.isdigit() and month.isdigit()):
            raise ValueError(text)
        return cls(date(int(year), int(month), 1))

    @property
    def last(self) -> date:
        return self.next().first - timedelta(days=1)

    @property
    def key(self) -> str:
        return self.first.strftime("%Y-%m")

    @property
    def label(self) -> str:
        """« mars 2026 », « March 2026 »."""
        return formats.date_format(self.first, "F Y")

    def next(self) -> Month:
        return Month(date(self.first.year + self.first.month // 12, self.first.month % 12 + 1, 1))

    def previous(self) -> Month:
        return Month((self.first - timedelta(days=1)).replace(day=1))

    def year_before(self) -> Month:
        return Month(self.first.replace(year=self.first.year - 1))

    def back(self, months: int) -> Month:
        month = self
        for _n in range(months):
            month = month.previous()
        return month


def last_finished_month(at: datetime, tz: ZoneInfo) -> Month:
    """The month before the one `at` falls in, in `tz`."""
    return Month.of(at.astimezone(tz).date()).previous()


# --- Figures ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFigure:
    """A figure of the month beside the month before and the same month a year earlier."""

    label: str
    current: Number
    previous: Number | None  # None: the town was not on the platform yet
    year_before: Number | None
    euros: bool = False
    percent: bool = False  # a share or a rate: its trends are in points, not in percent of itself
    decimals: int = 0  # of a share or a rate

    def shown(self, value: Number | None) -> str:
        if value is None:
            return "—"
        if self.percent:
            return format_percent(Decimal(value), decimals=self.decimals)
        return format_number(value, euros=self.euros)

    @property
    def versus_previous(self) -> Trend | None:
        return self._trend(self.previous, _("par rapport au mois précédent"), _("le mois précédent"))

    @property
    def versus_year_before(self) -> Trend | None:
        return self._trend(
            self.year_before, _("par rapport au même mois de l'an dernier"), _("le même mois de l'an dernier")
        )

    def _trend(self, then: Number | None, compared: str, before: str) -> Trend | None:
        if then is None:
            return None
        if not self.percent:
            return trend(self.current, then, compared=compared, before=before)
        points = Decimal(self.current) - Decimal(then)
        return delta_trend(points, unit=_("pt"), compared=compared, decimals=self.decimals)


@dataclass(frozen=True)
class ReportTable:
    """A plain table of the report (not a chart's): a caption, headers, rows of text."""

    caption: str
    headers: list[str]
    rows: list[list[str]]
    numeric: tuple[int, ...] = ()  # the columns aligned right


@dataclass(frozen=True)
class ReportSection:
    key: str
    title: str
    figures: list[ReportFigure]
    charts: list[Chart] = field(default_factory=list)
    tables: list[ReportTable] = field(default_factory=list)
    intro: str = ""
    note: str = ""


@dataclass(frozen=True)
class ReportScope:
    town: Town
    month: Month
    at: datetime  # when the report is written

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.town.timezone)

    @property
    def first_charted(self) -> Month:
        return self.month.back(MONTHS_CHARTED - 1)

    @property
    def months(self) -> list[Month]:
        """The months charted, oldest first: the same month last year to this one."""
        months = [self.first_charted]
        while months[-1] < self.month:
            months.append(months[-1].next())
        return months

    @property
    def started(self) -> Month:
        """The town's first month on the platform: before it, figures are gaps, not zeros."""
        return Month.of(self.town.created_at.astimezone(self.tz).date())

    def known(self, month: Month, value: Number) -> Number | None:
        """`value` for `month`, or None (a gap) if the town was not on the platform yet."""
        return value if month >= self.started else None


def _in_month(by_day: Mapping[date, Number], month: Month) -> Number:
    return sum_days(by_day, month.first, month.last)


def _figure(
    scope: ReportScope, label: str, by_day: Mapping[date, Number], *, euros: bool = False
) -> ReportFigure:
    month, previous, year_before = scope.month, scope.month.previous(), scope.month.year_before()
    return ReportFigure(
        label=label,
        current=_in_month(by_day, month),
        previous=scope.known(previous, _in_month(by_day, previous)),
        year_before=scope.known(year_before, _in_month(by_day, year_before)),
        euros=euros,
    )


def monthly_chart(
    scope: ReportScope,
    slug: str,
    title: str,
    series: Sequence[tuple[str, Mapping[date, Number]]],
    *,
    kind: str = "bar",
    unit: str = "",
    decimals: int = 0,
    note: str = "",
) -> Chart:
    """A chart of the thirteen months ending on the report's month, one series per (label, values by day);
    months before the town joined the platform are gaps."""
    months = scope.months
    return Chart(
        slug=slug,
        title=title,
        kind=kind,
        category_label=_("Mois"),
        categories=[Category(month.key, month.label) for month in months],
        series=[
            Series(
                label,
                [scope.known(month, _in_month(by_day, month)) for month in months],
                decimals=decimals,
            )
            for label, by_day in series
        ],
        unit=unit,
        note=note,
    )


# --- Sections ---------------------------------------------------------------------------------------------


def platform_report(scope: ReportScope) -> ReportSection:
    """Page views of shops and products, QR scans, searches and searches without result."""
    metrics = [Metric.SHOP_VIEW, Metric.PRODUCT_VIEW, Metric.QR_SCAN, Metric.SEARCH, Metric.SEARCH_NO_RESULT]
    counts = town_counts_by_day(
        scope.town.pk, metrics, first_day=scope.first_charted.first, last_day=scope.month.last
    )
    by_metric: dict[str, dict[date, Number]] = {metric: {} for metric in metrics}
    for (metric, day), count in counts.items():
        by_metric[metric][day] = count
    shop_pages, product_pages = by_metric[Metric.SHOP_VIEW], by_metric[Metric.PRODUCT_VIEW]
    return ReportSection(
        key="plateforme",
        title=_("Fréquentation de la plateforme"),
        intro=_("Comptée chaque jour, sans cookie ni suivi des personnes."),
        figures=[
            _figure(scope, _("Visites des pages des commerces"), shop_pages),
            _figure(scope, _("Visites des pages des produits"), product_pages),
            _figure(scope, _("Scans des QR codes"), by_metric[Metric.QR_SCAN]),
            _figure(scope, _("Recherches"), by_metric[Metric.SEARCH]),
            _figure(scope, _("Recherches sans résultat"), by_metric[Metric.SEARCH_NO_RESULT]),
        ],
        charts=[
            monthly_chart(
                scope,
                "visites",
                _("Visites des pages par mois"),
                [(_("Pages de commerces"), shop_pages), (_("Pages de produits"), product_pages)],
                kind="stacked",
            ),
            monthly_chart(
                scope,
                "scans-recherches",
                _("Scans et recherches par mois"),
                [
                    (_("Scans des QR codes"), by_metric[Metric.QR_SCAN]),
                    (_("Recherches"), by_metric[Metric.SEARCH]),
                    (_("Recherches sans résultat"), by_metric[Metric.SEARCH_NO_RESULT]),
                ],
                kind="line",
            ),
        ],
    )


def click_collect_report(scope: ReportScope) -> ReportSection:
    """Orders placed, Click & Collect sales and the town's share of delivery fees."""
    first, last = scope.first_charted.first, scope.month.last
    orders = selectors.orders_by_day(scope.town, first=first, last=last, tz=scope.tz)
    placed: dict[date, Number] = {day: count for day, (count, _sales) in orders.items()}
    sold: dict[date, Number] = {day: sales for day, (_count, sales) in orders.items()}
    subsidy: dict[date, Number] = dict(
        selectors.subsidy_by_day(scope.town, first=first, last=last, tz=scope.tz)
    )
    return ReportSection(
        key="click-collect",
        title=_("Click & Collect"),
        figures=[
            _figure(scope, _("Commandes passées"), placed),
            _figure(scope, _("Ventes Click & Collect"), sold, euros=True),
            _figure(scope, _("Aide de la ville à la livraison"), subsidy, euros=True),
        ],
        charts=[
            monthly_chart(scope, "commandes", _("Commandes passées par mois"), [(_("Commandes"), placed)]),
            monthly_chart(
                scope,
                "ventes",
                _("Ventes et aide à la livraison par mois"),
                [(_("Ventes Click & Collect"), sold), (_("Aide de la ville à la livraison"), subsidy)],
                unit="€",
                decimals=2,
            ),
        ],
        note=_(
            "Ventes : montant des articles des commandes retirées, à la date de la commande. Aide à la "
            "livraison : part des frais de livraison payée par la ville, à la date de la remise."
        ),
    )


def shops_report(scope: ReportScope) -> ReportSection:
    """Shops published at the end of each month compared, those active during it, and their share."""
    month, tz = scope.month, scope.tz
    compared = {"now": month, "previous": month.previous(), "year": month.year_before()}
    published = selectors.published_at(
        scope.town, {name: selectors.midnight(m.next().first, tz) for name, m in compared.items()}
    )
    days = selectors.active_days(scope.town, first=compared["year"].first, last=month.last, tz=tz)
    active = {
        name: selectors.shops_active(published[name], days, first=m.first, last=m.last)
        for name, m in compared.items()
    }

    def share(name: str) -> int:
        return round(100 * active[name] / len(published[name])) if published[name] else 0

    def figure(label: str, value: Callable[[str], int], *, percent: bool = False) -> ReportFigure:
        return ReportFigure(
            label,
            value("now"),
            scope.known(compared["previous"], value("previous")),
            scope.known(compared["year"], value("year")),
            percent=percent,
        )

    return ReportSection(
        key="commerces",
        title=_("Commerces sur la plateforme"),
        figures=[
            figure(_("Commerces publiés en fin de mois"), lambda name: len(published[name])),
            figure(_("Commerces actifs dans le mois"), lambda name: active[name]),
            figure(_("Part des commerces publiés qui sont actifs"), share, percent=True),
        ],
        note=_(
            "Actif : un commerce publié qui a mis à jour sa page, ses produits ou ses photos, ou traité une "
            "commande, dans le mois. L'évolution de la part est en points."
        ),
    )


def unfound_searches_report(scope: ReportScope) -> ReportSection | None:
    """What residents searched for in the month without finding it: a signal for the vacant units."""
    found = searches_without_result(
        scope.town.pk, first_day=scope.month.first, last_day=scope.month.last, limit=UNFOUND_LISTED
    )
    if not found:
        return None
    return ReportSection(
        key="recherches-sans-resultat",
        title=_("Ce que les habitants cherchent sans le trouver"),
        intro=_("Les recherches sans résultat les plus fréquentes du mois, %(count)s au plus.")
        % {"count": UNFOUND_LISTED},
        figures=[],
        tables=[
            ReportTable(
                caption=_("Recherches sans résultat du mois"),
                headers=[_("Recherche"), _("Nombre de fois"), _("Dernier jour")],
                rows=[
                    [row.words, format_number(row.times), formats.date_format(row.last_day, "j F Y")]
                    for row in found
                ],
                numeric=(1,),
            )
        ],
        note=_("Seuls les mots recherchés sont gardés, sans rien sur les personnes qui les ont cherchés."),
    )


VACANCY_STREETS_LISTED = 15


def vacancy_report(scope: ReportScope) -> ReportSection | None:
    """The centre's vacancy at the end of the month, against the month before and a year before, month by
    month, and the streets with the most vacant units (none before the town records its units)."""
    month = scope.month
    page = vacancy_page(scope.town, on=month.last, months_shown=MONTHS_CHARTED)
    if page.history_start is None:
        return None
    at_end = {vacancy.month: vacancy.centre for vacancy in page.months}
    now, previous, year = (
        at_end.get(month.first),
        at_end.get(month.previous().first),
        page.a_year_before.centre,
    )

    def figure(
        label: str, value: Callable[[Any], Number | None], *, percent: bool = True
    ) -> ReportFigure | None:
        current = value(now) if now is not None else None
        if current is None:
            return None
        return ReportFigure(
            label,
            current,
            value(previous) if previous is not None else None,
            value(year) if year.units else None,
            percent=percent,
            decimals=1 if percent else 0,
        )

    figures = [
        figure(_("Taux de vacance du centre-ville"), lambda figures: figures.rate),
        figure(_("Taux de vacance en surface"), lambda figures: figures.surface_rate),
        figure(_("Locaux vacants du centre-ville"), lambda figures: figures.vacant, percent=False),
    ]
    streets = sorted(page.streets, key=lambda street: (-street.figures.vacant, street.street))
    return ReportSection(
        key="vacance",
        title=_("Vacance commerciale"),
        intro=_("Au dernier jour du mois, à partir de l'historique des locaux de la ville."),
        figures=[item for item in figures if item is not None],
        charts=[over_time_chart(page.months)],
        tables=[
            ReportTable(
                caption=_("Les rues qui ont le plus de locaux vacants, %(count)s au plus")
                % {"count": VACANCY_STREETS_LISTED},
                headers=[_("Rue"), _("Locaux"), _("Vacants"), _("Taux de vacance")],
                rows=[
                    [
                        street.street,
                        format_number(street.figures.units),
                        format_number(street.figures.vacant),
                        format_percent(street.figures.rate),
                    ]
                    for street in streets[:VACANCY_STREETS_LISTED]
                    if street.figures.vacant
                ],
                numeric=(1, 2, 3),
            )
        ],
        note=_(
            "Un local est vacant quand il n'a ni occupant ni travaux ni réservation ; le taux rapporte les "
            "locaux vacants du centre-ville à tous ses locaux connus ce jour-là. L'évolution est en points."
        ),
    )


def footfall_report(scope: ReportScope) -> ReportSection | None:
    """What the street counters counted in the month, kind by kind, against the month before and the same
    month a year before, and month by month (none before the town has counts)."""
    kinds = [MobilityKind(kind) for kind in footfall.kinds_counted(scope.town)]
    if not kinds:
        return None
    month = scope.month
    figures = []
    for kind in kinds:
        counted = footfall.Scope(scope.town, kind=kind)
        months = footfall.months_compared(counted, month.previous().first, month.last)
        if len(months) != 2:
            continue
        before, this = months
        total = this.current.total
        if total is None:  # nothing counted this month: no figure, rather than a zero
            continue
        figures.append(
            ReportFigure(
                _("Passages : %(kind)s") % {"kind": kind.label},
                total,
                before.current.total,
                this.previous.total,
            )
        )
    charted = footfall.months_compared(
        footfall.Scope(scope.town, kind=kinds[0]), scope.first_charted.first, month.last
    )
    return ReportSection(
        key="passages",
        title=_("Fréquentation des rues"),
        intro=_("Les passages comptés par les compteurs de la ville."),
        figures=figures,
        charts=[
            footfall_charts.months_chart(
                charted, slug="passages", title=_("%(kind)s : passages par mois") % {"kind": kinds[0].label}
            )
        ],
        note=_(
            "Un mois sans aucun comptage est laissé vide, jamais compté zéro ; un mois dont des jours "
            "manquent le dit dans le tableau, et son total est trop bas pour être comparé."
        ),
    )


def event_days_report(scope: ReportScope) -> ReportSection | None:
    """The month's event days beside comparable days without an event (`event_days`): the difference of each
    measure, the events named (none without an event day in the month)."""
    month, tz = scope.month, scope.tz
    around = timedelta(weeks=events_compared.COMPARABLE_WEEKS)
    events = event_days(
        town_id=scope.town.pk,
        start=month.first - around,
        end=month.last + around,
        timezone=scope.town.timezone,
    )
    if not any(month.first <= day <= month.last for day in events):
        return None
    # Up to the day before the report is written (that day is not over), four weeks after the month at most.
    first, last = (
        month.first - around,
        min(month.last + around, scope.at.astimezone(tz).date() - timedelta(1)),
    )
    measures = []
    kinds = [MobilityKind(kind) for kind in footfall.kinds_counted(scope.town)]
    if kinds:
        counted = footfall.counted_days(footfall.Scope(scope.town, kind=kinds[0]), (first, last))
        label = _("Passages : %(kind)s") % {"kind": kinds[0].label}
        measures.append(events_compared.footfall_measure(label, counted.days(first, last)))
    counts = town_counts_by_day(
        scope.town.pk, [Metric.SHOP_VIEW, Metric.PRODUCT_VIEW], first_day=first, last_day=last
    )
    visits: dict[date, Number] = {}
    for (_metric, day), count in counts.items():
        visits[day] = visits.get(day, 0) + count
    orders = selectors.orders_by_day(scope.town, first=first, last=last, tz=tz)
    since = max(first, scope.town.created_at.astimezone(tz).date())
    measures += events_compared.platform_measures(visits, orders, first=since, last=last)
    comparison = events_compared.compare_event_days(events, measures, first=month.first, last=month.last)
    return ReportSection(
        key=events_compared.SLUG,
        title=_("Jours d'événement et jours comparables"),
        intro=_(
            "Chaque jour d'événement de la ville dans le mois, comparé aux mêmes jours de la semaine sans "
            "événement."
        ),
        figures=[],
        charts=[comparison.differences_chart],
    )


ReportSectionBuilder = Callable[[ReportScope], ReportSection | None]


def vouchers_report(scope: ReportScope) -> ReportSection | None:
    """What the town's vouchers paid in its shops each month, and the share of what was issued that is spent
    at the month's end (none before the town runs a programme)."""
    if not voucher_spending.town_programmes(scope.town).exists():
        return None
    start = selectors.midnight(scope.first_charted.first, scope.tz)
    end = selectors.midnight(scope.month.last + timedelta(days=1), scope.tz)
    spent: dict[date, Number] = {
        day: Decimal(cents) / 100
        for day, cents in voucher_spending.spends_by_day(scope.town, start=start, end=end).items()
    }
    issued, spent_total = voucher_spending.issued_and_spent(scope.town, until=end)
    figures = [_figure(scope, _("Dépensé en bons d'achat"), spent, euros=True)]
    if issued:
        figures.append(
            ReportFigure(
                label=_("Part des bons émis déjà dépensée"),
                current=round(Decimal(100 * spent_total) / issued, 1),
                previous=None,
                year_before=None,
                percent=True,
                decimals=1,
            )
        )
    return ReportSection(
        key="bons-achat",
        title=_("Bons d'achat"),
        figures=figures,
        charts=[
            monthly_chart(
                scope,
                "bons",
                _("Dépensé en bons d'achat par mois"),
                [(_("Dépensé en bons"), spent)],
                unit="€",
                decimals=2,
            )
        ],
        note=_(
            "Achats payés en bons dans les commerces de la ville, moins les achats annulés, à leur date. "
            "La part dépensée compte tout ce que les opérations de la ville ont émis jusqu'à la fin du mois."
        ),
    )


REPORT_SECTIONS: tuple[ReportSectionBuilder, ...] = (
    vacancy_report,
    footfall_report,
    platform_report,
    click_collect_report,
    vouchers_report,
    shops_report,
    unfound_searches_report,
    event_days_report,
)


@dataclass(frozen=True)
class MonthlyReportContent:
    town: Town
    month: Month
    at: datetime
    sections: list[ReportSection]

    @property
    def method(self) -> list[str]:
        """How the figures are made, in a few sentences, for the report's last page."""
        return [
            _(
                "Les visites, scans et recherches sont comptés par jour sur le serveur, sans cookie, sans "
                "adresse IP et sans identifiant : on sait combien de fois une page a été vue, jamais par qui."
            ),
            _(
                "Chaque chiffre du mois est comparé au mois précédent et au même mois de l'an dernier. "
                "Les mois d'avant l'arrivée de la ville sur la plateforme sont laissés vides, jamais "
                "comptés zéro."
            ),
            _(
                "Les commandes comptent à la date où elles ont été passées ; l'aide à la livraison à la date "
                "de la remise. Les chiffres sont ceux du jour où le rapport a été fait."
            ),
        ]


def monthly_report(town: Town, *, month: Month, at: datetime) -> MonthlyReportContent:
    """Every section of `town`'s report for `month`, as the figures stand at `at`."""
    scope = ReportScope(town=town, month=month, at=at)
    sections = [section for build in REPORT_SECTIONS if (section := build(scope)) is not None]
    return MonthlyReportContent(town=town, month=month, at=at, sections=sections)


REPORT_MONTHS_OFFERED = 36


def report_months(town: Town, *, at: datetime) -> list[Month]:
    """The months a report can be made for, newest first: those finished at `at`, since the town joined the
    platform, three years back at most."""
    tz = ZoneInfo(town.timezone)
    last = last_finished_month(at, tz)
    first = max(Month.of(town.created_at.astimezone(tz).date()), last.back(REPORT_MONTHS_OFFERED - 1))
    months = []
    month = last
    while month >= first:
        months.append(month)
        month = month.previous()
    return months
