"""A chart as its data: the table every page shows (and screen readers, and pages without JavaScript, read),
the CSV file it downloads as, and what the charting script draws from that table.

A page builds `Chart`s in its selectors, renders each with `{% include "includes/_chart.html" %}`, and its
view answers `?csv=<slug>` with `chart_csv_download()`. A missing value (`None`) is a gap: shown as a dash,
left empty in the CSV, never drawn as a zero. A chart may annotate some of its categories (the town's events
of a day): a last column of its table and CSV, and a mark on the drawn chart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.utils import formats, numberformat

from .spreadsheets import spreadsheet_text, spreadsheet_writer

Number = int | float | Decimal
CHART_KINDS = ("bar", "line", "stacked")


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[Number | None]  # one per category; None is a gap
    decimals: int = 0
    drawn: bool = True  # False: a column of the table and the CSV only (a mean beside the values drawn)


@dataclass(frozen=True)
class Category:
    key: str  # as the CSV gives it: an ISO date or month, a street's name
    label: str  # as the page shows it: « mars 2026 », « semaine du 2 mars »


@dataclass(frozen=True)
class Chart:
    slug: str  # unique in its page: the CSV's name and the table's id
    title: str
    kind: str  # one of CHART_KINDS
    category_label: str  # the first column's header: « Mois », « Rue »
    categories: Sequence[Category]
    series: Sequence[Series]
    unit: str = ""  # « % », « € », « passages »: said in the headers
    note: str = ""  # how the figures are computed, their source
    extra: dict[str, str] = field(default_factory=dict)  # data-* attributes for the script
    # A text about some categories (the town's events of a day or week), by category key: a last column of
    # the table and the CSV headed `annotation_label`, present when there is one; the script marks them.
    annotations: Mapping[str, str] = field(default_factory=dict)
    annotation_label: str = ""

    def __post_init__(self) -> None:
        if self.kind not in CHART_KINDS:
            raise ValueError(f"Unknown chart kind {self.kind!r}")
        for series in self.series:
            if len(series.values) != len(self.categories):
                raise ValueError(f"Series {series.label!r} has not one value per category")
        if self.annotations and not self.annotation_label:
            raise ValueError("Annotations need their column's label")
        unknown = set(self.annotations) - {category.key for category in self.categories}
        if unknown:
            raise ValueError(f"Annotations of unknown categories: {sorted(unknown)}")

    @property
    def rows(self) -> list[tuple[Category, list[Cell]]]:
        """Each category with its cells: the value as the page shows it (« 1 234 », « 12,5 »; « — » for a
        gap) and as the charting script reads it (« 1234 », « 12.5 »; empty for a gap)."""
        style = _NumberStyle.current()  # read once: a chart of ten years by month has hundreds of cells
        return [
            (category, [style.cell(series.values[index], series.decimals) for series in self.series])
            for index, category in enumerate(self.categories)
        ]

    @property
    def annotated_rows(self) -> list[tuple[Category, list[Cell], str]]:
        """`rows`, each with its category's annotation ("" for none)."""
        return [(category, cells, self.annotations.get(category.key, "")) for category, cells in self.rows]

    @property
    def is_empty(self) -> bool:
        return not any(value is not None for series in self.series for value in series.values)


@dataclass(frozen=True)
class Cell:
    shown: str  # in the page's language, « — » for a gap
    value: str  # plain digits with a point, rounded as shown; "" for a gap


@dataclass(frozen=True)
class _NumberStyle:
    """The active language's separators, as `formats.number_format()` would read them for every number."""

    decimal: str
    grouping: int
    thousands: str

    @classmethod
    def current(cls) -> _NumberStyle:
        return cls(
            decimal=str(formats.get_format("DECIMAL_SEPARATOR")),
            grouping=int(formats.get_format("NUMBER_GROUPING")),
            thousands=str(formats.get_format("THOUSAND_SEPARATOR")),
        )

    def cell(self, value: Number | None, decimals: int) -> Cell:
        if value is None:
            return Cell("—", "")
        shown = numberformat.format(
            value, self.decimal, decimals, self.grouping, self.thousands, force_grouping=True, use_l10n=True
        )
        return Cell(shown, f"{Decimal(value):.{decimals}f}")


def _cell(value: Number | None, decimals: int) -> str:
    if value is None:
        return ""
    return f"{Decimal(value):.{decimals}f}".replace(".", ",")


def chart_csv(chart: Chart, response: HttpResponse) -> None:
    """Write the chart's table as a French spreadsheet: the category key, then one column per series."""
    writer = spreadsheet_writer(response)
    unit = f" ({chart.unit})" if chart.unit else ""
    annotated = [chart.annotation_label] if chart.annotations else []
    writer.writerow([chart.category_label, *(f"{series.label}{unit}" for series in chart.series), *annotated])
    for index, category in enumerate(chart.categories):
        cells = [_cell(series.values[index], series.decimals) for series in chart.series]
        note = [spreadsheet_text(chart.annotations.get(category.key, ""))] if chart.annotations else []
        writer.writerow([spreadsheet_text(category.key), *cells, *note])


def chart_csv_download(request: HttpRequest, charts: Sequence[Chart], *, prefix: str) -> HttpResponse | None:
    """The CSV of the chart named by `?csv=<slug>`, or None when the page itself is asked for."""
    slug = request.GET.get("csv")
    if not slug:
        return None
    for chart in charts:
        if chart.slug == slug:
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{prefix}-{chart.slug}.csv"'
            chart_csv(chart, response)
            return response
    return HttpResponse(status=404)
