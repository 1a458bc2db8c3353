"""The monthly report: a month's figures against the month before and the same month last year, computed by
hand here (a month with the spring clock change); its PDF; kept once per town and month by the scheduler."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from centreville.activity.models import Metric, SearchWithoutResult
from centreville.activity.tests.factories import day_count
from centreville.catalogue.tests.factories import ProductFactory
from centreville.footfall.tests.factories import CountingSiteFactory, import_files, source
from centreville.fulfilment.tests.factories import order_for
from centreville.observatory import services
from centreville.observatory.models import MonthlyReport
from centreville.observatory.report import (
    Month,
    ReportSection,
    last_finished_month,
    monthly_report,
    report_months,
)
from centreville.observatory.report_pdf import monthly_report_pdf, pdf_text
from centreville.observatory.tasks import make_monthly_reports
from centreville.orders.models import Order, OrderStatus
from centreville.premises.models import UnitState
from centreville.premises.tests.factories import unit_with_history
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

from .pdf import pdf_pages
from .pdf import pdf_text as text_of

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
MARCH = Month(date(2026, 3, 1))
AT = datetime(2026, 4, 1, 6, 0, tzinfo=PARIS)


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def joined(town: Town, when: datetime) -> Town:
    Town.objects.filter(pk=town.pk).update(created_at=when)
    town.refresh_from_db()
    return town


@dataclass(frozen=True)
class Argentan:
    town: Town
    bakery: Shop


@pytest.fixture
def argentan() -> Argentan:
    town = joined(TownFactory.create(name="Argentan", slug="argentan"), paris(2025, 6, 10, 9))
    bakery = ShopFactory.create(town=town, name="Boulangerie du Marché")
    Shop.objects.filter(pk=bakery.pk).update(created_at=paris(2025, 7, 1, 9))
    loaf = ProductFactory.create(shop=bakery)
    other = ShopFactory.create()
    for shop, product, metric, day, count in [
        (bakery, None, Metric.SHOP_VIEW, date(2026, 3, 1), 10),
        (bakery, None, Metric.SHOP_VIEW, date(2026, 3, 29), 5),  # the clocks went forward that night
        (bakery, None, Metric.SHOP_VIEW, date(2026, 3, 31), 1),
        (bakery, None, Metric.SHOP_VIEW, date(2026, 2, 28), 8),
        (bakery, None, Metric.SHOP_VIEW, date(2026, 4, 1), 100),  # April
        (bakery, loaf, Metric.PRODUCT_VIEW, date(2026, 3, 15), 4),
        (bakery, None, Metric.MERCHANT_UPDATE, date(2026, 3, 5), 1),
        (other, None, Metric.SHOP_VIEW, date(2026, 3, 1), 999),  # another town
    ]:
        day_count(town=shop.town, shop=shop, product=product, metric=metric, day=day, count=count)
    for metric, day, count in [
        (Metric.QR_SCAN, date(2026, 3, 10), 3),
        (Metric.QR_SCAN, date(2025, 6, 20), 7),
        (Metric.SEARCH_NO_RESULT, date(2026, 3, 12), 4),
    ]:
        day_count(town=town, metric=metric, day=day, count=count)
    SearchWithoutResult.objects.create(town=town, day=date(2026, 3, 12), query="cordonnier", count=3)
    SearchWithoutResult.objects.create(town=town, day=date(2026, 3, 12), query="horloger", count=1)
    # Orders by their local day: 29 March before the change, 31 March late, 1 April just after midnight.
    for when, status, total in [
        (paris(2026, 3, 29, 1, 30), OrderStatus.COLLECTED, "30.00"),
        (paris(2026, 3, 31, 23, 30), OrderStatus.PLACED, "12.00"),
        (paris(2026, 4, 1, 0, 30), OrderStatus.COLLECTED, "99.00"),
        (paris(2026, 2, 14, 12, 0), OrderStatus.COLLECTED, "15.00"),
    ]:
        order = order_for(bakery, status=status, items_total=Decimal(total))
        Order.objects.filter(pk=order.pk).update(created_at=when)
    return Argentan(town=town, bakery=bakery)


def section(sections: list[ReportSection], key: str) -> ReportSection:
    return next(item for item in sections if item.key == key)


def figures(report_section: ReportSection) -> list[tuple[Any, Any, Any]]:
    return [(figure.current, figure.previous, figure.year_before) for figure in report_section.figures]


# --- Months ---------------------------------------------------------------------------------------------


def test_months_and_the_last_finished_one() -> None:
    assert Month.parse("2026-03") == MARCH
    assert (MARCH.first, MARCH.last) == (date(2026, 3, 1), date(2026, 3, 31))
    assert Month(date(2026, 12, 1)).next() == Month(date(2027, 1, 1))
    assert Month(date(2026, 1, 1)).previous() == Month(date(2025, 12, 1))
    assert MARCH.year_before() == Month(date(2025, 3, 1))
    assert MARCH.back(12) == Month(date(2025, 3, 1))
    # 1 April 00:30 in Paris is still 31 March in UTC
    assert last_finished_month(paris(2026, 4, 1, 0, 30), PARIS) == MARCH
    for wrong in ["2026-3", "mars", "2026-13", ""]:
        with pytest.raises(ValueError):  # noqa: PT011  (each is a ValueError of its own)
            Month.parse(wrong)


def test_the_months_offered_are_finished_since_the_town_joined(argentan: Argentan) -> None:
    months = report_months(argentan.town, at=AT)

    assert (months[0], months[-1], len(months)) == (MARCH, Month(date(2025, 6, 1)), 10)


# --- Figures --------------------------------------------------------------------------------------------


def test_the_figures_of_the_month_against_the_month_before_and_last_year(argentan: Argentan) -> None:
    with translation.override("fr"):
        report = monthly_report(argentan.town, month=MARCH, at=AT)

    platform = section(report.sections, "plateforme")
    # Shop pages 10 + 5 + 1 in March, 8 in February; March 2025 is before the town joined: no figure.
    assert figures(platform) == [(16, 8, None), (4, 0, None), (3, 0, None), (0, 0, None), (4, 0, None)]
    visits = platform.figures[0]
    assert visits.versus_previous is not None
    assert visits.versus_previous.short == "+100 %"
    assert visits.versus_year_before is None
    visits_chart = platform.charts[0]
    assert [category.key for category in visits_chart.categories][:4] == [
        "2025-03",
        "2025-04",
        "2025-05",
        "2025-06",
    ]
    assert list(visits_chart.series[0].values) == [None, None, None, 0, 0, 0, 0, 0, 0, 0, 0, 8, 16]
    assert list(platform.charts[1].series[0].values)[3] == 7  # the QR scans of June 2025

    orders = section(report.sections, "click-collect")
    assert figures(orders) == [(2, 1, None), (Decimal("30.00"), Decimal("15.00"), None), (0, 0, None)]

    shops = section(report.sections, "commerces")
    assert figures(shops) == [(1, 1, None), (1, 0, None), (100, 0, None)]
    share = shops.figures[2]
    assert share.versus_previous is not None
    assert (share.shown(100), share.versus_previous.short) == ("100 %", "+100 pt")

    unfound = section(report.sections, "recherches-sans-resultat")
    assert unfound.tables[0].rows == [["cordonnier", "3", "12 mars 2026"], ["horloger", "1", "12 mars 2026"]]


def test_a_month_without_searches_without_result_has_no_such_section(argentan: Argentan) -> None:
    report = monthly_report(argentan.town, month=Month(date(2026, 1, 1)), at=AT)

    assert "recherches-sans-resultat" not in [item.key for item in report.sections]


# --- The PDF --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "month"), [("fr", "mars 2026"), ("en", "March 2026")])
def test_the_pdf_names_the_town_the_month_and_numbers_its_pages(
    argentan: Argentan, lang: str, month: str
) -> None:
    with translation.override(lang):
        pdf, pages = monthly_report_pdf(monthly_report(argentan.town, month=MARCH, at=AT))

    assert pdf.startswith(b"%PDF-")
    assert pdf_pages(pdf) == pages
    assert pages >= 3
    text = text_of(pdf)
    assert f"Argentan — {month}" in text
    assert f"1 sur {pages}" in text or f"1 of {pages}" in text
    assert "cordonnier" in text
    assert "Boulangerie" not in text  # no shop is named in the council's report


def test_characters_the_pdf_fonts_lack_are_written_with_their_nearest() -> None:
    assert pdf_text("1\u202f234 \u2212 5 € « œuf »") == "1\u00a0234 - 5 € « œuf »"
    assert pdf_text("東京") == "??"


# --- Kept once a month ----------------------------------------------------------------------------------


def test_the_scheduler_makes_last_months_report_of_each_town_once(argentan: Argentan) -> None:
    newcomer = joined(TownFactory.create(), paris(2026, 4, 1, 0, 0))  # joined after March ended

    assert services.monthly_reports_make_due(at=paris(2026, 4, 1, 5, 55)) == 0  # too early
    assert services.monthly_reports_make_due(at=AT) == 1
    assert services.monthly_reports_make_due(at=paris(2026, 4, 1, 6, 5)) == 0
    make_monthly_reports.enqueue(at=paris(2026, 4, 20, 12).isoformat())

    report = MonthlyReport.objects.get()
    assert (report.town, report.month, report.generated_at, report.language) == (
        argentan.town,
        MARCH.first,
        AT,
        "fr",
    )
    assert bytes(report.pdf).startswith(b"%PDF-")
    assert report.size == len(report.pdf)
    assert report.pages == pdf_pages(bytes(report.pdf))
    assert not MonthlyReport.objects.filter(town=newcomer).exists()


def test_making_a_kept_report_again_does_nothing(argentan: Argentan) -> None:
    first = services.monthly_report_make(town=argentan.town, month=MARCH, at=AT)
    again = services.monthly_report_make(town=argentan.town, month=MARCH, at=paris(2026, 5, 2, 8))

    assert first is not None
    assert again is None
    assert MonthlyReport.objects.get().generated_at == AT


def test_the_report_kept_for_the_council_is_in_french_whoever_runs_it(argentan: Argentan) -> None:
    with translation.override("en"):
        report = services.monthly_report_make(town=argentan.town, month=MARCH, at=AT)

    assert report is not None
    assert "Argentan — mars 2026" in text_of(bytes(report.pdf))


# --- The town centre ------------------------------------------------------------------------------------


def _hourly(first: date, last: date, per_hour: int) -> str:
    """Hourly counts of every local hour from `first` to `last`: 23 on the day the clocks go forward."""
    start = datetime(first.year, first.month, first.day, tzinfo=PARIS).astimezone(UTC)
    end = datetime(last.year, last.month, last.day, tzinfo=PARIS).astimezone(UTC) + timedelta(days=1)
    lines = ["Date;Grande Rue"]
    while start < end:
        lines.append(f"{start.astimezone(PARIS):%d/%m/%Y %H:%M};{per_hour}")
        start += timedelta(hours=1)
    return "\n".join(lines) + "\n"


def test_the_centres_vacancy_at_the_end_of_the_month(argentan: Argentan) -> None:
    occupied, vacant = UnitState.OCCUPIED, UnitState.VACANT
    histories: list[list[tuple[str, date, date | None]]] = [
        [(occupied, date(2024, 1, 1), None)],
        [(vacant, date(2025, 1, 1), None)],
        [(occupied, date(2024, 1, 1), date(2026, 3, 15)), (vacant, date(2026, 3, 16), None)],
        [(occupied, date(2024, 1, 1), None)],
    ]
    for periods in histories:
        unit_with_history(argentan.town, periods, in_centre=True)

    with translation.override("fr"):
        report = monthly_report(argentan.town, month=MARCH, at=AT)

    vacancy = section(report.sections, "vacance")
    # 31 March 2026: 2 of 4; 28 February: 1 of 4; 31 March 2025: 1 of 4.
    assert figures(vacancy) == [
        (Decimal("50.0"), Decimal("25.0"), Decimal("25.0")),
        (Decimal("50.0"), Decimal("25.0"), Decimal("25.0")),
        (2, 1, 1),
    ]
    rate = vacancy.figures[0]
    assert rate.versus_previous is not None
    assert (rate.shown(rate.current), rate.versus_previous.short) == ("50,0 %", "+25,0 pt")
    assert list(vacancy.charts[0].series[0].values)[-2:] == [Decimal("25.0"), Decimal("50.0")]
    assert vacancy.tables[0].rows == [["rue de la République", "4", "2", "50,0 %"]]


def test_the_months_passages_against_the_month_before_and_a_year_before_across_the_clock_change(
    argentan: Argentan,
) -> None:
    site = CountingSiteFactory.create(town=argentan.town, name="Grande Rue")
    files = [
        source("2026-03.csv", _hourly(date(2026, 3, 1), date(2026, 3, 31), 10)),
        source("2026-02.csv", _hourly(date(2026, 2, 1), date(2026, 2, 28), 10)),
        source("2025-03.csv", _hourly(date(2025, 3, 1), date(2025, 3, 31), 8)),
    ]
    assert import_files(argentan.town, *files, site=site).rejected == 0

    with translation.override("fr"):
        report = monthly_report(argentan.town, month=MARCH, at=AT)

    passages = section(report.sections, "passages")
    # March has 743 hours (the clocks went forward on the 29th), February 672.
    assert figures(passages) == [(7430, 6720, 5944)]
    assert passages.figures[0].label == "Passages : Piétons"
    chart = passages.charts[0]
    assert [category.key for category in chart.categories][-1] == "2026-03"
    assert list(chart.series[0].values)[-2:] == [6720, 7430]
    assert list(chart.series[1].values)[-1] == 5944  # the same month a year before
    text = text_of(monthly_report_pdf(report)[0])
    assert "Fréquentation des rues" in text


def test_without_units_or_counters_the_report_has_no_such_sections(argentan: Argentan) -> None:
    report = monthly_report(argentan.town, month=MARCH, at=AT)

    assert {"vacance", "passages"}.isdisjoint(item.key for item in report.sections)
