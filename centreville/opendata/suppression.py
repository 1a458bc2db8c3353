"""Small counts are not published: an aggregate of one to four premises, passers-by or shops could point at
a person (the owner of the one vacant unit of a lane, the one cyclist of a night).

- Primary suppression: a count from 1 to `minimum - 1` is blanked. Zero is published: it singles nobody out,
  and a counter that saw nobody is not a counter that saw nothing (that is a missing value, already empty).
- Secondary suppression: where the table publishes a total, a blanked cell could be recomputed (the total
  minus the other cells). So whenever a total and its parts have exactly one blanked cell, one more is
  blanked (the smallest non-zero one, a part rather than the total), again until no total has exactly one:
  a blanked cell then always shares its equation with another unknown, and cannot be recomputed exactly.
- Small rows can also be grouped before publication (`group_small_rows`): the streets with fewer than
  `minimum` units become one row "other streets", instead of many blanks.

The minimum is the setting OPENDATA_MIN_CELL_COUNT, 5 by default: the threshold most often used by
statistical offices for frequency tables about people (a cell of fewer than 5 is suppressed), stricter than
the 3 contributors under which French business statistics are covered by statistical secrecy.

Blanked cells are None: the writers publish them empty, which Table Schema reads as a missing value.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

from django.conf import settings

Row = Mapping[str, Any]
Cell = tuple[int, str]  # (row index, column)


def minimum_count() -> int:
    return int(settings.OPENDATA_MIN_CELL_COUNT)


def suppress_small_counts(
    rows: Sequence[Row],
    *,
    counts: Sequence[str],
    minimum: int | None = None,
    row_totals: Mapping[str, Sequence[str]] | None = None,
    total_row: Callable[[Row], bool] | None = None,
    group: Callable[[Row], Hashable] | None = None,
    derived: Mapping[str, Sequence[str]] | None = None,
) -> list[dict[str, Any]]:
    """A copy of `rows` with small counts, and the cells that would reveal them, set to None.

    - `counts`: the columns of counts that must not be small (primary suppression).
    - `row_totals`: columns that are the sum of other columns of the same row, e.g.
      `{"units": ("vacant", "occupied")}`.
    - `total_row`: tells the rows holding, in every count column, the sum of the other rows of their `group`
      (the whole table when no group is given), e.g. a "whole town centre" row.
    - `derived`: columns computed from a count, blanked with it, e.g. `{"vacant": ("vacancy_rate",)}`.
    Publish a total in the table whenever it is published anywhere else: it is what secondary suppression
    protects against.
    """
    minimum = minimum_count() if minimum is None else minimum
    row_totals = row_totals or {}
    derived = derived or {}
    table = [dict(row) for row in rows]
    columns = list(
        dict.fromkeys([*counts, *row_totals, *(c for parts in row_totals.values() for c in parts)])
    )
    order = {(index, column): n for n, (index, column) in enumerate(_cells(table, columns))}

    hidden: set[Cell] = {
        (index, column)
        for index, row in enumerate(table)
        for column in counts
        if row.get(column) is not None and 0 < row[column] < minimum
    }
    relations = _relations(table, columns, row_totals, total_row, group)
    changed = True
    while changed:
        changed = False
        for members in relations:
            if any(table[index].get(column) is None for index, column in members):
                continue  # an unknown value already keeps the equation unsolvable
            if sum(cell in hidden for cell in members) != 1:
                continue
            total = members[0]
            candidates = [cell for cell in members if cell not in hidden]
            hidden.add(
                min(
                    candidates,
                    key=lambda cell: (
                        table[cell[0]][cell[1]] == 0,
                        cell == total,
                        table[cell[0]][cell[1]],
                        order[cell],
                    ),
                )
            )
            changed = True

    for index, column in hidden:
        table[index][column] = None
        for dependent in derived.get(column, ()):
            table[index][dependent] = None
    return table


def _cells(table: list[dict[str, Any]], columns: Sequence[str]) -> list[Cell]:
    return [(index, column) for index in range(len(table)) for column in columns]


def _relations(
    table: list[dict[str, Any]],
    columns: Sequence[str],
    row_totals: Mapping[str, Sequence[str]],
    total_row: Callable[[Row], bool] | None,
    group: Callable[[Row], Hashable] | None,
) -> list[list[Cell]]:
    """Each published equation "total = sum of parts", as its cells, the total first."""
    relations = [
        [(index, total), *((index, part) for part in parts)]
        for index in range(len(table))
        for total, parts in row_totals.items()
    ]
    if total_row is None:
        return relations
    groups: dict[Hashable, list[int]] = {}
    for index, row in enumerate(table):
        groups.setdefault(group(row) if group else None, []).append(index)
    for indexes in groups.values():
        totals = [index for index in indexes if total_row(table[index])]
        if len(totals) > 1:
            raise ValueError("a group has one total row at most")
        if not totals:
            continue
        parts = [index for index in indexes if index != totals[0]]
        relations.extend([(totals[0], column), *((index, column) for index in parts)] for column in columns)
    return relations


def group_small_rows(
    rows: Sequence[Row],
    *,
    size: str,
    counts: Sequence[str],
    label_field: str,
    label: str,
    minimum: int | None = None,
) -> list[dict[str, Any]]:
    """The rows whose `size` is under the minimum merged into one last row labelled `label` (in
    `label_field`), its counts the sums of theirs (`size` included) and its other columns empty.

    Group before adding total rows and computing rates; a merged row still under the minimum is then
    blanked by `suppress_small_counts` like any other.
    """
    minimum = minimum_count() if minimum is None else minimum
    kept = [dict(row) for row in rows if (row.get(size) or 0) >= minimum]
    small = [row for row in rows if (row.get(size) or 0) < minimum]
    if not small:
        return kept
    merged: dict[str, Any] = dict.fromkeys(rows[0].keys())
    merged[label_field] = label
    for column in dict.fromkeys([size, *counts]):
        values = [row.get(column) for row in small]
        merged[column] = None if any(value is None for value in values) else sum(values)
    return [*kept, merged]
