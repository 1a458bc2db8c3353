"""The town's event days beside comparable days (same weekday, same season, no event), and the events marked
on the observatory's charts, their tables and CSV: expected values worked out by hand at fixed dates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import translation

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.activity.models import Metric
from centreville.activity.tests.factories import day_count
from centreville.agenda.models import EventKind, EventStatus
from centreville.agenda.tests.factories import EventFactory, OfferFactory
from centreville.core.charts import Category, Chart, Series
from centreville.footfall.tests.factories import CountingSiteFactory, import_files, source
from centreville.fulfilment.tests.factories import order_for
from centreville.observatory import dashboard, platform
from centreville.observatory.event_days import (
    METHOD,
    Measure,
    comparable_days,
    compare_event_days,
    marked,
    season,
)
from centreville.observatory.report import Month, monthly_report
from centreville.observatory.report_pdf import chart_drawing, monthly_report_pdf
from centreville.orders.models import Order, OrderStatus
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopFactory
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

from .pdf import pdf_text

PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2026, 12, 4, 15, 0, tzinfo=PARIS)  # a Friday afternoon; 12 weeks: 12 September to 4 December


def at(day: date, hour: int = 11, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


# --- Comparable days, without the database -----------------------------------------------------------------


def test_seasons_are_the_meteorological_ones() -> None:
    assert [season(date(2026, month, 1)) for month in range(1, 13)] == [0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 0]


def test_comparable_days_stop_at_the_seasons_boundary() -> None:
    # Saturday 28 February 2026, the last day of winter: the four Saturdays of March are spring's.
    assert comparable_days(date(2026, 2, 28), event_days=set()) == [
        date(2026, 1, 31),
        date(2026, 2, 7),
        date(2026, 2, 14),
        date(2026, 2, 21),
    ]
    # Winter runs over the new year: Saturday 2 January 2027 compares with December's Saturdays.
    assert comparable_days(date(2027, 1, 2), event_days=set())[:4] == [
        date(2026, 12, 5),
        date(2026, 12, 12),
        date(2026, 12, 19),
        date(2026, 12, 26),
    ]


def test_the_days_the_clocks_change_are_days_like_the_others() -> None:
    # Sunday 22 March 2026: the next Sunday has 23 hours; 22 February is winter.
    assert comparable_days(date(2026, 3, 22), event_days=set()) == [
        date(2026, 3, 1),
        date(2026, 3, 8),
        date(2026, 3, 15),
        date(2026, 3, 29),
        date(2026, 4, 5),
        date(2026, 4, 12),
        date(2026, 4, 19),
    ]
    # Sunday 1 November 2026: the Sunday before it has 25 hours.
    assert date(2026, 10, 25) in comparable_days(date(2026, 11, 1), event_days=set())


def test_a_day_with_an_event_is_not_comparable() -> None:
    events = {date(2026, 10, 4), date(2026, 10, 25)}

    assert comparable_days(date(2026, 10, 18), event_days=events) == [
        date(2026, 9, 20),
        date(2026, 9, 27),
        date(2026, 10, 11),
        date(2026, 11, 1),
        date(2026, 11, 8),
        date(2026, 11, 15),
    ]


def test_a_difference_needs_a_value_comparable_days_and_a_mean_other_than_zero() -> None:
    saturday = date(2026, 10, 17)
    figures: dict[date, int | Decimal] = {
        saturday: 150,
        date(2026, 10, 10): 100,
        date(2026, 10, 24): 140,
        date(2026, 10, 3): 60,  # Saturday 26 September is not known: left out, not zero
    }
    measures = [
        Measure("a", "A", figures),
        Measure("vide", "Vide", {}),
        Measure("zero", "Zéro", {saturday: 3, date(2026, 10, 10): 0}),
    ]

    comparison = compare_event_days(
        {saturday: ["Fête"]}, measures, first=date(2026, 10, 1), last=date(2026, 10, 31)
    )

    (row,) = comparison.days
    known = row.figures["a"]
    assert known.compared_with == (date(2026, 10, 3), date(2026, 10, 10), date(2026, 10, 24))
    assert known.mean == 100  # (60 + 100 + 140) / 3
    assert known.change_percent == Decimal("50.0")
    assert (row.figures["vide"].value, row.figures["vide"].mean, row.figures["vide"].change_percent) == (
        None,
        None,
        None,
    )
    assert row.figures["zero"].mean == 0
    assert row.figures["zero"].change_percent is None  # never « 0 % », nor infinite
    assert comparison.summary["zero"].compared_with == ()
    assert comparison.summary["zero"].change_percent is None


def test_a_chart_marks_the_events_of_its_weeks_only_when_there_are_some() -> None:
    weeks = [Category("2026-10-10", "10 oct."), Category("2026-10-17", "17 oct.")]
    chart = Chart("visites", "Visites", "bar", "Semaine du", weeks, [Series("Pages", [3, 4])])
    spans = [
        ("2026-10-10", date(2026, 10, 10), date(2026, 10, 16)),
        ("2026-10-17", date(2026, 10, 17), date(2026, 10, 23)),
    ]
    events = {date(2026, 10, 18): ["Fête", "Concert"], date(2026, 10, 24): ["Après la dernière semaine"]}

    with translation.override("fr"):
        assert marked(chart, {}, spans) is chart
        annotated = marked(chart, events, spans)

    assert annotated.annotations == {"2026-10-17": "dim 18 oct. : Fête / Concert"}
    assert [row[2] for row in annotated.annotated_rows] == ["", "dim 18 oct. : Fête / Concert"]
    with pytest.raises(ValueError, match="label"):
        Chart("x", "X", "bar", "Semaine du", weeks, [], annotations={"2026-10-10": "Fête"})
    with pytest.raises(ValueError, match="unknown categories"):
        Chart(
            "x", "X", "bar", "Semaine du", weeks, [], annotations={"2026-10-24": "Fête"}, annotation_label="É"
        )


# --- A town's event days, from the agenda and the day figures -----------------------------------------------


@dataclass(frozen=True)
class Argentan:
    town: Town
    other: Town
    bakery: Shop


def _footfall(town: Town) -> None:
    """A pedestrian counter, 10 passages an hour from 1 September to 3 December 2026, but: 20 an hour on
    Saturday 19 September and on Sunday 1 November, 15 on Sunday 20 September, 16 on Saturday 5 September,
    30 on Sunday 18 October; nothing counted on Sunday 11 October."""
    per_hour = {
        date(2026, 9, 5): 16,
        date(2026, 9, 19): 20,
        date(2026, 9, 20): 15,
        date(2026, 10, 18): 30,
        date(2026, 11, 1): 20,
    }
    lines = ["Date;Entrée"]
    day = date(2026, 9, 1)
    while day <= date(2026, 12, 3):
        if day != date(2026, 10, 11):
            count = per_hour.get(day, 10)
            lines.extend(f"{day:%d/%m/%Y} {hour:02d}:00;{count}" for hour in range(24))
        day += timedelta(days=1)
    site = CountingSiteFactory.create(town=town, name="Grande Rue")
    report = import_files(town, source("comptages.csv", "\n".join(lines) + "\n"), site=site)
    assert report.rejected == 0


def _event(town: Town, title: str, first: date, last: date | None = None, **values: Any) -> None:
    EventFactory.create(
        town=town,
        kind=values.pop("kind", EventKind.FESTIVAL),
        title=title,
        starts_at=at(first, 10),
        ends_at=at(last or first, 18),
        **values,
    )


def _placed(shop: Shop, when: datetime, **values: Any) -> None:
    order = order_for(shop, **values)
    Order.objects.filter(pk=order.pk).update(created_at=when)


@pytest.fixture
def argentan(db: None) -> Argentan:
    town = TownFactory.create(slug="argentan", timezone="Europe/Paris")
    other = TownFactory.create(slug="alencon", timezone="Europe/Paris")
    Town.objects.filter(pk__in=[town.pk, other.pk]).update(created_at=at(date(2026, 1, 5)))
    town.refresh_from_db()
    bakery = ShopFactory.create(town=town, name="Boulangerie")
    # The town's events: a weekend and a Sunday.
    _event(town, "Journées du patrimoine", date(2026, 9, 19), date(2026, 9, 20), kind=EventKind.EXHIBITION)
    _event(town, "Fête de la ville", date(2026, 10, 18))
    # Not event days: a cancelled event, a shop's offer, a draft, and another town's event.
    _event(town, "Concert annulé", date(2026, 9, 27), kind=EventKind.CONCERT, status=EventStatus.CANCELLED)
    OfferFactory.create(shop=bakery, title="Dégustation", starts_at=at(date(2026, 10, 4), 10))
    _event(town, "Brouillon", date(2026, 11, 15), publication="draft")
    _event(other, "Fête à Alençon", date(2026, 11, 8))
    # Visits of the shops' pages.
    for day, count in [
        (date(2026, 9, 19), 40),
        (date(2026, 10, 18), 50),
        (date(2026, 9, 12), 8),
        (date(2026, 10, 4), 30),
        (date(2026, 11, 1), 12),
    ]:
        day_count(town=town, shop=bakery, metric=Metric.SHOP_VIEW, day=day, count=count)
    elsewhere = ShopFactory.create(town=other)
    day_count(town=other, shop=elsewhere, metric=Metric.SHOP_VIEW, day=date(2026, 10, 11), count=9999)
    # Orders: on the event days, and one late on the Sunday of 25 hours.
    _placed(bakery, at(date(2026, 9, 19)), status=OrderStatus.COLLECTED, items_total=Decimal("25.00"))
    _placed(bakery, at(date(2026, 10, 18)), status=OrderStatus.COLLECTED, items_total=Decimal("30.00"))
    _placed(bakery, at(date(2026, 10, 18), 15), items_total=Decimal("10.00"))
    _placed(
        bakery, at(date(2026, 10, 25), 23, 30), status=OrderStatus.COLLECTED, items_total=Decimal("20.00")
    )
    _placed(elsewhere, at(date(2026, 10, 11)), status=OrderStatus.COLLECTED, items_total=Decimal("999.00"))
    _footfall(town)
    return Argentan(town=town, other=other, bakery=bakery)


def _board(town: Town, period: str = "12-semaines") -> dashboard.Dashboard:
    with translation.override("fr"):
        return dashboard.town_dashboard(town, at=AT, period=period)


def _chart(charts: list[Chart], slug: str) -> Chart:
    return next(chart for chart in charts if chart.slug == slug)


def _column(chart: Chart, label: str) -> list[Any]:
    return list(next(series for series in chart.series if series.label == label).values)


@pytest.mark.django_db
def test_each_event_day_beside_its_comparable_days(argentan: Argentan) -> None:
    scope = dashboard.Scope(
        town=argentan.town, at=AT, period=dashboard.period_for("12-semaines", today=AT.date())
    )

    comparison = dashboard.event_days_compared(scope)

    assert comparison is not None
    saturday, sunday, fete = comparison.days
    assert [row.day for row in comparison.days] == [date(2026, 9, 19), date(2026, 9, 20), date(2026, 10, 18)]
    assert saturday.titles == ["Journées du patrimoine"]
    # 19 September: late August is summer; 5 September is before the period, still compared.
    assert saturday.comparable == [
        date(2026, 9, 5),
        date(2026, 9, 12),
        date(2026, 9, 26),
        date(2026, 10, 3),
        date(2026, 10, 10),
        date(2026, 10, 17),
    ]
    # 18 October: 20 September is an event day; 27 September (cancelled), 4 October (an offer), 8 November
    # (Alençon's event) and 15 November (a draft) are not; 25 October has 25 hours.
    assert fete.comparable == [
        date(2026, 9, 27),
        date(2026, 10, 4),
        date(2026, 10, 11),
        date(2026, 10, 25),
        date(2026, 11, 1),
        date(2026, 11, 8),
        date(2026, 11, 15),
    ]

    # Footfall: 19 September 480 against (384 + 5 × 240) / 6 = 264.
    passages = saturday.figures["passages"]
    assert (passages.value, passages.mean, passages.change_percent) == (480, 264, Decimal("81.8"))
    # 20 September 360 against 240: 11 October was not counted, left out rather than counted zero.
    passages = sunday.figures["passages"]
    assert passages.compared_with == (
        date(2026, 9, 6),
        date(2026, 9, 13),
        date(2026, 9, 27),
        date(2026, 10, 4),
    )
    assert (passages.value, passages.mean, passages.change_percent) == (360, 240, Decimal("50.0"))
    # 18 October 720 against (5 × 240 + 480) / 6 = 280.
    passages = fete.figures["passages"]
    assert date(2026, 10, 25) in passages.compared_with
    assert (passages.value, passages.mean, passages.change_percent) == (720, 280, Decimal("157.1"))

    # Visits: a day without any is a zero once the town is on the platform.
    visits = [row.figures["visites"] for row in comparison.days]
    assert [(figure.value, figure.change_percent) for figure in visits] == [
        (40, Decimal("2900.0")),  # against 8 / 6
        (0, Decimal("-100.0")),  # against 30 / 5
        (50, Decimal("733.3")),  # against 42 / 7 = 6
    ]
    assert visits[2].mean == 6

    # Orders: none on the comparable days of September: no difference, rather than zero or infinite.
    orders = [row.figures["commandes"] for row in comparison.days]
    assert [(figure.value, figure.mean, figure.change_percent) for figure in orders[:2]] == [
        (1, 0, None),
        (0, 0, None),
    ]
    # 18 October: 2 orders against 1 / 7 (the one late on 25 October), 30 € against 20 / 7 €.
    assert (orders[2].value, orders[2].change_percent) == (2, Decimal("1300.0"))
    sales = fete.figures["ventes"]
    assert (sales.value, sales.change_percent) == (Decimal("30.00"), Decimal("950.0"))

    # All event days: the mean of their values against the mean of their comparable days' means.
    summary = comparison.summary
    assert summary["passages"].value == 520  # (480 + 360 + 720) / 3, against (264 + 240 + 280) / 3
    assert summary["passages"].change_percent == Decimal("99.0")
    assert summary["visites"].change_percent == Decimal("575.0")  # 30 against 40 / 9
    assert summary["commandes"].compared_with == (date(2026, 10, 18),)
    assert summary["commandes"].change_percent == Decimal("1300.0")


@pytest.mark.django_db
def test_the_crossed_view_is_a_chart_with_the_events_in_its_table_and_csv(
    argentan: Argentan, client: Client, page_clock: Callable[[datetime], None]
) -> None:
    board = _board(argentan.town)

    chart = _chart(board.charts, "jours-evenement")
    assert [category.key for category in chart.categories] == [
        "2026-09-19",
        "2026-09-20",
        "2026-10-18",
        "ensemble",
    ]
    assert chart.categories[0].label == "sam 19 sept. 2026"
    assert chart.annotations == {
        "2026-09-19": "Journées du patrimoine",
        "2026-09-20": "Journées du patrimoine",
        "2026-10-18": "Fête de la ville",
    }
    assert [series.label for series in chart.series if series.drawn] == [
        "Passages : Piétons : écart (%)",
        "Visites des pages : écart (%)",
        "Commandes : écart (%)",
        "Ventes Click & Collect : écart (%)",
    ]
    assert _column(chart, "Passages : Piétons : écart (%)") == [
        Decimal("81.8"),
        Decimal("50.0"),
        Decimal("157.1"),
        Decimal("99.0"),
    ]
    assert _column(chart, "Commandes : écart (%)") == [None, None, Decimal("1300.0"), Decimal("1300.0")]
    assert chart.note.startswith(str(METHOD[0]))

    page_clock(AT)
    client.force_login(TownRoleFactory.create(town=argentan.town, role=Role.ELECTED).user)
    response = client.get("/argentan/tableau-de-bord/?periode=12-semaines&csv=jours-evenement")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "Jour;Passages : Piétons;Passages : Piétons : moyenne des jours comparables;"
        "Passages : Piétons : écart (%);Visites des pages;Visites des pages : moyenne des jours comparables;"
        "Visites des pages : écart (%);Commandes;Commandes : moyenne des jours comparables;"
        "Commandes : écart (%);Ventes Click & Collect (€);"
        "Ventes Click & Collect : moyenne des jours comparables (€);Ventes Click & Collect : écart (%);"
        "Événement"
    )
    # A difference that cannot be computed is an empty cell, never a zero.
    assert lines[1] == "2026-09-19;480;264,0;81,8;40;1,3;2900,0;1;0,0;;25,00;0,00;;Journées du patrimoine"
    assert lines[3].endswith(";2;0,1;1300,0;30,00;2,86;950,0;Fête de la ville")
    assert lines[4].startswith("ensemble;520;261,3;99,0;30;4,4;575,0;")


@pytest.mark.django_db
def test_the_weekly_footfall_and_visits_charts_name_the_events_of_their_weeks(argentan: Argentan) -> None:
    board = _board(argentan.town)

    visits = _chart(board.charts, "visites")
    assert visits.annotation_label == "Événement"
    assert visits.annotations == {
        "2026-09-19": "sam 19 sept. : Journées du patrimoine — dim 20 sept. : Journées du patrimoine",
        "2026-10-17": "dim 18 oct. : Fête de la ville",
    }
    # Footfall week by week, Monday to Sunday.
    assert _chart(board.charts, "passages-par-semaine").annotations == {
        "2026-W38": "sam 19 sept. : Journées du patrimoine — dim 20 sept. : Journées du patrimoine",
        "2026-W42": "dim 18 oct. : Fête de la ville",
    }
    assert set(_chart(board.charts, "passages-et-visites").annotations) == {"2026-09-19", "2026-10-17"}
    # Orders are not marked; charts of weeks without events have no column.
    assert _chart(board.charts, "commandes").annotations == {}
    four_weeks = _board(argentan.town, "4-semaines")
    assert _chart(four_weeks.charts, "visites").annotations == {}
    assert "jours-evenement" not in [chart.slug for chart in four_weeks.charts]  # no event day in it

    with translation.override("fr"):
        activity = platform.platform_activity(argentan.town, at=AT, period="12-semaines")
    assert _chart(activity.charts, "visites").annotations == visits.annotations


@pytest.mark.django_db
def test_the_dashboard_shows_the_events_in_its_tables_and_csv(
    argentan: Argentan, client: Client, page_clock: Callable[[datetime], None]
) -> None:
    page_clock(AT)
    client.force_login(TownRoleFactory.create(town=argentan.town, role=Role.ELECTED).user)

    html = client.get("/argentan/tableau-de-bord/?periode=12-semaines").content.decode()

    assert '<th scope="col" data-annotation>Événement</th>' in html
    assert '<td class="chart-annotation">dim 18 oct. : Fête de la ville</td>' in html
    assert '<figure class="chart-block" id="graphique-jours-evenement" data-chart="bar"' in html
    assert 'data-drawn="false">Passages : Piétons</th>' in html
    assert "Jours d&#x27;événement et jours comparables" in html
    assert "même saison météorologique" in html  # the method, on the page
    assert "Alençon" not in html
    csv = client.get("/argentan/tableau-de-bord/?periode=12-semaines&csv=visites").content.decode("utf-8-sig")
    lines = csv.splitlines()
    assert lines[0] == "Semaine du;Pages de commerces;Pages de produits;Événement"
    assert lines[2] == (
        "2026-09-19;40;0;sam 19 sept. : Journées du patrimoine — dim 20 sept. : Journées du patrimoine"
    )
    assert lines[1] == "2026-09-12;8;0;"


@pytest.mark.django_db
def test_the_dashboard_renders_without_events_and_with_events_but_no_figures(
    client: Client, page_clock: Callable[[datetime], None]
) -> None:
    town = TownFactory.create(slug="argentan", timezone="Europe/Paris")
    Town.objects.filter(pk=town.pk).update(created_at=at(date(2026, 11, 20)))
    page_clock(AT)
    client.force_login(TownRoleFactory.create(town=town, role=Role.ELECTED).user)

    html = client.get("/argentan/tableau-de-bord/").content.decode()

    assert "graphique-jours-evenement" not in html
    assert "data-annotation" not in html

    # An event before the town joined the platform, without counters: its figures are dashes, not zeros.
    _event(town, "Marché de la Saint-Martin", date(2026, 11, 14), kind=EventKind.MARKET)
    response = client.get("/argentan/tableau-de-bord/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "graphique-jours-evenement" in html
    assert (
        '<th scope="row" data-key="2026-11-14">sam 14 nov. 2026</th><td class="number" data-value="">—</td>'
        in (html)
    )
    assert '<td class="chart-annotation">Marché de la Saint-Martin</td>' in html


@pytest.mark.django_db
def test_the_event_days_are_read_once_for_every_chart(
    argentan: Argentan, django_assert_max_num_queries: Any
) -> None:
    # Shops and figures as in the dashboard's own test; the event days and the orders are read once each.
    with django_assert_max_num_queries(15):
        _board(argentan.town, "annee")


@pytest.mark.django_db
def test_the_monthly_report_compares_the_months_event_days_and_draws_them_in_its_pdf(
    argentan: Argentan,
) -> None:
    with translation.override("fr"):
        report = monthly_report(argentan.town, month=Month(date(2026, 10, 1)), at=AT)
        pdf, _pages = monthly_report_pdf(report)

    (section,) = [section for section in report.sections if section.key == "jours-evenement"]
    (chart,) = section.charts
    assert [category.key for category in chart.categories] == ["2026-10-18", "ensemble"]
    assert chart.annotations == {"2026-10-18": "Fête de la ville"}
    # The same comparable days as on the dashboard (20 September, an event day, read as such): the
    # differences only, the page being narrow.
    assert [list(series.values) for series in chart.series] == [
        [Decimal("157.1"), Decimal("157.1")],
        [Decimal("733.3"), Decimal("733.3")],
        [Decimal("1300.0"), Decimal("1300.0")],
        [Decimal("950.0"), Decimal("950.0")],
    ]
    text = pdf_text(pdf)
    assert "Jours d'événement et jours comparables" in text
    assert "Événement" in text
    assert "157,1" in text
    # November has no event day of the town (Alençon's and a draft are not): no such section.
    with translation.override("fr"):
        november = monthly_report(argentan.town, month=Month(date(2026, 11, 1)), at=AT)
    assert "jours-evenement" not in [section.key for section in november.sections]


@pytest.mark.django_db
def test_a_fall_is_drawn_below_zero_in_the_pdf(argentan: Argentan) -> None:
    with translation.override("fr"):
        report = monthly_report(argentan.town, month=Month(date(2026, 9, 1)), at=AT)
        pdf, _pages = monthly_report_pdf(report)

    (section,) = [section for section in report.sections if section.key == "jours-evenement"]
    visits = section.charts[0].series[1]
    assert visits.label == "Visites des pages : écart (%)"
    assert visits.values[1] == Decimal("-100.0")  # 20 September: no visit, against 30 / 5
    text = pdf_text(pdf)
    assert "-100,0" in text.split("\n")  # in the chart's table
    plot = chart_drawing(section.charts[0]).contents[0]
    assert plot.valueAxis.valueMin == -100.0  # the value axis goes below zero for the bar
