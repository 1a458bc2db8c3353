"""The monthly report (report.py) laid out as a PDF with reportlab: a title, each section with its figures
table, its charts (drawn with reportlab.graphics from the same `core.charts.Chart`s the pages show) each
followed by its table, and a method note; the town, the month and page numbers on every page.

Standard PDF fonts (Helvetica): nothing to embed, and the text stays searchable. They cover French and
English; the few characters they lack (a narrow no-break space, a minus sign) are written with their
nearest equivalent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.validators import Auto
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from centreville.core.charts import Chart

from .dashboard import Trend
from .report import MonthlyReportContent, ReportFigure, ReportSection, ReportTable

FONT, BOLD = "Helvetica", "Helvetica-Bold"
TEXT = colors.HexColor("#1b1b1b")
MUTED = colors.HexColor("#4a4a4a")
RULE = colors.HexColor("#c9c9c9")
HEAD = colors.HexColor("#e8edf4")
# Dark and light in turn, so that neighbouring series differ in print without colour too; strokes are dark.
FILLS = ["#0b4f9c", "#f2a65a", "#2a6e2f", "#c9b3dd", "#a3195b", "#bdbdbd"]
STROKES = ["#0b4f9c", "#b34700", "#2a6e2f", "#7a3d9e", "#a3195b", "#4d4d4d"]
DASHES: list[list[float] | None] = [None, [6, 3], [1.5, 2], [8, 3, 2, 3], [4, 4], [1, 3]]
MARKERS = ["FilledCircle", "FilledSquare", "FilledTriangle", "FilledDiamond", "Circle", "Square"]
WIDTH = A4[0] - 36 * mm  # the text's width

# Characters the standard fonts lack, and what to write instead.
_SUBSTITUTES = str.maketrans({"\u202f": "\u00a0", "\u2009": " ", "\u2212": "-", "\u2011": "-"})


def pdf_text(text: object) -> str:
    """`text` in characters the standard PDF fonts have (Windows-1252); anything else becomes « ? »."""
    return str(text).translate(_SUBSTITUTES).encode("cp1252", "replace").decode("cp1252")


def _markup(text: object) -> str:
    """`text` for a Paragraph, which reads a little XML."""
    return escape(pdf_text(text))


def _style(name: str, **options: Any) -> ParagraphStyle:
    return ParagraphStyle(
        name, **{"fontName": FONT, "fontSize": 10, "leading": 13, "textColor": TEXT, **options}
    )


STYLES = {
    "title": _style("title", fontName=BOLD, fontSize=20, leading=24, spaceAfter=4),
    "subtitle": _style("subtitle", fontName=BOLD, fontSize=14, leading=18, spaceAfter=2),
    "h2": _style("h2", fontName=BOLD, fontSize=14, leading=18, spaceBefore=12, spaceAfter=6),
    "h3": _style("h3", fontName=BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4),
    "body": _style("body", spaceAfter=6),
    "muted": _style("muted", fontSize=9, leading=12, textColor=MUTED, spaceAfter=6),
    "cell": _style("cell", fontSize=8.5, leading=10.5),
    "number": _style("number", fontSize=8.5, leading=10.5, alignment=TA_RIGHT),
    "head": _style("head", fontName=BOLD, fontSize=8.5, leading=10.5),
    "head-number": _style("head-number", fontName=BOLD, fontSize=8.5, leading=10.5, alignment=TA_RIGHT),
}


def _table(rows: list[list[Flowable]], widths: Sequence[float], *, header_rows: int = 1) -> Table:
    table = Table(rows, colWidths=list(widths), repeatRows=header_rows, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return table


def _cell(text: object, *, number: bool = False, head: bool = False) -> Paragraph:
    style = ("head-number" if number else "head") if head else ("number" if number else "cell")
    return Paragraph(_markup(text), STYLES[style])


# --- Figures ----------------------------------------------------------------------------------------------


def _short(change: Trend | None) -> str:
    return "—" if change is None else change.short


def figures_table(figures: Sequence[ReportFigure], content: MonthlyReportContent) -> Table:
    """Each figure of the month, the month before and its change, the same month last year and its change."""
    month = content.month
    headers = [
        _cell(_("Indicateur"), head=True),
        _cell(month.label, head=True, number=True),
        _cell(month.previous().label, head=True, number=True),
        _cell(_("Évolution"), head=True, number=True),
        _cell(month.year_before().label, head=True, number=True),
        _cell(_("Évolution"), head=True, number=True),
    ]
    rows: list[list[Flowable]] = [headers]
    for figure in figures:
        rows.append(
            [
                _cell(figure.label),
                _cell(figure.shown(figure.current), number=True),
                _cell(figure.shown(figure.previous), number=True),
                _cell(_short(figure.versus_previous), number=True),
                _cell(figure.shown(figure.year_before), number=True),
                _cell(_short(figure.versus_year_before), number=True),
            ]
        )
    return _table(rows, [WIDTH * share for share in (0.32, 0.14, 0.14, 0.13, 0.14, 0.13)])


def plain_table(table: ReportTable) -> list[Flowable]:
    rows: list[list[Flowable]] = [
        [
            _cell(header, head=True, number=index in table.numeric)
            for index, header in enumerate(table.headers)
        ]
    ]
    for row in table.rows:
        rows.append([_cell(text, number=index in table.numeric) for index, text in enumerate(row)])
    first = WIDTH * 0.5
    others = (WIDTH - first) / max(1, len(table.headers) - 1)
    return [
        Paragraph(_markup(table.caption), STYLES["h3"]),
        _table(rows, [first, *([others] * (len(table.headers) - 1))]),
    ]


# --- Charts -----------------------------------------------------------------------------------------------


def _axis_number(value: float) -> str:
    decimals = 0 if float(value).is_integer() else 1
    return pdf_text(formats.number_format(value, decimals, use_l10n=True, force_grouping=True))


def _two_lines(label: str) -> str:
    first, space, last = label.rpartition(" ")
    return f"{first}\n{last}" if space else label


def chart_drawing(chart: Chart) -> Drawing:
    """The chart drawn with reportlab: bars (grouped or stacked) or lines with dashes and markers, gaps left
    as gaps, a value axis from zero (or below it, for changes) and a legend when there are several series; the
    series of the table only (`drawn` false) are not drawn."""
    height = 150.0
    drawn = [series for series in chart.series if series.drawn]
    legend_height = 14.0 * len(drawn) if len(drawn) > 1 else 0.0
    drawing = Drawing(WIDTH, height + legend_height + 20)
    data = [[None if value is None else float(value) for value in series.values] for series in drawn]
    plot: VerticalBarChart | HorizontalLineChart
    if chart.kind == "line":
        plot = HorizontalLineChart()
        plot.joinedLines = 1
        for index in range(len(drawn)):
            line = plot.lines[index]
            line.strokeColor = colors.HexColor(STROKES[index % len(STROKES)])
            line.strokeWidth = 1.8
            line.strokeDashArray = DASHES[index % len(DASHES)]
            line.symbol = makeMarker(MARKERS[index % len(MARKERS)], size=4)
            line.symbol.fillColor = line.strokeColor
            line.symbol.strokeColor = line.strokeColor
    else:
        plot = VerticalBarChart()
        plot.barSpacing = 1
        plot.groupSpacing = 6
        if chart.kind == "stacked":
            plot.categoryAxis.style = "stacked"
        for index in range(len(drawn)):
            plot.bars[index].fillColor = colors.HexColor(FILLS[index % len(FILLS)])
            plot.bars[index].strokeColor = colors.HexColor(STROKES[index % len(STROKES)])
            plot.bars[index].strokeWidth = 0.6
    plot.x, plot.y = 42, legend_height + 30
    plot.width, plot.height = WIDTH - 52, height - 20
    values = [value for row in data for value in row if value is not None]
    plot.data = data if values else [[0.0] * len(chart.categories)]
    # Two lines a label (« juin » over « 2025 »), so that thirteen months fit side by side.
    plot.categoryAxis.categoryNames = [pdf_text(_two_lines(category.label)) for category in chart.categories]
    plot.categoryAxis.labels.fontName = FONT
    plot.categoryAxis.labels.fontSize = 7
    plot.categoryAxis.labels.boxAnchor = "n"
    plot.categoryAxis.labels.leading = 8
    plot.valueAxis.valueMin = min(0.0, *values)
    top = max(values, default=0.0)
    if chart.kind == "stacked":
        top = max((sum(v or 0.0 for v in column) for column in zip(*data, strict=True)), default=0.0)
    if top <= 5 and all(float(value).is_integer() for value in values):
        plot.valueAxis.valueMax = max(1.0, top)  # a few events, or none: whole numbers on the axis
        plot.valueAxis.valueStep = 1
    plot.valueAxis.labels.fontName = FONT
    plot.valueAxis.labels.fontSize = 7
    plot.valueAxis.labelTextFormat = _axis_number
    plot.valueAxis.visibleGrid = 1
    plot.valueAxis.gridStrokeColor = RULE
    plot.valueAxis.gridStrokeWidth = 0.4
    drawing.add(plot)
    if chart.unit:
        drawing.add(String(2, height + legend_height + 12, pdf_text(chart.unit), fontName=FONT, fontSize=8))
    if legend_height:
        legend = Legend()
        legend.x, legend.y = 42, legend_height
        legend.alignment = "right"
        legend.fontName = FONT
        legend.fontSize = 8
        legend.dx, legend.dy = (24, 8)
        legend.deltay = 14
        legend.columnMaximum = len(drawn)
        # The chart's own samples: a line with its dashes and marker, a bar with its fill.
        legend.colorNamePairs = [
            (Auto(obj=plot, index=index), pdf_text(series.label)) for index, series in enumerate(drawn)
        ]
        drawing.add(legend)
    return drawing


def chart_flowables(chart: Chart) -> list[Flowable]:
    """The chart's title, its drawing and its table (the figures it draws), kept on one page."""
    title = chart.title + (f" ({chart.unit})" if chart.unit else "")
    annotated = bool(chart.annotations)
    header = [_cell(chart.category_label, head=True)] + [
        _cell(series.label, head=True, number=True) for series in chart.series
    ]
    if annotated:
        header.append(_cell(chart.annotation_label, head=True))
    rows: list[list[Flowable]] = [header]
    for category, cells, annotation in chart.annotated_rows:
        row = [_cell(category.label)] + [_cell(cell.shown, number=True) for cell in cells]
        rows.append([*row, _cell(annotation)] if annotated else row)
    columns = len(chart.series) + (1 if annotated else 0)
    first = WIDTH * 0.3
    others = (WIDTH - first) / max(1, columns)
    parts: list[Flowable] = [
        Paragraph(_markup(title), STYLES["h3"]),
        chart_drawing(chart),
        _table(rows, [first, *([others] * columns)]),
    ]
    if chart.note:
        parts.append(Paragraph(_markup(chart.note), STYLES["muted"]))
    return [KeepTogether(parts), Spacer(1, 6)]


