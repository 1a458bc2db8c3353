"""« Jours d'événement et jours comparables »: each day of a town event beside comparable days without one,
for footfall, platform visits and orders; and the marks of the town's events on the observatory's charts.

The method (said on the dashboard in the same words, `METHOD`):
- An event day is a day (on the town's clock) with a published town event that is not cancelled (the
  agenda's `event_days`); the shops' offers do not make event days, nor do events that come back every
  week (the weekly market is the town's ordinary day).
- Its comparable days are the same weekday one to four weeks before and after it, in the same meteorological
  season (winter: December to February, spring: March to May, summer: June to August, autumn: September to
  November), without any town event. Days are calendar days: a day of 23 or 25 hours (the clocks changing)
  is a day like the others.
- A day counts only where its figure is known: footfall on the days whose counts are complete (a day
  without counts, or with hours missing, is left out, never counted zero); visits and orders from the town's
  first day on the platform; today and the days after are not over, so not counted.
- The difference is (value - mean of the comparable days) ÷ that mean, in percent; none (« — ») without a
  value, without any comparable day counted, or when the mean is zero.
- The summary compares the mean of the event days with the mean of their comparable days' means, over the
  event days that have both.

Everything here is computed from mappings of day figures the caller read once (`Measure`): no query.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centreville.core.charts import Category, Chart, Series
from centreville.footfall.selectors import PeriodCount

Number = int | Decimal
COMPARABLE_WEEKS = 4  # the same weekday up to four weeks before and after
SLUG = "jours-evenement"
SUMMARY_KEY = "ensemble"
TITLES_JOINED = " / "  # between the titles of a day's events (a semicolon would be quoted in the CSV)

METHOD = (
    gettext_lazy(
        "Un jour d'événement est un jour où la ville a publié un événement qui n'est pas annulé ; les "
        "offres des commerces ne comptent pas, ni les événements de chaque semaine comme le marché "
        "hebdomadaire."
    ),
    gettext_lazy(
        "Ses jours comparables sont le même jour de la semaine, une à quatre semaines avant ou après, dans "
        "la même saison météorologique (hiver : décembre à février ; printemps : mars à mai ; été : juin à "
        "août ; automne : septembre à novembre), sans aucun événement de la ville."
    ),
    gettext_lazy(
        "Un jour sans comptage des passages, ou dont des heures manquent, est laissé de côté, jamais compté "
        "zéro ; les visites et les commandes comptent à partir de l'arrivée de la ville sur la plateforme ; "
        "le jour même n'est pas encore fini et n'est pas compté."
    ),
    gettext_lazy(
        "L'écart est la différence entre la valeur et la moyenne des jours comparables, rapportée à cette "
        "moyenne ; « — » quand il n'y a pas de "
        "valeur, pas de jour comparable compté ou une moyenne nulle. L'ensemble compare la moyenne des "
        "jours d'événement à celle des moyennes de leurs jours comparables."
    ),
    gettext_lazy(
        "Commandes : les commandes passées ce jour-là ; montant : celui des articles des commandes "
        "retirées depuis, à la date de la commande."
    ),
)


def method_text() -> str:
    return " ".join(str(sentence) for sentence in METHOD)


def season(day: date) -> int:
    """The meteorological season of `day`: 0 winter (December to February), 1 spring, 2 summer, 3 autumn."""
    return (day.month % 12) // 3


def comparable_days(day: date, *, event_days: Collection[date]) -> list[date]:
    """The same weekday one to `COMPARABLE_WEEKS` weeks before and after `day`, in its season, without an
    event; oldest first."""
    offsets = [*range(-COMPARABLE_WEEKS, 0), *range(1, COMPARABLE_WEEKS + 1)]
    candidates = (day + timedelta(weeks=weeks) for weeks in offsets)
    return [other for other in candidates if season(other) == season(day) and other not in event_days]


def _mean(values: Sequence[Number]) -> Decimal | None:
    return Decimal(sum(values)) / len(values) if values else None


def change_percent(value: Number | None, mean: Decimal | None) -> Decimal | None:
    """(value - mean) ÷ mean in percent, one decimal; None without a value or a mean, or when it is zero."""
    if value is None or mean is None or mean == 0:
        return None
    change = (Decimal(value) - mean) * 100 / mean
    return change.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Measure:
    """A daily figure compared: its days known only (a day missing has no figure, it is not a zero)."""

    key: str
    label: str
    by_day: Mapping[date, Number]
    decimals: int = 0
    unit: str = ""  # said in the headers of its values and means: « € »


@dataclass(frozen=True)
class Compared:
    """A figure of an event day (or of all of them) beside the mean of its comparable days."""

    value: Number | None  # None: not known that day
    mean: Decimal | None  # None: no comparable day known
    compared_with: tuple[date, ...]  # the comparable days whose figure is known; event days for a summary

    @property
    def change_percent(self) -> Decimal | None:
        return change_percent(self.value, self.mean)


@dataclass(frozen=True)
class EventDay:
    day: date
    titles: list[str]
    comparable: list[date]  # same weekday, same season, no event: before knowing which have figures
    figures: dict[str, Compared]  # by measure key


@dataclass(frozen=True)
class EventDaysComparison:
    first: date
    last: date
    measures: list[Measure]
    days: list[EventDay]
    summary: dict[str, Compared]  # by measure key; `compared_with`: the event days it averages

    @property
    def differences_chart(self) -> Chart:
        """`chart` with its differences only, for a page as narrow as the report's."""
        chart = self.chart
        return replace(chart, series=[series for series in chart.series if series.drawn])

    @property
    def chart(self) -> Chart:
        """One row per event day and a last one for them all: each measure's value, the mean of the
        comparable days (table only) and the difference in percent (drawn); the events' titles annotate."""
        categories = [
            Category(row.day.isoformat(), formats.date_format(row.day, "D j N Y")) for row in self.days
        ]
        categories.append(Category(SUMMARY_KEY, _("Ensemble des jours d'événement (moyennes)")))
        rows = [row.figures for row in self.days] + [self.summary]
        series = []
        for measure in self.measures:
            figures = [figures[measure.key] for figures in rows]
            unit = f" ({measure.unit})" if measure.unit else ""
            series += [
                Series(
                    f"{measure.label}{unit}",
                    [figure.value for figure in figures],
                    measure.decimals,
                    drawn=False,
                ),
                Series(
                    _("%(measure)s : moyenne des jours comparables") % {"measure": measure.label} + unit,
                    [figure.mean for figure in figures],
                    max(1, measure.decimals),
                    drawn=False,
                ),
                Series(
                    _("%(measure)s : écart (%%)") % {"measure": measure.label},
                    [figure.change_percent for figure in figures],
                    1,
                ),
            ]
        return Chart(
            slug=SLUG,
            title=_("Jours d'événement et jours comparables"),
            kind="bar",
            category_label=_("Jour"),
            categories=categories,
            series=series,
            note=method_text(),
            annotations={row.day.isoformat(): TITLES_JOINED.join(row.titles) for row in self.days},
            annotation_label=_("Événement"),
        )


