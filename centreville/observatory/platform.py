"""« Activité de la plateforme »: what the town's pages were used for over a period, for the town team.

Totals with their trend, week by week; the most viewed shops and products; the QR codes scanned; and the
searches that found nothing, which tell what residents look for and cannot find in the town centre (a
signal for the vacant units). All from the day counts of `activity`, in about eight queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils.translation import gettext as _

from centreville.activity import selectors as activity
from centreville.activity.models import Metric
from centreville.core.charts import Category, Chart, Series
from centreville.core.spreadsheets import spreadsheet_text, spreadsheet_writer
from centreville.towns.models import Town

from . import selectors
from .dashboard import Figure, Period, Scope, counts_by_day, period_figure, period_for, weekly_chart

MOST_VIEWED = 10
UNFOUND_SHOWN = 100
UNFOUND_CSV = "recherches-sans-resultat"


@dataclass(frozen=True)
class PlatformActivity:
    period: Period
    figures: list[Figure]
    weekly: list[Chart]
    most_viewed: list[Chart]  # shops, products, QR scans by shop: horizontal bars
    unfound: list[activity.UnfoundSearch]  # most searched first

    @property
    def charts(self) -> list[Chart]:
        return [*self.weekly, *self.most_viewed]

    @property
    def unfound_shown(self) -> list[activity.UnfoundSearch]:
        return self.unfound[:UNFOUND_SHOWN]


def _ranking(
    slug: str,
    title: str,
    category_label: str,
    rows: list[tuple[str, list[int]]],
    series: list[str],
    *,
    kind: str = "bar",
    note: str = "",
) -> Chart:
    """A ranking as a chart of horizontal bars: one category per (name, values); the CSV gives the names."""
    return Chart(
        slug=slug,
        title=title,
        kind=kind,
        category_label=category_label,
        categories=[Category(name, name) for name, _values in rows],
        series=[
            Series(label, [values[index] for _name, values in rows]) for index, label in enumerate(series)
        ],
        note=note,
        extra={"orientation": "horizontal"},
    )


def platform_activity(town: Town, *, at: datetime, period: str) -> PlatformActivity:
    """The town's platform activity over `period` ending on `at`'s day."""
    today = at.astimezone(ZoneInfo(town.timezone)).date()
    scope = Scope(town=town, at=at, period=period_for(period, today=today))
    span = scope.period
    metrics = [Metric.SHOP_VIEW, Metric.PRODUCT_VIEW, Metric.QR_SCAN, Metric.SEARCH, Metric.SEARCH_NO_RESULT]
    counts = counts_by_day(scope, metrics)
    first, last = span.first, span.last
    shops = activity.shops_most_viewed(town.pk, first_day=first, last_day=last, limit=MOST_VIEWED)
    products = activity.products_most_viewed(town.pk, first_day=first, last_day=last, limit=MOST_VIEWED)
    scanned = activity.shops_most_counted(
        town.pk, Metric.QR_SCAN, first_day=first, last_day=last, limit=MOST_VIEWED
    )
    names = selectors.shop_names(
        town,
        {row.shop_id for row in shops}
        | {row.shop_id for row in products}
        | {shop_id for shop_id, _n in scanned},
    )
    titles = selectors.product_titles(town, {row.product_id for row in products})
    unfound = activity.searches_without_result(town.pk, first_day=first, last_day=last)

    def shop(shop_id: int) -> str:
        return names.get(shop_id, _("Commerce supprimé"))

    return PlatformActivity(
        period=span,
        figures=[
            period_figure("shop-pages", _("Visites des pages des commerces"), counts[Metric.SHOP_VIEW], span),
            period_figure(
                "product-pages", _("Visites des pages des produits"), counts[Metric.PRODUCT_VIEW], span
            ),
            period_figure("scans", _("Scans des QR codes"), counts[Metric.QR_SCAN], span),
            period_figure("searches", _("Recherches"), counts[Metric.SEARCH], span),
            period_figure("unfound", _("Recherches sans résultat"), counts[Metric.SEARCH_NO_RESULT], span),
        ],
        weekly=[
            weekly_chart(
                "visites",
                _("Visites des pages par semaine"),
                span,
                [
                    (_("Pages de commerces"), counts[Metric.SHOP_VIEW]),
                    (_("Pages de produits"), counts[Metric.PRODUCT_VIEW]),
                ],
                kind="stacked",
                events=scope.events,
            ),
            weekly_chart(
                "recherches",
                _("Recherches par semaine"),
                span,
                [
                    (_("Recherches"), counts[Metric.SEARCH]),
                    (_("Recherches sans résultat"), counts[Metric.SEARCH_NO_RESULT]),
                ],
                kind="line",
            ),
            weekly_chart(
                "scans",
                _("Scans des QR codes par semaine"),
                span,
                [(_("Scans des QR codes"), counts[Metric.QR_SCAN])],
            ),
        ],
        most_viewed=[
            _ranking(
                "commerces-les-plus-vus",
                _("Commerces les plus vus"),
                _("Commerce"),
                [(shop(row.shop_id), [row.shop_page, row.product_pages]) for row in shops],
                [_("Page du commerce"), _("Pages de ses produits")],
                kind="stacked",
            ),
            _ranking(
                "produits-les-plus-vus",
                _("Produits les plus vus"),
                _("Produit"),
                [
                    (
                        _("%(product)s (%(shop)s)")
                        % {
                            "product": titles.get(row.product_id, _("Produit supprimé")),
                            "shop": shop(row.shop_id),
                        },
                        [row.views],
                    )
                    for row in products
                ],
                [_("Visites de la page")],
            ),
            _ranking(
                "scans-par-commerce",
                _("QR codes des commerces les plus scannés"),
                _("Commerce"),
                [(shop(shop_id), [count]) for shop_id, count in scanned],
                [_("Scans")],
                note=_("Les scans de l'affiche de la ville comptent dans le total, pas dans ce classement."),
            ),
        ],
        unfound=unfound,
    )


def unfound_searches_csv(rows: list[activity.UnfoundSearch], *, filename: str) -> HttpResponse:
    """The searches without result as a French spreadsheet: words, times, last day (ISO)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = spreadsheet_writer(response)
    writer.writerow([_("Recherche"), _("Nombre de fois"), _("Dernier jour")])
    for row in rows:
        writer.writerow([spreadsheet_text(row.words), row.times, row.last_day.isoformat()])
    return response