# --- The document -----------------------------------------------------------------------------------------


def section_flowables(section: ReportSection, content: MonthlyReportContent) -> list[Flowable]:
    parts: list[Flowable] = [Paragraph(_markup(section.title), STYLES["h2"])]
    if section.intro:
        parts.append(Paragraph(_markup(section.intro), STYLES["body"]))
    if section.figures:
        parts += [figures_table(section.figures, content), Spacer(1, 6)]
    for chart in section.charts:
        parts += chart_flowables(chart)
    for table in section.tables:
        parts += plain_table(table)
    if section.note:
        parts.append(Paragraph(_markup(section.note), STYLES["muted"]))
    return parts


def _generated(content: MonthlyReportContent) -> str:
    local = content.at.astimezone(ZoneInfo(content.town.timezone))
    return _("Rapport fait le %(date)s à %(time)s") % {
        "date": formats.date_format(local, "j F Y"),
        "time": formats.time_format(local, "H:i"),
    }


class _NumberedCanvas(Canvas):
    """A canvas that keeps its pages until the end, to write « Page 2 sur 5 » on each."""

    def __init__(self, *args: Any, decorate: Callable[[Canvas, int, int], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decorate = decorate
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, page in enumerate(self._pages, start=1):
            self.__dict__.update(page)
            self._decorate(self, number, total)
            super().showPage()
        super().save()


def monthly_report_pdf(content: MonthlyReportContent) -> tuple[bytes, int]:
    """The report as PDF bytes, in the active language, and its number of pages."""
    town, month = content.town, content.month
    running = f"{town.name} — {_('Observatoire du centre-ville')} — {month.label}"
    generated = _generated(content)
    pages = [0]

    def decorate(canvas: Canvas, number: int, total: int) -> None:
        pages[0] = total
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(18 * mm, A4[1] - 12 * mm, pdf_text(running))
        canvas.drawString(18 * mm, 10 * mm, pdf_text(generated))
        page = _("Page %(number)s sur %(total)s") % {"number": number, "total": total}
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, pdf_text(page))
        canvas.restoreState()

    out = BytesIO()
    title = _("Rapport mensuel — %(town)s — %(month)s") % {"town": town.name, "month": month.label}
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=pdf_text(title),
        author=pdf_text(settings.PLATFORM_NAME),
        subject=pdf_text(_("Observatoire du centre-ville")),
        creator=pdf_text(settings.PLATFORM_NAME),
        lang=get_language() or "fr",
        invariant=True,
    )
    story: list[Flowable] = [
        Paragraph(_markup(_("Observatoire du centre-ville")), STYLES["muted"]),
        Paragraph(_markup(_("Rapport mensuel au conseil municipal")), STYLES["title"]),
        Paragraph(_markup(f"{town.name} — {month.label}"), STYLES["subtitle"]),
        Paragraph(_markup(generated), STYLES["muted"]),
        Paragraph(
            _markup(
                _(
                    "Chaque chiffre du mois est comparé au mois précédent et au même mois de l'an dernier ; "
                    "chaque graphique est suivi du tableau de ses chiffres."
                )
            ),
            STYLES["body"],
        ),
    ]
    for section in content.sections:
        story += section_flowables(section, content)
    story.append(Paragraph(_markup(_("Méthode")), STYLES["h2"]))
    story += [Paragraph(_markup(sentence), STYLES["body"]) for sentence in content.method]
    document.build(story, canvasmaker=partial(_NumberedCanvas, decorate=decorate))
    return out.getvalue(), pages[0]