def compare_event_days(
    events: Mapping[date, Sequence[str]], measures: Sequence[Measure], *, first: date, last: date
) -> EventDaysComparison:
    """Each event day from `first` to `last` beside its comparable days, measure by measure. `events` must
    hold the event days `COMPARABLE_WEEKS` weeks around the period too (they are not comparable days)."""
    days = []
    for day in sorted(day for day in events if first <= day <= last):
        comparable = comparable_days(day, event_days=events)
        figures = {}
        for measure in measures:
            known = tuple(other for other in comparable if other in measure.by_day)
            figures[measure.key] = Compared(
                value=measure.by_day.get(day),
                mean=_mean([measure.by_day[other] for other in known]),
                compared_with=known,
            )
        days.append(EventDay(day=day, titles=list(events[day]), comparable=comparable, figures=figures))
    summary = {}
    for measure in measures:
        both = [row for row in days if row.figures[measure.key].change_percent is not None]
        values: list[Number] = []
        means: list[Number] = []
        for row in both:
            figure = row.figures[measure.key]
            assert figure.value is not None
            assert figure.mean is not None
            values.append(figure.value)
            means.append(figure.mean)
        summary[measure.key] = Compared(
            value=_mean(values), mean=_mean(means), compared_with=tuple(row.day for row in both)
        )
    return EventDaysComparison(first=first, last=last, measures=list(measures), days=days, summary=summary)


def footfall_measure(label: str, days: Sequence[PeriodCount]) -> Measure:
    """Passages of the days counted completely: a day without counts, or with hours missing, is left out."""
    counted: dict[date, Number] = {
        day.first: day.total for day in days if day.is_complete and day.total is not None
    }
    return Measure("passages", label, counted)


def platform_measures(
    visits: Mapping[date, Number], orders: Mapping[date, tuple[int, Decimal]], *, first: date, last: date
) -> list[Measure]:
    """Visits of the pages, orders placed and their Click & Collect sales, known on every day from `first` to
    `last` (the town on the platform, the day over): a day without any is a zero."""
    placed: dict[date, Number] = {day: count for day, (count, _sales) in orders.items()}
    sold: dict[date, Number] = {day: sales for day, (_count, sales) in orders.items()}
    return [
        Measure("visites", _("Visites des pages"), known_days(visits, first=first, last=last)),
        Measure("commandes", _("Commandes"), known_days(placed, first=first, last=last)),
        Measure(
            "ventes",
            _("Ventes Click & Collect"),
            known_days(sold, first=first, last=last),
            decimals=2,
            unit="€",
        ),
    ]


def known_days(by_day: Mapping[date, Number], *, first: date, last: date) -> dict[date, Number]:
    """`by_day` on every day from `first` to `last`, a day without a figure counting zero: for counts that
    are written only when something happened (visits, orders), over days known to have been counted."""
    known: dict[date, Number] = {}
    day = first
    while day <= last:
        known[day] = by_day.get(day, 0)
        day += timedelta(days=1)
    return known


def week_annotations(
    events: Mapping[date, Sequence[str]], spans: Sequence[tuple[str, date, date]]
) -> dict[str, str]:
    """The events of each span (category key, first and last days), day by day: « sam 7 nov. : Marché —
    dim 8 nov. : Marché / Concert »; spans without an event left out."""
    annotations = {}
    for key, first, last in spans:
        days = sorted(day for day in events if first <= day <= last)
        if days:
            annotations[key] = " — ".join(
                _("%(day)s : %(titles)s")
                % {"day": formats.date_format(day, "D j N"), "titles": TITLES_JOINED.join(events[day])}
                for day in days
            )
    return annotations


def marked(
    chart: Chart, events: Mapping[date, Sequence[str]], spans: Sequence[tuple[str, date, date]]
) -> Chart:
    """`chart` with the events of each of its categories (spans of days: category key, first and last days)
    in its « Événement » column; as it is when none falls in them."""
    annotations = week_annotations(events, spans)
    if not annotations:
        return chart
    return replace(chart, annotations=annotations, annotation_label=_("Événement"))
