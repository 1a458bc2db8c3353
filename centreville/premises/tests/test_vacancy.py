"""Vacancy computed from the history, against figures worked out by hand.

The `town` fixture, on 15 June 2025:

| unit | where   | street               | m²  | history (first and last days included)         | 15/06/2025  |
|------|---------|----------------------|-----|------------------------------------------------|-------------|
| A    | centre  | rue de la République | 100 | occupied 2018-01-01 → 2025-03-31, then vacant  | vacant      |
| B    | centre  | Rue de la Republique | 50  | occupied from 2019-01-01                       | occupied    |
| C    | centre  | rue du Beigle        | —   | vacant 2024-01-01 → 2025-06-15, then works     | vacant      |
| D    | centre  | rue du Beigle        | 30  | reserved from 2025-06-01                       | reserved    |
| E    | centre  | rue du Beigle        | 70  | vacant from 2025-07-01                         | not counted |
| F    | outside | bd Carnot            | 200 | vacant from 2020-01-01                         | vacant      |
| G    | outside | rue du Beigle        | 40  | no history                                     | not counted |

Centre: 4 units (A B C D), 2 vacant (A C), 1 reserved: 50.0 %. Surface 100 + 50 + 30 = 180 m² (C has none),
vacant 100 m²: 55.6 %. Whole town: 5 units, 3 vacant: 60.0 %; 380 m², 300 vacant: 78.9 %.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pytest_django import DjangoAssertNumQueries

from centreville.premises import vacancy
from centreville.premises.models import UnitState
from centreville.premises.tests.factories import unit_with_history
from centreville.towns.models import Town
from centreville.towns.tests.factories import TownFactory

pytestmark = pytest.mark.django_db

OCC, VAC, WORKS, RES = UnitState.OCCUPIED, UnitState.VACANT, UnitState.WORKS, UnitState.RESERVED
ON = date(2025, 6, 15)


@pytest.fixture
def town() -> Town:
    town: Town = TownFactory.create()
    unit_with_history(
        town,
        [(OCC, date(2018, 1, 1), date(2025, 3, 31)), (VAC, date(2025, 4, 1), None)],
        reference="A",
        street="rue de la République",
        surface=Decimal(100),
    )
    unit_with_history(
        town, [(OCC, date(2019, 1, 1), None)], reference="B", street="Rue de la Republique", surface=50
    )
    unit_with_history(
        town,
        [(VAC, date(2024, 1, 1), date(2025, 6, 15)), (WORKS, date(2025, 6, 16), None)],
        reference="C",
        street="rue du Beigle",
        surface=None,
    )
    unit_with_history(
        town, [(RES, date(2025, 6, 1), None)], reference="D", street="rue du Beigle", surface=30
    )
    unit_with_history(
        town, [(VAC, date(2025, 7, 1), None)], reference="E", street="rue du Beigle", surface=70
    )
    unit_with_history(
        town, [(VAC, date(2020, 1, 1), None)], reference="F", street="bd Carnot", surface=200, in_centre=False
    )
    unit_with_history(town, [], reference="G", street="rue du Beigle", surface=40, in_centre=False)
    # Another town's units never count.
    other = TownFactory.create()
    unit_with_history(other, [(VAC, date(2010, 1, 1), None)], street="rue de la République")
    return town


def test_the_summary_counts_units_whose_history_has_begun_and_leaves_works_and_reserved_apart(
    town: Town,
) -> None:
    summary = vacancy.vacancy_summary(town, on=ON)

    centre = summary.centre
    assert (centre.units, centre.vacant, centre.in_transition, centre.occupied) == (4, 2, 1, 1)
    assert centre.rate == Decimal("50.0")
    assert (centre.surface, centre.vacant_surface, centre.without_surface) == (Decimal(180), Decimal(100), 1)
    assert centre.surface_rate == Decimal("55.6")
    whole = summary.town
    assert (whole.units, whole.vacant, whole.in_transition) == (5, 3, 1)
    assert whole.rate == Decimal("60.0")
    assert whole.surface_rate == Decimal("78.9")


def test_a_period_counts_on_its_last_day_and_not_the_day_after(town: Town) -> None:
    day_after = vacancy.vacancy_summary(town, on=date(2025, 6, 16)).centre

    # C is in works from the 16th: one vacant (A) out of four.
    assert (day_after.units, day_after.vacant, day_after.in_transition) == (4, 1, 2)
    assert day_after.rate == Decimal("25.0")


def test_before_any_history_nothing_is_counted_and_rates_are_gaps(town: Town) -> None:
    summary = vacancy.vacancy_summary(town, on=date(2017, 12, 31))

    assert summary.centre.units == 0
    assert summary.centre.rate is None
    assert summary.centre.surface_rate is None


def test_streets_are_grouped_by_their_normalised_name(town: Town) -> None:
    streets = vacancy.vacancy_by_street(town, on=ON)

    assert [(s.key, s.street) for s in streets] == [
        ("boulevard carnot", "bd Carnot"),
        ("rue de la republique", "Rue de la Republique"),
        ("rue du beigle", "rue du Beigle"),
    ]
    carnot, republique, beigle = (s.figures for s in streets)
    assert (carnot.units, carnot.vacant, carnot.rate, carnot.surface_rate) == (
        1,
        1,
        Decimal(100),
        Decimal(100),
    )
    assert (republique.units, republique.vacant, republique.rate) == (2, 1, Decimal("50.0"))
    assert republique.surface_rate == Decimal("66.7")  # 100 of 150 m²
    # C (vacant, no surface) and D (reserved, 30 m²); E has not begun, G has no history.
    assert (beigle.units, beigle.vacant, beigle.in_transition, beigle.without_surface) == (2, 1, 1, 1)
    assert beigle.rate == Decimal("50.0")
    assert beigle.surface_rate == Decimal("0.0")


def test_month_by_month_each_month_is_read_on_its_last_day(town: Town) -> None:
    months = vacancy.vacancy_over_time(town, first=date(2025, 3, 10), last=date(2025, 7, 10))

    assert [m.month for m in months] == [date(2025, month, 1) for month in (3, 4, 5, 6, 7)]
    assert [m.on for m in months] == [
        date(2025, 3, 31),
        date(2025, 4, 30),
        date(2025, 5, 31),
        date(2025, 6, 30),
        date(2025, 7, 10),  # the last month is read on the date asked for
    ]
    # 31 March: A still occupied (its last day), C vacant: 1 of 3. From April A is vacant: 2 of 3.
    # 30 June: C in works, D reserved: 1 of 4. 10 July: E vacant since the 1st: 2 of 5.
    assert [m.centre.units for m in months] == [3, 3, 3, 4, 5]
    assert [m.centre.rate for m in months] == [
        Decimal("33.3"),
        Decimal("66.7"),
        Decimal("66.7"),
        Decimal("25.0"),
        Decimal("40.0"),
    ]
    assert [m.centre.surface_rate for m in months] == [
        Decimal("0.0"),  # 0 of 150 m²
        Decimal("66.7"),  # 100 of 150
        Decimal("66.7"),
        Decimal("55.6"),  # 100 of 180
        Decimal("68.0"),  # 170 of 250
    ]
    assert [m.town.rate for m in months] == [
        Decimal("50.0"),  # F vacant since 2020: 2 of 4
        Decimal("75.0"),
        Decimal("75.0"),
        Decimal("40.0"),
        Decimal("50.0"),
    ]


def test_the_series_keeps_the_latest_ten_years(town: Town) -> None:
    months = vacancy.vacancy_over_time(town, first=date(2000, 1, 1), last=date(2025, 6, 15))

    assert len(months) == vacancy.MAX_MONTHS
    assert months[0].month == date(2015, 7, 1)
    assert months[-1].on == ON


def test_month_ends_know_leap_years() -> None:
    assert vacancy.month_end(date(2024, 2, 10)) == date(2024, 2, 29)
    assert vacancy.month_end(date(2025, 2, 10)) == date(2025, 2, 28)
    assert vacancy.add_months(date(2025, 11, 30), 2) == date(2026, 1, 1)
    assert vacancy.year_before(date(2024, 2, 29)) == date(2023, 2, 28)


def test_the_page_reads_everything_in_a_few_queries(
    town: Town, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_max_num_queries(3):
        page = vacancy.vacancy_page(town, on=ON)

    assert page.summary.centre.rate == Decimal("50.0")
    assert page.a_year_before.centre.units == 3  # 15/06/2024: A, B, C (vacant since January)
    assert page.a_year_before.centre.rate == Decimal("33.3")
    assert page.months[0].month == date(2018, 1, 1)
    assert page.months[-1].on == ON
    assert len(page.months) == 90  # January 2018 to June 2025
    assert [chart.slug for chart in page.charts] == ["vacance-par-rue", "vacance-par-mois", "locaux-par-etat"]


def test_the_street_chart_has_gaps_not_zeros_where_no_surface_is_known() -> None:
    town = TownFactory.create()
    unit_with_history(town, [(VAC, date(2025, 1, 1), None)], street="rue Sans Surface", surface=None)

    chart = vacancy.street_chart(vacancy.vacancy_by_street(town, on=ON), on=ON)

    assert [list(series.values) for series in chart.series] == [[Decimal("100.0")], [None]]
