"""Opening hours between the OpenStreetMap expression and the week table: the common forms go both ways
unchanged, the output is compact, and what a table cannot show is refused with its reason."""

from __future__ import annotations

import pytest

from centreville.shops.hours import (
    MIDNIGHT_MINUTES,
    NotWeekly,
    TimeRange,
    WeekTable,
    check_range,
    clock_minutes,
    week_table,
    week_table_expression,
    week_table_or_reason,
)


def r(start: str, end: str) -> TimeRange:
    return TimeRange(clock_minutes(start), MIDNIGHT_MINUTES if end == "24:00" else clock_minutes(end))


MORNING, AFTERNOON = r("09:00", "12:30"), r("14:00", "19:00")
SPLIT = (MORNING, AFTERNOON)
CLOSED: tuple[TimeRange, ...] = ()


# Expressions as people write them: each reads into a table and comes back written the same way.
CANONICAL = [
    "Mo-Sa 09:00-19:00",
    "Tu-Sa 09:00-12:30,14:00-19:00",
    "Tu-Fr 09:00-19:00; Sa 09:00-17:00; Su 09:00-12:30",
    "Mo-Sa 08:00-20:00; PH off",
    "Mo-Fr 08:30-12:00,14:00-18:30; Sa 09:00-12:00; PH off",
    "Mo,We,Fr 09:00-12:00; Tu,Th 14:00-18:00",
    "Mo-We,Fr,Sa 10:00-19:00",
    "Sa,Su 10:00-18:00",
    "Th-Sa 18:00-02:00",
    "Mo-Fr 07:00-24:00",
    "24/7",
    "24/7; PH off",
    "Su 08:00-13:00",
    "",
]


@pytest.mark.parametrize("expression", CANONICAL)
def test_common_forms_round_trip_unchanged(expression: str) -> None:
    assert week_table_expression(week_table(expression)) == expression


@pytest.mark.parametrize("expression", CANONICAL)
def test_tables_round_trip_unchanged(expression: str) -> None:
    table = week_table(expression)

    assert week_table(week_table_expression(table)) == table


def test_a_split_week_reads_day_by_day() -> None:
    table = week_table("Tu-Sa 09:00-12:30,14:00-19:00; PH off")

    assert table.days == (CLOSED, SPLIT, SPLIT, SPLIT, SPLIT, SPLIT, CLOSED)
    assert table.holidays_closed


@pytest.mark.parametrize(
    ("written", "compact"),
    [
        (
            "Mo 09:00-18:00; Tu 09:00-18:00; We 09:00-18:00; Th 09:00-18:00; Fr 09:00-18:00",
            "Mo-Fr 09:00-18:00",
        ),
        ("Mo-Su 09:00-18:00; Su off", "Mo-Sa 09:00-18:00"),
        ("Mo-Sa 09:00-19:00; We 09:00-12:00", "Mo,Tu,Th-Sa 09:00-19:00; We 09:00-12:00"),
        ("Mo-Sa 09:00-19:00; Su,PH off", "Mo-Sa 09:00-19:00; PH off"),
        ("Mo-Fr  09:00-12:00, 14:00-18:00", "Mo-Fr 09:00-12:00,14:00-18:00"),
        ("Mo-Fr 14:00-18:00,09:00-12:00", "Mo-Fr 09:00-12:00,14:00-18:00"),
        ("Fr-Mo 10:00-12:00", "Mo,Fr-Su 10:00-12:00"),
        ("10:00-18:00", "Mo-Su 10:00-18:00"),
        ("Mo-Su 00:00-24:00", "24/7"),
        ("Mo-Fr off", ""),
    ],
)
def test_the_output_is_the_compact_form(written: str, compact: str) -> None:
    assert week_table_expression(week_table(written)) == compact


def test_a_table_is_written_with_days_grouped() -> None:
    table = WeekTable(
        days=(SPLIT, SPLIT, SPLIT, SPLIT, SPLIT, (r("09:00", "12:00"),), CLOSED), holidays_closed=True
    )

    assert week_table_expression(table) == "Mo-Fr 09:00-12:30,14:00-19:00; Sa 09:00-12:00; PH off"


def test_an_empty_table_says_nothing_about_the_hours() -> None:
    assert week_table_expression(WeekTable()) == ""
    assert week_table_expression(WeekTable(holidays_closed=True)) == ""


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("Mo-Fr 09:00-18:00; week 01-26 Sa 09:00-12:00", "numéros de semaine"),
        ("Jan-Mar Mo-Fr 09:00-17:00; Apr-Dec Mo-Sa 09:00-19:00", "des mois ou des dates"),
        ("Mo-Fr 09:00-18:00; Dec 24 09:00-12:00", "des mois ou des dates"),
        ("Mo-Fr 09:00-18:00; SH off", "vacances scolaires"),
        ("Mo-Fr sunrise-sunset", "lever ou le coucher du soleil"),
        ("Mo[1] 09:00-12:00", "semaines du mois"),
        ("Mo-Fr 09:00-18:00; PH 10:00-12:00", "jours fériés"),
        ("Mo-Fr 08:00-10:00,12:00-14:00,16:00-18:00", "plus de 2 plages horaires"),
        ('Mo-Fr 09:00-18:00 "sur rendez-vous"', "commentaires"),
        ("Mo-Fr 18:00+", "« + »"),
        ("tous les jours 9h-19h", "illisibles"),
    ],
)
def test_what_a_table_cannot_show_is_refused_with_its_reason(expression: str, reason: str) -> None:
    with pytest.raises(NotWeekly) as refusal:
        week_table(expression)

    assert reason in refusal.value.reason
    table, why = week_table_or_reason(expression)
    assert table is None
    assert reason in why


def test_the_table_never_means_other_hours_than_the_expression() -> None:
    # Both are valid OSM; a later « Mo-Su » reopens public holidays, which a table cannot say.
    with pytest.raises(NotWeekly):
        week_table("PH off; Mo-Su 09:00-18:00")


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("09:00", "12:00", r("09:00", "12:00")),
        ("18:00", "00:00", r("18:00", "24:00")),
        ("22:00", "02:00", r("22:00", "02:00")),
    ],
)
def test_a_typed_range_is_read_as_people_mean_it(start: str, end: str, expected: TimeRange) -> None:
    assert check_range(clock_minutes(start), clock_minutes(end)) == expected


@pytest.mark.parametrize(("start", "end"), [("14:00", "12:00"), ("09:00", "09:00")])
def test_a_range_ending_before_it_starts_is_a_slip(start: str, end: str) -> None:
    with pytest.raises(ValueError, match=r"range|before"):
        check_range(clock_minutes(start), clock_minutes(end))
