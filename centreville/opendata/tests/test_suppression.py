"""Small counts blanked before publication, and the cells that would give them away: hand-computed tables."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from centreville.opendata.suppression import group_small_rows, suppress_small_counts


def streets(*rows: tuple[Any, ...]) -> list[dict[str, Any]]:
    return [dict(zip(("street", "vacant", "occupied", "units"), row, strict=True)) for row in rows]


def is_total(row: Mapping[str, Any]) -> bool:
    return bool(row["street"] == "Total")


def test_a_count_under_the_minimum_is_blanked_zero_and_missing_are_kept() -> None:
    rows: list[dict[str, Any]] = [
        {"street": "A", "vacant": 3},
        {"street": "B", "vacant": 7},
        {"street": "C", "vacant": 0},
        {"street": "D", "vacant": None},
        {"street": "E", "vacant": 5},
    ]

    published = suppress_small_counts(rows, counts=["vacant"], minimum=5)

    assert [row["vacant"] for row in published] == [None, 7, 0, None, 5]
    assert rows[0]["vacant"] == 3  # the input is left as it was


def test_the_minimum_defaults_to_the_setting(settings: Any) -> None:
    settings.OPENDATA_MIN_CELL_COUNT = 3
    rows = [{"vacant": 2}, {"vacant": 3}]

    assert [row["vacant"] for row in suppress_small_counts(rows, counts=["vacant"])] == [None, 3]


def test_a_published_total_makes_a_second_cell_blank() -> None:
    # A (3) is blanked; with the total 23, A = 23 - 12 - 8. So the smallest other part, C (8), goes too:
    # then A + C = 11 and neither is known.
    rows = streets(
        ("A", 3, None, None), ("B", 12, None, None), ("C", 8, None, None), ("Total", 23, None, None)
    )

    published = suppress_small_counts(rows, counts=["vacant"], minimum=5, total_row=is_total)

    assert [row["vacant"] for row in published] == [None, 12, None, 23]


def test_the_second_blank_is_not_a_zero() -> None:
    # Blanking B (0) would leave A + B = 3: A known to be at most 3. C (9) is blanked instead.
    rows = streets(
        ("A", 3, None, None), ("B", 0, None, None), ("C", 9, None, None), ("Total", 12, None, None)
    )

    published = suppress_small_counts(rows, counts=["vacant"], minimum=5, total_row=is_total)

    assert [row["vacant"] for row in published] == [None, 0, None, 12]


def test_a_row_total_and_a_rate_computed_from_the_count() -> None:
    # 20 units = 2 vacant + 18 occupied: the 2 is blanked, so is the 18 (units = vacant + occupied), and the
    # rate (2/20 = 10 %) that would give the 2 back.
    rows = [{"street": "A", "units": 20, "vacant": 2, "occupied": 18, "rate": 10.0}]

    (published,) = suppress_small_counts(
        rows,
        counts=["vacant"],
        minimum=5,
        row_totals={"units": ("vacant", "occupied")},
        derived={"vacant": ("rate",)},
    )

    assert published == {"street": "A", "units": 20, "vacant": None, "occupied": None, "rate": None}


def test_totals_both_ways_blank_a_rectangle() -> None:
    #          vacant occupied units
    # A             2       10    12    A.vacant < 5: blanked
    # B             6        9    15
    # C             7       20    27
    # Total        15       39    54
    # Row A: 12 = 2 + 10, so A.occupied (10) goes. Column vacant: 15 = 2 + 6 + 7, so B.vacant (6) goes.
    # Column occupied: 39 = 10 + 9 + 20, so B.occupied (9) goes. Row B then has two blanks: done.
    # What is left: A.v + A.o = 12, B.v + B.o = 15, A.v + B.v = 8, A.o + B.o = 19, solved by any A.v from
    # 0 to 8: no blank can be recomputed.
    rows = streets(("A", 2, 10, 12), ("B", 6, 9, 15), ("C", 7, 20, 27), ("Total", 15, 39, 54))

    published = suppress_small_counts(
        rows,
        counts=["vacant"],
        minimum=5,
        row_totals={"units": ("vacant", "occupied")},
        total_row=is_total,
    )

    assert [(row["vacant"], row["occupied"], row["units"]) for row in published] == [
        (None, None, 12),
        (None, None, 15),
        (7, 20, 27),
        (15, 39, 54),
    ]


def test_each_group_has_its_own_total() -> None:
    # Per day, the site's total and its two channels. Day 1: 3 is blanked, so is 40 (43 - 3); day 2 is kept.
    rows = [
        {"day": "2026-03-29", "channel": "in", "count": 3},
        {"day": "2026-03-29", "channel": "out", "count": 40},
        {"day": "2026-03-29", "channel": "total", "count": 43},
        {"day": "2026-03-30", "channel": "in", "count": 10},
        {"day": "2026-03-30", "channel": "out", "count": 12},
        {"day": "2026-03-30", "channel": "total", "count": 22},
    ]

    published = suppress_small_counts(
        rows,
        counts=["count"],
        minimum=5,
        total_row=lambda row: row["channel"] == "total",
        group=lambda row: row["day"],
    )

    assert [row["count"] for row in published] == [None, None, 43, 10, 12, 22]


def test_a_total_of_one_part_is_that_part() -> None:
    rows = [{"channel": "in", "count": 4}, {"channel": "total", "count": 4}]

    published = suppress_small_counts(
        rows, counts=["count"], minimum=5, total_row=lambda row: row["channel"] == "total"
    )

    assert [row["count"] for row in published] == [None, None]


def test_a_missing_part_already_hides_the_blank() -> None:
    # B has no count: 20 = 3 + B + 9 cannot give the 3, so nothing more is blanked.
    rows = streets(
        ("A", 3, None, None), ("B", None, None, None), ("C", 9, None, None), ("Total", 20, None, None)
    )

    published = suppress_small_counts(rows, counts=["vacant"], minimum=5, total_row=is_total)

    assert [row["vacant"] for row in published] == [None, None, 9, 20]


def test_a_group_has_one_total_row_at_most() -> None:
    rows = [{"street": "Total", "vacant": 9}, {"street": "Total", "vacant": 9}]

    with pytest.raises(ValueError, match="one total row"):
        suppress_small_counts(rows, counts=["vacant"], minimum=5, total_row=is_total)


def test_small_streets_grouped_into_one_row_then_small_counts_blanked() -> None:
    # Rue Courte (2 units) and Impasse (3 units) are under 5 units: one row « Autres rues » of 5 units, 1
    # vacant. Then the vacant counts 1 (Autres rues) and 4 (Grande Rue) are under 5: both blanked.
    rows = [
        {"street": "Rue Courte", "units": 2, "vacant": 1, "rate": 50.0},
        {"street": "Grande Rue", "units": 10, "vacant": 4, "rate": 40.0},
        {"street": "Impasse du Puits", "units": 3, "vacant": 0, "rate": 0.0},
    ]

    grouped = group_small_rows(
        rows, size="units", counts=["vacant"], label_field="street", label="Autres rues", minimum=5
    )
    published = suppress_small_counts(grouped, counts=["vacant"], minimum=5, derived={"vacant": ("rate",)})

    assert grouped == [
        {"street": "Grande Rue", "units": 10, "vacant": 4, "rate": 40.0},
        {"street": "Autres rues", "units": 5, "vacant": 1, "rate": None},
    ]
    assert [(row["street"], row["vacant"], row["rate"]) for row in published] == [
        ("Grande Rue", None, None),
        ("Autres rues", None, None),
    ]


def test_no_small_row_no_other_row() -> None:
    rows = [{"street": "Grande Rue", "units": 10, "vacant": 4}]

    assert (
        group_small_rows(
            rows, size="units", counts=["vacant"], label_field="street", label="Autres rues", minimum=5
        )
        == rows
    )
